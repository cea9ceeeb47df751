"""Chat renderings of the reports: aggregates and handles only, never names or notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.core import Reply, Section
from kernel.i18n import has_text, t
from reports.caseload import CaseloadLine
from reports.jobrate import JobRateResult, Rate
from reports.numbers import pct_text
from reports.periods import Period, Translate, period_label
from reports.scope import ReportScope, default_scope
from reports.status import StatusResult, status_report
from store.audit import audit
from store.models import Staff

MAX_HANDLES = 30
KEY_TEXTS = {
    "contacts": "form",
    "job_starts": "jobkind",
    "ended": "outcome",
    "praktik_ends": "praktikend",
}


def key_text(t: Translate, metric: str, key: str) -> str:
    """The word for a figure's key: a contact form, job kind, outcome or praktik end."""
    name = f"{KEY_TEXTS.get(metric, metric)}.{key}"
    return t(name) if has_text(name) else key


def handles_text(handles: tuple[str, ...] | list[str]) -> str:
    """`AB-0001, CD-0002 (+3)`: at most 30 handles."""
    shown = ", ".join(handles[:MAX_HANDLES])
    more = len(handles) - MAX_HANDLES
    return f"{shown} (+{more})" if more > 0 else shown


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
    definition = t("def.status")
    return Reply(summary, sections=(Section(facts=tuple(facts)), Section(lines=(definition,))))


def rate_text(t: Translate, rate: Rate) -> str:
    """`2 af 3 = 67% (mål 55%)`."""
    text = t("report.rate", num=rate.numerator, den=rate.denominator, pct=pct_text(rate.percent))
    if rate.target is not None:
        text += " " + t("report.target", target=f"{rate.target:g}%")
    return text


def jobrate_definition(t: Translate, result: JobRateResult) -> str:
    """The definition a job-rate figure was computed with, in words."""
    rules = result.rules
    outcomes = ", ".join(key_text(t, "ended", o) for o in rules.outcomes)
    pension = t("def.pension_counts") if rules.pension_lasting else t("def.pension_not")
    return t(f"def.jobrate_{rules.cohort}", outcomes=outcomes, pension=pension)


def jobrate_reply(result: JobRateResult, scope: ReportScope, t: Translate) -> Reply:
    """The job rate with numerator, denominator, target, lasting rate and definition."""
    facts = [
        (t("label.job_rate"), rate_text(t, result.job)),
        (t("label.lasting_rate"), rate_text(t, result.lasting)),
    ]
    facts.extend((f"  {name or '?'}", rate_text(t, rate)) for name, rate in result.by_municipality)
    lines = [jobrate_definition(t, result)]
    if result.job.handles:
        lines.append(t("report.behind_job", handles=handles_text(result.job.handles)))
    if result.lasting.handles:
        lines.append(t("report.behind_lasting", handles=handles_text(result.lasting.handles)))
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
