"""/afslut: end a course with one outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm
from bot.parsing.dates import take_date
from bot.parsing.tokens import tokenize
from bot.parsing.words import OUTCOMES
from bot.resolve import resolve_citizen_words
from kernel.errors import UserError
from kernel.vocabulary import Outcome
from store import course
from store.models import Company


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
    on = args.on or ctx.today
    closed = course.close(ctx.session, citizen, args.outcome, on, ctx.staff, ctx.now, ctx.today)
    ctx.audit("update", "citizen", citizen.id, citizen, "end")
    day = fmt.day(on, ctx.today, ctx.lang)
    reply = confirm(
        ctx, "ok.course_ended", citizen, outcome=ctx.t(f"outcome.{args.outcome}"), day=day
    )
    ended = [
        ctx.t(f"note.closed_{what}", company=_company_name(ctx, span.company_id), day=day)
        for what, span in (("praktik", closed.praktik), ("job", closed.job))
        if span is not None
    ]
    if not ended:
        return reply
    return Reply("\n".join([reply.summary, *ended]), actions=reply.actions, tone=reply.tone)


def _company_name(ctx: Ctx, company_id: int | None) -> str:
    company = ctx.session.get(Company, company_id) if company_id else None
    return company.name if company else "?"
