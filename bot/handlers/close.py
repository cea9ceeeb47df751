"""/afslut: end a course with one outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm, refuse_if_ended
from bot.parsing.dates import take_date
from bot.parsing.tokens import tokenize
from bot.parsing.words import OUTCOMES
from bot.resolve import resolve_citizen_words
from kernel.errors import UserError
from kernel.vocabulary import Outcome
from store import courses
from store.citizens import end_course


@dataclass(frozen=True)
class CloseArgs:
    name: list[str]
    outcome: Outcome
    on: date | None


def parse(text: str, today: date) -> CloseArgs:
    """`<borger> <udfald> [dato]`: the outcome word is found after the name."""
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    for i in range(1, len(tokens)):
        two = f"{tokens[i].low}-{tokens[i + 1].low}" if i + 1 < len(tokens) else ""
        if two in OUTCOMES:
            outcome, used = OUTCOMES[two], 2
        elif tokens[i].low in OUTCOMES:
            outcome, used = OUTCOMES[tokens[i].low], 1
        else:
            continue
        rest = i + used
        on = None
        if rest < len(tokens):
            got = take_date(words, rest, today, prefer="past")
            if got is None or rest + got[1] != len(tokens):
                raise UserError("error.bad_date", token=" ".join(words[rest:]))
            on = got[0]
        return CloseArgs(words[:i], outcome, on)
    raise UserError("usage.afslut" if len(tokens) < 2 else "error.bad_outcome")


def handle(ctx: Ctx, args: CloseArgs) -> Reply:
    citizen, _ = resolve_citizen_words(ctx, args.name)
    refuse_if_ended(citizen)
    on = args.on or ctx.today
    if args.on and args.on > ctx.today:
        raise UserError("error.future_end")
    placement = courses.active_placement(ctx.session, citizen)
    open_items = []
    if placement is not None and args.outcome != Outcome.PLACEMENT:
        open_items.append(ctx.t("word.praktik"))
    end_course(ctx.session, citizen, args.outcome, on, ctx.staff, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "end")
    reply = confirm(
        ctx,
        "ok.course_ended",
        citizen,
        outcome=ctx.t(f"outcome.{args.outcome}"),
        day=fmt.day(on, ctx.today, ctx.lang),
    )
    if open_items:
        return type(reply)(
            reply.summary + "\n" + ctx.t("warn.open_praktik"),
            actions=reply.actions,
            tone=reply.tone,
        )
    return reply
