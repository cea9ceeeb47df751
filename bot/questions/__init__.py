"""Questions in plain Danish or English, understood as the one command that answers them.

`understand` reads a question (`reading`), finds its period (`when`), fills the slots and picks
the command (`grammar`); `render` writes the command in the asker's language. The result is a
command string the dispatcher runs like any other, so the reply can say what it understood.
"""

from __future__ import annotations

from datetime import date

from bot.questions.grammar import Understanding, Words, fill_slots, understand_slots
from bot.questions.lexicon import COMMAND_WORDS
from bot.questions.reading import Names, NoNames, read, words

ENGLISH = {
    "rapport": "report", "trivsel": "who5", "pris": "cost", "udfald": "outcomes",
    "måltal": "targets", "nu": "now", "uden-kontakt": "no-contact", "opfølgning": "due",
    "borger": "citizen", "virksomhed": "company", "borgere": "citizens",
    "kommune": "municipality", "denne uge": "this week", "denne måned": "this month",
    "dette kvartal": "this quarter", "i år": "this year", "aktivitet": "activity",
    "ansat-ved-start": "employed-at-start", "statusdato": "cutoff", "pr.": "as-of",
    "forløbstid": "durations", "timer": "hours", "intensitet": "intensity",
    "fidelitet": "fidelity", "trivselsforløb": "who5points",
}  # fmt: skip
ENGLISH_AFTER_HEAD = {"praktik": "had-praktik"}  # the filter; as a command it is /praktik
QUESTION_WORDS = {"hvor", "hvad", "hvem", "hvordan", "hvilke", "hvilken", "hvornar", "hvorfor",
                  "er", "har", "kan", "how", "what", "whats", "who", "which", "when", "why",
                  "are", "is", "do", "does", "any"}  # fmt: skip

__all__ = ["Understanding", "looks_like_question", "render", "understand"]


def understand(text: str, today: date, names: Names | None = None, me: str = "") -> Understanding:
    """The command `text` asks for (Danish words), or the nearest commands to ask back with.

    `me` is the asker's name when their reports count more than their own citizens (a team
    lead's count the team): "jeg" then becomes `@me`.
    """
    tokens = read(text, names or NoNames())
    first = tokens[0] if tokens else None
    exact = first is not None and first.kind == "concept" and first.score == 1.0
    if first and not exact and not looks_like_question(text) and _mistyped_command(first.folded):
        return Understanding(None, 0.0)  # `statuss` is a typo of a command, not a question
    slots = fill_slots(tokens, today)
    slots.me = me
    if slots.unknown and not looks_like_question(text):
        return Understanding(None, 0.0)  # `mette tlf i går`: a command without its name
    return understand_slots(slots, today)


def _mistyped_command(first: str) -> bool:
    from rapidfuzz import fuzz, process

    if first in COMMAND_WORDS:
        return False
    return process.extractOne(first, COMMAND_WORDS, scorer=fuzz.ratio, score_cutoff=80) is not None


def render(command: Words, lang: str) -> str:
    """`("status", "nu", "team")` as `/status nu team`, or `/status now team` in English."""
    if lang != "en":
        return "/" + " ".join(command)
    out = []
    for i, word in enumerate(command):
        head, colon, rest = word.partition(":")
        if colon and head in ENGLISH:
            out.append(f"{ENGLISH[head]}:{rest}")
        elif i and word in ENGLISH_AFTER_HEAD:
            out.append(ENGLISH_AFTER_HEAD[word])
        else:
            out.append(ENGLISH.get(word, word))
    return "/" + " ".join(out)


def looks_like_question(text: str) -> bool:
    """True for a question rather than a mistyped command: a question mark or word."""
    found = words(text)
    return "?" in text or (bool(found) and found[0].replace("å", "a") in QUESTION_WORDS)
