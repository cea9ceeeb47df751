"""Questions in plain Danish or English, mapped to the report command they mean.

Only a few shapes are understood, on purpose: the reply always shows the command it ran, so
people learn the commands, and anything else gets suggestions, never a guess.
"""

from __future__ import annotations

import re

from kernel.fold import fold

_PERIODS = (
    (("i ar", "this year", "arets", "aret", "in the year"), "i år"),
    (("kvartal", "quarter"), "i kvartalet"),
    (("maned", "month"), "denne måned"),
    (("uge", "week"), "denne uge"),
)
_SILENT = re.compile(
    r"(ikke (talt|snakket|haft kontakt) med|(not|n't|havent) (i |we )?(talked|spoken) to"
    r"|no contact).*?(?P<days>\d{1,3}) ?(dage|dag|days|day|d)\b"
)
_JOB = re.compile(r"\b(i job|into (a )?job|got (a )?job|in (a )?job|jobrate|job rate)\b")
_HOW_MANY = re.compile(r"\b(hvor mange|how many|jobrate|job rate)\b")
_CASELOAD = re.compile(r"\bcaseload\b|\bsagsstamme\b")
_STATUS = re.compile(r"\b(status|hvordan gar det|how are we doing|how is it going)\b")
SUGGESTIONS = {
    "da": ("/status uge", "/jobrate i år", "/caseload", "/caseload uden-kontakt 14",
           "/rapport statusdato"),
    "en": ("/status week", "/jobrate this year", "/caseload", "/caseload no-contact 14",
           "/report cutoff"),
}  # fmt: skip


def _period(text: str) -> str:
    for words, period in _PERIODS:
        if any(w in text for w in words):
            return period
    return ""


def _team(text: str) -> str:
    return " team" if re.search(r"\b(team|teamet|teams)\b", text) else ""


ENGLISH = {"i år": "this year", "i kvartalet": "this quarter", "denne måned": "this month",
           "denne uge": "this week", "uden-kontakt": "no-contact"}  # fmt: skip


def understand(text: str, lang: str = "da") -> str | None:
    """The command a question means (`/jobrate i år`), or None if it is not understood."""
    command = _command(text)
    if command is not None and lang == "en":
        for danish, english in ENGLISH.items():
            command = command.replace(danish, english)
    return command


def _command(text: str) -> str | None:
    folded = fold(text).strip().rstrip("?!. ")
    if m := _SILENT.search(folded):
        return f"/caseload{_team(folded)} uden-kontakt {m.group('days')}"
    if _JOB.search(folded) and _HOW_MANY.search(folded):
        period = _period(folded) or "i år"
        return f"/jobrate {period}{_team(folded)}"
    if _CASELOAD.search(folded):
        return f"/caseload{_team(folded)}"
    if _STATUS.search(folded):
        period = _period(folded) or "denne uge"
        return f"/status {period}{_team(folded)}"
    return None


QUESTION_WORDS = {"hvor", "hvad", "hvem", "hvordan", "hvilke", "hvilken", "hvornar", "how",
                  "what", "who", "which", "when"}  # fmt: skip


def looks_like_question(text: str) -> bool:
    """True for a question rather than a mistyped command: a question mark or word."""
    words = fold(text).split()
    return "?" in text or (bool(words) and words[0] in QUESTION_WORDS)
