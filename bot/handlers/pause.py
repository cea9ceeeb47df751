"""`/borger X pause ...`: a pause always has an end, and the end brings a reminder.

`pause syg i 2 uger`, `pause til 18/12 indlagt`, `pause 10 dage`: the end is read wherever it
stands and the other words are the reason. Without an end Rampe asks for one, offering the
default length first, through the same "which one?" question as an ambiguous name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm
from bot.parsing.dates import take_date
from bot.parsing.tokens import Token, take_weeks
from bot.resolve import override_key
from kernel.errors import Ambiguous, Candidate, UserError
from store import course
from store.models import Citizen

UNTIL_WORDS = {"til", "until", "to"}
IN_WORDS = {"i", "om", "in", "for"}
_DAYS = re.compile(r"^(\d{1,3})(d|dag|dage|day|days)?$")
DAY_WORDS = {"d", "dag", "dage", "day", "days"}
OFFERED_WEEKS = (4, 8)  # offered after the default length
KIND = "pause_end"


@dataclass(frozen=True)
class PauseArgs:
    until: date | None
    reason: str | None


def parse_pause(tokens: list[Token], i: int, today: date) -> PauseArgs:
    """The end (`til 18/12`, `i 2 uger`, `10 dage`) and the reason, from tokens[i:] on."""
    words = [t.text for t in tokens]
    until: date | None = None
    reason: list[str] = []
    while i < len(tokens):
        if until is None and (found := _end_at(tokens, words, i, today)) is not None:
            until, used = found
            i += used
            continue
        reason.append(words[i])
        i += 1
    return PauseArgs(until, " ".join(reason) or None)


def _end_at(tokens: list[Token], words: list[str], i: int, today: date) -> tuple[date, int] | None:
    low = tokens[i].low
    if low in UNTIL_WORDS and i + 1 < len(tokens):
        got = take_date(words, i + 1, today, prefer="future")
        if got is None:
            raise UserError("error.bad_date", token=words[i + 1])
        return got[0], got[1] + 1
    skip = 1 if low in IN_WORDS and i + 1 < len(tokens) else 0
    span = _span_at(tokens, i + skip)
    if span is not None:
        return today + span[0], span[1] + skip
    return None


def _span_at(tokens: list[Token], i: int) -> tuple[timedelta, int] | None:
    weeks = take_weeks(tokens, i)
    if weeks is not None:
        return timedelta(weeks=weeks[0]), weeks[1]
    if i >= len(tokens):
        return None
    m = _DAYS.match(tokens[i].low)
    if m and m.group(2):
        return timedelta(days=int(m.group(1))), 1
    if m and i + 1 < len(tokens) and tokens[i + 1].low in DAY_WORDS:
        return timedelta(days=int(m.group(1))), 2
    return None


def handle_pause(ctx: Ctx, citizen: Citizen, args: PauseArgs) -> Reply:
    """Pause the course until its end date, asking for one if none was given."""
    course.refuse_if_ended(citizen)
    until = args.until or _chosen_end(ctx, citizen)
    course.pause(ctx.session, citizen, ctx.today, until, args.reason, ctx.staff, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "pause")
    return confirm(ctx, "ok.paused_until", citizen, day=fmt.day(until, ctx.today, ctx.lang))


def _chosen_end(ctx: Ctx, citizen: Citizen) -> date:
    """The end picked from the offered lengths, or the question that offers them."""
    query = citizen.handle or str(citizen.id)
    days = ctx.overrides.get(override_key(KIND, query))
    if days is not None:
        return ctx.today + timedelta(days=days)
    weeks = sorted({ctx.settings.pause_default_weeks, *OFFERED_WEEKS})
    weeks.remove(ctx.settings.pause_default_weeks)
    options = [
        Candidate(w * 7, ctx.t("pause.option", weeks=w, day=_day(ctx, w)))
        for w in (ctx.settings.pause_default_weeks, *weeks)
    ]
    raise Ambiguous(KIND, query, options)


def _day(ctx: Ctx, weeks: int) -> str:
    return fmt.day(ctx.today + timedelta(weeks=weeks), ctx.today, ctx.lang)
