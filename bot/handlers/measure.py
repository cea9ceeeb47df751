"""/måling: WHO-5 wellbeing, as a 0-100 score or five answers 0-5."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm
from bot.parsing.tokens import tokenize
from bot.resolve import resolve_citizen_words
from kernel.errors import UserError
from store import course

INSTRUMENTS = {"who5", "who-5", "trivsel", "wellbeing"}
PHASES = {"start": "start", "slut": "end", "end": "end"}


@dataclass(frozen=True)
class MeasureArgs:
    name: list[str]
    score: int
    items: list[int] | None
    phase: str | None


def parse(text: str, today: date) -> MeasureArgs:
    tokens = tokenize(text)
    at = next((i for i, t in enumerate(tokens) if t.low in INSTRUMENTS and i > 0), None)
    if at is None:
        raise UserError("usage.måling")
    rest = [t.text for t in tokens[at + 1 :]]
    phase = None
    if rest and rest[-1].casefold() in PHASES:
        phase = PHASES[rest.pop().casefold()]
    if len(rest) == 1 and "," in rest[0]:
        rest = [r for r in rest[0].split(",") if r]
    if not rest or not all(r.isdigit() for r in rest):
        raise UserError("usage.måling")
    values = [int(r) for r in rest]
    if len(values) == 1:
        if not 0 <= values[0] <= 100:
            raise UserError("error.who5_score", value=values[0])
        return MeasureArgs([t.text for t in tokens[:at]], values[0], None, phase)
    if len(values) != 5 or not all(0 <= v <= 5 for v in values):
        raise UserError("error.who5_items")
    return MeasureArgs([t.text for t in tokens[:at]], sum(values) * 4, values, phase)


def handle(ctx: Ctx, args: MeasureArgs) -> Reply:
    citizen, _ = resolve_citizen_words(ctx, args.name)
    m = course.measure(
        ctx.session,
        citizen=citizen,
        score=args.score,
        items=args.items,
        phase=args.phase,
        on=ctx.today,
        by=ctx.staff,
        now=ctx.now,
    )
    ctx.audit("create", "measurement", m.id, citizen)
    phase = " " + ctx.t(f"phase.{args.phase}") if args.phase else ""
    return confirm(ctx, "ok.measured", citizen, score=args.score, phase=phase)
