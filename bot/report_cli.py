"""`rampe report`: the same report tables as /rapport, for the operator at the command line."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.errors import UserError
from kernel.i18n import t
from reports.catalogue import ReportRequest, build_report, report_name
from reports.files import render_file
from reports.filters import parse_filters
from reports.periods import Period, unit_period
from reports.scope import ReportScope, team_scope
from store.audit import audit
from store.models import Team


def cli_period(start: date | None, end: date | None, today: date) -> Period:
    """`--from`/`--to` as a period; the current year when neither is given. A period that
    ends before it starts is refused."""
    if start is None and end is None:
        return unit_period("year", today)
    period = Period("range", start or date(today.year, 1, 1), end or today)
    if period.end < period.start:
        raise UserError("error.period_order")
    return period


def run_report(
    session: Session,
    settings: object,
    name: str,
    period: Period,
    now: datetime,
    today: date,
    fmt: str,
    team: str | None = None,
    municipality: str | None = None,
    filters: tuple[str, ...] = (),
) -> tuple[str, str, bytes]:
    """The report as (file name, MIME type, bytes), audited as read by the operator.

    `filters` are filter words (`henvist`, `ansat-ved-start`), counted in `period`."""
    found = report_name(name)
    if found is None:
        raise UserError("error.no_report", name=name)
    scope = ReportScope("all")
    if team:
        chosen = session.scalar(select(Team).where(func.lower(Team.name) == team.casefold()))
        if chosen is None:
            raise UserError("error.scope_no_team")
        scope = team_scope(session, None, chosen)
    scope = scope.with_municipality(municipality).with_filter(parse_filters(filters, period))
    lang = str(getattr(settings, "language", "da"))

    def translate(key: str, **params: object) -> str:
        return t(lang, key, **params)

    table = build_report(
        session, ReportRequest(found, scope, period, now, today, settings), translate
    )
    audit(
        session, at=now, staff_id=None, platform="cli", action="read", entity="report",
        detail=f"{found} {period.unit} {scope.audited} {fmt}",
    )  # fmt: skip
    return render_file(table, fmt, translate)
