"""Questions in plain Danish or English, answered by the one command they mean.

The reply always starts with that command ("Forstået som: /status nu"), so people learn the
commands; a question that is not clear gets the two or three nearest commands, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rapidfuzz import fuzz, process

from bot.context import Ctx
from bot.core import Action, Reply, Section
from bot.directory import NameIndex
from bot.questions import looks_like_question, render, understand
from bot.questions.reading import read_word, words
from bot.resolve import visible_ids
from kernel.vocabulary import Role
from reports.catalogue import report_name

NAME_CUTOFF = 80.0
Run = Callable[[Ctx, str], Reply]
SUGGESTIONS = {
    "da": ("/status denne uge", "/jobrate i år", "/status nu", "/caseload",
           "/caseload uden-kontakt 14", "/rapport trivsel i år"),
    "en": ("/status this week", "/jobrate this year", "/status now", "/caseload",
           "/caseload no-contact 14", "/report who5 this year"),
}  # fmt: skip


class DirectoryNames:
    """Colleagues, the citizens the asker may see, and companies, from the warm name indexes."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self._kinds: list[tuple[str, NameIndex, set[int] | None]] | None = None

    def kinds(self) -> list[tuple[str, NameIndex, set[int] | None]]:
        """Each kind of name with its index and the ids the asker may see (None: all)."""
        if self._kinds is None:
            session, directory = self.ctx.session, self.ctx.directory
            citizens = directory.citizens(session)
            staff = directory.staff(session, checked=True)  # one version check for all three
            self._kinds = [
                ("staff", staff, colleague_ids(self.ctx, staff)),
                ("citizen", citizens, visible_ids(self.ctx, citizens)),
                ("company", directory.companies(session, checked=True), None),
            ]
        return self._kinds

    def phrase(self, text: str) -> str | None:
        """The kind of name that `text` (several words) names as a whole, if any."""
        for kind in ("citizen", "company", "staff"):
            for name, index, allowed in self.kinds():
                if name == kind and index.scores(text, allowed):
                    return kind
        return None

    def exact(self, word: str) -> str | None:
        """The kind of name `word` is exactly a part of, if any."""
        for kind, index, allowed in self.kinds():
            ids = index.by_part.get(word)
            if ids and (allowed is None or not allowed.isdisjoint(ids)):
                return kind
        return None

    def fuzzy(self, word: str) -> tuple[str, float] | None:
        """The kind of name `word` is a typo of, and how close it is."""
        best: tuple[str, float] | None = None
        for kind, index, allowed in self.kinds():
            for part, score, _ in process.extract(
                word, index.parts, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=5
            ):
                ids = index.by_part[part]
                seen = allowed is None or not allowed.isdisjoint(ids)
                if seen and (best is None or score > best[1]):
                    best = (kind, float(score))
        return best


def colleague_ids(ctx: Ctx, index: NameIndex) -> set[int] | None:
    """The colleagues a question may name: one's own team and oneself (an admin: everyone)."""
    if ctx.staff.role == Role.ADMIN:
        return None
    team = index.by_team.get(ctx.staff.team_id, set()) if ctx.staff.team_id else set()
    return team | {ctx.staff.id}


def asker(ctx: Ctx) -> str:
    """The asker's name for "jeg" when their reports count more than their own citizens."""
    return ctx.staff.display_name.casefold() if ctx.staff.role != Role.CONTACT else ""


def answer_question(ctx: Ctx, text: str, run: Run) -> Reply | None:
    """Run the command `text` asks for and say which; ask back if unclear; None if no question."""
    found = understand(text, ctx.today, DirectoryNames(ctx), asker(ctx))
    if found.command is None:
        if not looks_like_question(text):
            return None
        return ask_back(ctx, [render(s, ctx.lang) for s in found.suggestions], found.ambiguous)
    command = render(found.command, ctx.lang)
    reply = run(ctx, command)
    heading = ctx.t("report.understood_as", command=command)
    return replace(reply, summary=f"{heading}\n{reply.summary}")


def ask_back(ctx: Ctx, suggestions: list[str], ambiguous: bool) -> Reply:
    """Say the question was not clear, with the nearest commands as lines and buttons."""
    lines = tuple(suggestions) or SUGGESTIONS.get(ctx.lang, SUGGESTIONS["da"])[:3]
    key = "question.ambiguous" if ambiguous else "report.not_understood"
    return Reply(
        ctx.t(key),
        sections=(Section(lines=lines),),
        actions=tuple(Action(line, line) for line in lines),
    )


def report_for_word(ctx: Ctx, text: str) -> str | None:
    """For an unknown command that names a report (`/trivsel`, `/pris`): the command it means."""
    typed = words(text)
    if not typed:
        return None
    first = read_word(typed[0], DirectoryNames(ctx))
    exact = first.kind == "concept" and first.score == 1.0
    if not exact and report_name(typed[0]) is None:  # `/placment` is a typo of a command
        return None
    found = understand(" ".join(typed), ctx.today, DirectoryNames(ctx))
    return render(found.command, ctx.lang) if found.command else None
