"""/fravær (/absence): away from a date to a date; items go to a stand-in or wait."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.context import Ctx
from bot.core import Reply, Section, Tone
from bot.parsing.dates import parse_date_token
from bot.resolve import resolve_staff
from kernel.errors import UserError
from store import deliveries
from store.models import Absence, Staff

DELETE = {"slet", "delete", "cancel", "annuller", "fjern", "remove"}
_RANGE = re.compile(r"^(\S+?)\s*(?:-|–|til|to)\s*(\S+)$")


@dataclass(frozen=True)
class AbsenceArgs:
    action: str  # show | add | delete
    start: date | None = None
    end: date | None = None
    stand_in: str | None = None


def parse(text: str, today: date) -> AbsenceArgs:
    """`1/7-21/7 [@stedfortræder]`, `fra 1/7 til 21/7 @bo`, `slet`, or nothing (show)."""
    words = text.split()
    if not words:
        return AbsenceArgs("show")
    if words[0].casefold() in DELETE:
        return AbsenceArgs("delete")
    stand_in = None
    if words[-1].startswith("@"):
        stand_in = words.pop()
    if words and words[0].casefold() in ("fra", "from"):
        words = words[1:]
    period = " ".join(words)
    m = _RANGE.match(period)
    if m is None:
        raise UserError("error.absence_dates", token=period or text)
    start = _day(m.group(1), today, period)
    end = _day(m.group(2), start, period)
    if end < start:
        raise UserError("error.absence_order")
    return AbsenceArgs("add", start, end, stand_in)


def _day(token: str, after: date, period: str) -> date:
    found = parse_date_token(token, after, "future")
    if found is None:
        raise UserError("error.absence_dates", token=period)
    return found


def handle(ctx: Ctx, args: AbsenceArgs) -> Reply:
    if args.action == "delete":
        count = deliveries.remove_absences(ctx.session, ctx.staff.id, ctx.today)
        ctx.audit("delete", "absence", detail=f"{count} removed")
        return Reply(ctx.t("ok.absence_removed", count=count), tone=Tone.OK)
    if args.action == "show":
        return _show(ctx)
    assert args.start is not None and args.end is not None
    stand_in = resolve_staff(ctx, args.stand_in) if args.stand_in else None
    if stand_in is not None and stand_in.id == ctx.staff.id:
        raise UserError("error.stand_in_self")
    absence = deliveries.add_absence(
        ctx.session, ctx.staff.id, args.start, args.end, stand_in.id if stand_in else None, ctx.now
    )
    # a stand-in will see the absent person's citizens in their digests: an access grant
    ctx.audit(
        "create", "absence", absence.id, detail=f"stand-in {stand_in.id if stand_in else '-'}"
    )
    period = {"start": _short(args.start), "end": _short(args.end)}
    if stand_in is not None:
        text = ctx.t("ok.absence_stand_in", name=stand_in.display_name, **period)
    else:
        text = ctx.t("ok.absence", **period)
    return Reply(text, tone=Tone.OK)


def _show(ctx: Ctx) -> Reply:
    rows = ctx.session.execute(
        select(Absence, Staff.display_name)
        .outerjoin(Staff, Staff.id == Absence.stand_in_id)
        .where(Absence.staff_id == ctx.staff.id, Absence.ends_on >= ctx.today)
        .order_by(Absence.starts_on)
    ).all()
    if not rows:
        return Reply(ctx.t("fu.absence_none"))
    lines = tuple(
        ctx.t("fu.absence_line", start=_short(a.starts_on), end=_short(a.ends_on), name=name or "")
        for a, name in rows
    )
    return Reply(ctx.t("usage.fravær"), sections=(Section(lines=lines),))


def _short(day: date) -> str:
    return f"{day.day}/{day.month}"
