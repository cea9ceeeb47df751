"""/status nu: how many citizens are where today, counted as the cut-off report counts them.

Each citizen referred by today is in exactly one bucket (paused, in a job, in a praktik, active,
referred, or ended), the same buckets and order as `/rapport statusdato` for today, so "hvor
mange er i job lige nu" has one answer. `/status` with any other words is the period report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.context import Ctx
from bot.core import Reply, Section
from bot.handlers import status as period_status
from bot.handlers.status import ReportArgs, parse_words, resolve_scope
from bot.parsing.periods import parse_period
from bot.render.reports import filter_lines
from kernel.errors import UserError
from reports.course import fetch_cutoff
from reports.numbers import MAX_HANDLES
from reports.words import handles_text
from store.models import Citizen

NOW_WORDS = {"nu", "now"}


@dataclass(frozen=True)
class NowArgs:
    """`/status nu [team|kommune:navn|@kollega] [borgere] [filter]`; a filter counts this year."""

    report: ReportArgs


def parse(text: str, today: date) -> NowArgs | ReportArgs:
    """`nu ...` is a count of today; anything else is `/status` for a period."""
    head, _, rest = text.strip().partition(" ")
    if head.casefold() not in NOW_WORDS:
        return period_status.parse_status(text, today)
    for word in rest.split():
        if parse_period(word, today) is not None:
            raise UserError("error.now_period", token=word)
    args = parse_words(rest, today, "year")  # the period a filter (`henvist`) counts in
    if args.split_municipality:
        raise UserError("error.status_municipality")
    return NowArgs(args)


def handle(ctx: Ctx, args: NowArgs | ReportArgs) -> Reply:
    """Today's buckets for `/status nu`; the period report otherwise."""
    if not isinstance(args, NowArgs):
        return period_status.handle_status(ctx, args)
    scope = resolve_scope(ctx, args.report)
    today = ctx.today
    found = fetch_cutoff(ctx.session, scope, today, shown=args.report.handles)
    ctx.audit("read", "report", detail=f"status now {scope.audited}")
    facts = [(ctx.t("now.in_course"), str(found.total(ended=False)))]
    for bucket in ("active", "praktik", "job", "paused", "referred"):
        value = str(found.counts[bucket])
        handles = (found.handles or {}).get(bucket)
        if handles:
            value += f"  [{handles_text(handles)}]"
            _shown(ctx, handles[:MAX_HANDLES])
        facts.append((f"  {ctx.t(f'bucket.{bucket}')}", value))
    facts.append((ctx.t("now.ended"), str(found.total(ended=True))))
    day = f"{today.day}/{today.month} {today.year}"
    title = ctx.t("now.title", scope=scope.label(ctx.t), day=day)
    lines = (ctx.t("def.now"), *filter_lines(scope, ctx.t))
    return Reply(title, sections=(Section(facts=tuple(facts)), Section(lines=lines)))


def _shown(ctx: Ctx, handles: list[str]) -> None:
    """Handles shown are reads of those citizens: the dispatcher audits what was touched."""
    query = select(Citizen.id, Citizen.handle).where(Citizen.handle.in_(handles))
    rows = ctx.session.execute(query)
    ctx.touched.update({citizen_id: handle for citizen_id, handle in rows})
