"""Reports as chat replies: aggregates and handles only, never names or notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.core import Reply, Section
from kernel.i18n import t
from reports.caseload import CaseloadLine
from reports.figures import FigureReport, Measure
from reports.filters import filter_definitions
from reports.jobrate import JobRateResult, Rate
from reports.numbers import pct_text
from reports.periods import Period, Translate, period_label
from reports.programme import decimal_text, figure_table, measure_label
from reports.scope import ReportScope, default_scope
from reports.status import StatusResult, status_report
from reports.table import ReportTable
from reports.words import handles_text, jobrate_definition, key_text
from store.audit import audit
from store.models import Staff


def status_reply(
    result: StatusResult,
    scope: ReportScope,
    t: Translate,
    handles: dict[tuple[str, str], list[str]] | None = None,
) -> Reply:
    """The status report as a chat reply: each figure beside the previous period's."""
    facts: list[tuple[str, str]] = []
    for f in result.figures:
        label = t(f"metric.{f.metric}") if not f.key else f"  {key_text(t, f.metric, f.key)}"
        value = t("report.beside", current=f.current, previous=f.previous)
        behind = (handles or {}).get((f.metric, f.key))
        if behind:
            value += f"  [{handles_text(behind)}]"
        facts.append((label, value))
    facts.append((t("metric.overdue"), str(result.overdue)))
    summary = t(
        "report.status_title",
        scope=scope.label(t),
        period=period_label(result.period, t),
        previous=period_label(result.previous, t),
    )
    lines = (t("def.status"), *filter_lines(scope, t))
    return Reply(summary, sections=(Section(facts=tuple(facts)), Section(lines=lines)))


def filter_lines(scope: ReportScope, t: Translate) -> tuple[str, ...]:
    """`Filter: Kun borgere henvist ...`: the definition of the filter the scope applied."""
    return tuple(f"{term}: {text}" for term, text in filter_definitions(scope.filter, t))


def rate_text(t: Translate, rate: Rate) -> str:
    """`2 af 3 = 67% (mål 55%)`."""
    text = t("report.rate", num=rate.numerator, den=rate.denominator, pct=pct_text(rate.percent))
    if rate.target is not None:
        text += " " + t("report.target", target=f"{rate.target:g}%")
    return text


def jobrate_reply(result: JobRateResult, scope: ReportScope, t: Translate) -> Reply:
    """The job rate with numerator, denominator, target, lasting rate and definition."""
    facts = [
        (t("label.job_rate"), rate_text(t, result.job)),
        (t("label.lasting_rate"), rate_text(t, result.lasting)),
    ]
    facts.extend((f"  {name or '?'}", rate_text(t, rate)) for name, rate in result.by_municipality)
    lines = [jobrate_definition(t, result.rules), *filter_lines(scope, t)]
    for key, rate in (("report.behind_job", result.job), ("report.behind_lasting", result.lasting)):
        if rate.handles:
            lines.append(t(key, handles=handles_text(rate.handles, rate.numerator)))
    summary = t("report.jobrate_title", scope=scope.label(t), period=period_label(result.period, t))
    return Reply(summary, sections=(Section(facts=tuple(facts)), Section(lines=tuple(lines))))


def caseload_facts(t: Translate, lines: list[CaseloadLine]) -> tuple[tuple[str, str], ...]:
    """One fact per contact person: both readings against the cap, flagged when over it."""
    out = []
    for line in lines:
        value = t("report.caseload_line", active=line.active, ips=line.contacted, cap=line.cap)
        if line.over_cap:
            value += " " + t("report.over_cap")
        out.append((line.name, value))
    return tuple(out)


def status_summary(
    session: Session, staff: Staff, period: Period, now: datetime, lang: str | None = None
) -> Reply:
    """The status figures `staff` may see for `period`, as a reply (for the weekly digest).

    Audited as one report read by `staff`; holds aggregates only, so it may go to a channel.
    """
    scope = default_scope(session, staff)
    result = status_report(session, scope, period, now)
    audit(
        session, at=now, staff_id=staff.id, platform="digest", action="read", entity="report",
        detail=f"status {period.unit} {scope.kind}",
    )  # fmt: skip
    language = lang or staff.language or "da"
    reply = status_reply(result, scope, lambda key, **p: t(language, key, **p))
    return Reply(reply.summary, sections=reply.sections, private=False)


def measure_text(t: Translate, m: Measure) -> str:
    """`2 af 3 = 67%`, `gns. 30 dage (median 20, 10-60; n=3)`, `5,3 timer` or `12`."""
    unit = t(f"unit.{m.unit}")
    if m.unit == "share":
        return t("report.figure_share", part=m.part, whole=m.whole, pct=pct_text(_int(m.value)))
    if m.spread is not None:
        s = m.spread
        if not s.n:
            return t("report.figure_none")
        return t("report.figure_spread", mean=decimal_text(s.mean), unit=unit, n=s.n,
                 median=decimal_text(s.median), low=decimal_text(s.low),
                 high=decimal_text(s.high))  # fmt: skip
    if m.value is None:
        return t("report.figure_none")
    text = str(m.value) if isinstance(m.value, int) else decimal_text(m.value)
    return text if m.unit == "count" else f"{text} {unit}"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def figure_reply(
    report: FigureReport, title: str, t: Translate, handles: bool = False,
    scope: ReportScope | None = None,
) -> Reply:  # fmt: skip
    """A programme report in the chat: each figure, then the definitions (and the handles)."""
    facts = tuple((measure_label(t, m), measure_text(t, m)) for m in report.measures)
    table = figure_table(report, title, t)
    lines = [f"{term}: {text}" for term, text in table.definitions]
    lines.extend(filter_lines(scope, t) if scope else ())
    sections = [Section(facts=facts), Section(heading=t("report.definitions"), lines=tuple(lines))]
    if handles and table.handles:
        behind = tuple(f"{term}: {text}" for term, text in table.handles)
        sections.append(Section(lines=behind))
    return Reply(title, sections=tuple(sections))


def table_reply(table: ReportTable, handles: bool = False) -> Reply:
    """Any report table in the chat: one fact per row, then the definitions (and the handles)."""
    facts = tuple(
        (str(row[0]), "  ".join(str(v) for v in row[1:] if v not in (None, "")))
        for row in table.rows
    )
    lines = tuple(f"{term}: {text}" for term, text in table.definitions)
    sections = [Section(facts=facts), Section(lines=lines)]
    if handles and table.handles:
        sections.append(Section(lines=tuple(f"{term}: {text}" for term, text in table.handles)))
    return Reply(table.title, sections=tuple(sections))
