"""Every named report as a `ReportTable`: the same figures for /rapport and `rampe report`."""

from __future__ import annotations

from collections.abc import Callable, Sized
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from reports import course
from reports.caseload import caseload_lines
from reports.filters import filter_definitions
from reports.jobrate import Rate, jobrate_report, rules_from, team_targets
from reports.numbers import pct
from reports.periods import Period, Translate, period_label
from reports.programme import figure_report, figure_table
from reports.scope import ReportScope
from reports.status import figure_handles, status_report
from reports.table import Chart, ReportTable
from reports.words import handles_text, jobrate_definition, key_text

NAMES: dict[str, str] = {
    "status": "status",
    "jobrate": "jobrate", "jobrate%": "jobrate", "job": "jobrate",
    "caseload": "caseload",
    "statusdato": "cutoff", "skæringsdato": "cutoff", "cutoff": "cutoff",
    "udfald": "outcomes", "outcomes": "outcomes",
    "trivsel": "who5", "who5": "who5", "who-5": "who5", "wellbeing": "who5",
    "trivselsforløb": "who5points", "trivselsforlob": "who5points", "who5points": "who5points",
    "aktivitet": "activity", "activity": "activity",
    "pris": "cost", "omkostning": "cost", "omkostninger": "cost", "cost": "cost",
    "forløbstid": "durations", "forlobstid": "durations", "varighed": "durations",
    "durations": "durations",
    "timer": "hours", "hours": "hours",
    "intensitet": "intensity", "intensity": "intensity",
    "borgere": "citizens", "borgertal": "citizens", "citizens": "citizens",
    "fidelitet": "fidelity", "ips": "fidelity", "fidelity": "fidelity",
    "måltal": "targets", "maaltal": "targets", "maltal": "targets", "targets": "targets",
}  # fmt: skip
REPORTS = ("status", "jobrate", "caseload", "cutoff", "outcomes", "who5", "activity", "cost",
           "targets", "durations", "hours", "intensity", "citizens", "fidelity",
           "who5points")  # fmt: skip
FIGURE_REPORTS = ("cost", "durations", "hours", "intensity", "citizens", "fidelity", "who5points")


# The name a report goes by in help, the README and `rampe report --help`: Danish (English).
SHOWN_NAMES = (
    ("status", "status"), ("jobrate", "jobrate"), ("caseload", "caseload"),
    ("statusdato", "cutoff"), ("udfald", "outcomes"), ("trivsel", "who5"),
    ("aktivitet", "activity"), ("pris", "cost"), ("måltal", "targets"),
    ("forløbstid", "durations"), ("timer", "hours"), ("intensitet", "intensity"),
    ("borgere", "citizens"), ("fidelitet", "fidelity"), ("trivselsforløb", "who5points"),
)  # fmt: skip


def shown_name(danish: str, english: str) -> str:
    """`statusdato (cutoff)`, or just `status` where both languages agree."""
    return danish if danish == english else f"{danish} ({english})"


def report_name(word: str) -> str | None:
    """The report a Danish or English word names, if any."""
    return NAMES.get(word.casefold())


@dataclass(frozen=True)
class ReportRequest:
    """Which report, for whom, over which period, as of when, under which settings."""

    name: str
    scope: ReportScope
    period: Period
    now: datetime
    today: date
    settings: Any
    split: bool = False
    handles: bool = True  # look up the handles behind each figure (a file's handles sheet)
    cohort: str | None = None  # the job rate's cohort, if not the configured one

    @property
    def team(self) -> str | None:
        """The team whose own targets apply, if the report is a team's."""
        return self.scope.name if self.scope.kind == "team" else None


Builder = Callable[[Session, ReportRequest, Translate], ReportTable]


def build_report(session: Session, request: ReportRequest, t: Translate) -> ReportTable:
    """The named report as a table, its definitions saying which filter applied, if any."""
    table = BUILDERS[request.name](session, request, t)
    applied = filter_definitions(request.scope.filter, t)
    return replace(table, definitions=table.definitions + applied) if applied else table


def report_title(request: ReportRequest, t: Translate, extra: str = "") -> str:
    """The report's heading: its name, scope and period."""
    period = extra or period_label(request.period, t)
    return t(f"title.{request.name}", scope=request.scope.label(t), period=period)


def _status(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    result = status_report(session, req.scope, req.period, req.now)
    rows: list[tuple[object, ...]] = [
        (t(f"metric.{f.metric}"), key_text(t, f.metric, f.key) if f.key else "", f.current,
         f.previous)
        for f in result.figures
    ]  # fmt: skip
    rows.append((t("metric.overdue"), "", result.overdue, ""))
    behind = []
    for f in result.figures:
        handles = (
            figure_handles(session, req.scope, req.period, f.metric, f.key)
            if f.current and req.handles
            else []
        )
        if handles:
            label = t(f"metric.{f.metric}") + (f" {key_text(t, f.metric, f.key)}" if f.key else "")
            behind.append((label, ", ".join(handles)))
    return ReportTable(
        "status",
        report_title(req, t),
        (t("col.figure"), t("col.kind"), period_label(req.period, t),
         period_label(result.previous, t)),
        tuple(rows),
        ((t("col.definition"), t("def.status")),),
        tuple(behind),
        Chart((0,), (2, 3), rows=tuple(i for i, r in enumerate(rows) if not r[1]),
              empty=t("chart.empty")),
    )  # fmt: skip


def _rate_row(t: Translate, label: str, rate: Rate) -> tuple[object, ...]:
    goal = rate.target
    target: object = "" if goal is None else int(goal) if goal == int(goal) else goal  # as percent
    percent = "" if rate.percent is None else rate.percent
    return (label, rate.numerator, rate.denominator, percent, target)


def _jobrate(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    rules = rules_from(req.settings, req.cohort, req.team)
    result = jobrate_report(
        session, req.scope, req.period, rules, req.today, req.split, cohort_handles=req.handles
    )
    rows = [_rate_row(t, t("label.job_rate"), result.job),
            _rate_row(t, t("label.lasting_rate"), result.lasting)]  # fmt: skip
    rows.extend(_rate_row(t, name or "?", rate) for name, rate in result.by_municipality)
    return ReportTable(
        "jobrate",
        report_title(req, t),
        (t("col.figure"), t("col.numerator"), t("col.denominator"), t("col.percent"),
         t("col.target_pct")),
        tuple(rows),
        ((t("label.job_rate"), jobrate_definition(t, result.rules)),),
        ((t("label.job_rate"), handles_text(result.job.handles, result.job.numerator)),
         (t("label.lasting_rate"), handles_text(result.lasting.handles, result.lasting.numerator)),
         (t("col.denominator"), ", ".join(result.cohort_handles))),
        Chart((0,), (3,), percent=True, target=4, target_label=t("col.target"),
              empty=t("chart.empty"), axis=t("col.percent")),
    )  # fmt: skip


def _caseload(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    cap = req.settings.caseload_cap
    lines = caseload_lines(session, req.scope, req.today, cap)
    return ReportTable(
        "caseload",
        report_title(req, t, extra=str(req.today)),
        (t("col.person"), t("col.active"), t("col.contacted"), t("col.cap")),
        tuple((line.name, line.active, line.contacted, line.cap) for line in lines),
        ((t("col.definition"), t("def.caseload", cap=cap)),),
        chart=Chart((0,), (1, 2), empty=t("chart.empty")),
    )


def _cutoff(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    cutoff = min(req.period.end, req.today)
    found = course.fetch_cutoff(session, req.scope, cutoff, shown=req.handles)
    total = found.total()

    def label(bucket: str) -> str:
        if bucket.startswith("ended:"):
            return t("bucket.ended", outcome=key_text(t, "ended", bucket.split(":", 1)[1]))
        return t(f"bucket.{bucket}")

    rows = [(label(b), n, pct(n, total) or 0) for b, n in found.counts.items()]
    rows.append((t("col.total"), total, 100 if total else 0))
    return ReportTable(
        "cutoff",
        report_title(req, t, extra=f"{cutoff.day}/{cutoff.month}/{cutoff.year}"),
        (t("col.bucket"), t("col.citizens"), t("col.percent")),
        tuple(rows),
        ((t("col.definition"), t("def.cutoff")),),
        tuple((label(b), handles_text(h)) for b, h in (found.handles or {}).items() if h),
        _citizens_chart(1, rows, t),
    )


def _outcomes(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    counts = course.outcome_counts(session, req.scope, req.period)
    total = sum(len(v) for v in counts.values())
    ordered = sorted(counts.items(), key=lambda kv: course.outcome_order(kv[0], len(kv[1])))
    rows: list[tuple[object, ...]] = [
        (key_text(t, "ended", o), t(f"bucket_of.{course.outcome_bucket(o)}"), len(h),
         pct(len(h), total))
        for o, h in ordered
    ]  # fmt: skip
    rows.append((t("col.total"), "", total, 100 if total else None))
    return ReportTable(
        "outcomes",
        report_title(req, t),
        (t("col.outcome"), t("col.group"), t("col.citizens"), t("col.percent")),
        tuple(rows),
        ((t("col.definition"), t("def.outcomes")),),
        tuple((key_text(t, "ended", o), handles_text(h)) for o, h in ordered),
        _citizens_chart(2, rows, t),
    )


def _citizens_chart(column: int, rows: Sized, t: Translate) -> Chart:
    """Citizens per row from `column`, the total row left out."""
    rows_drawn = tuple(range(len(rows) - 1))
    return Chart((0,), (column,), rows=rows_drawn, empty=t("chart.empty"), axis=t("col.citizens"))


def _who5(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    r = course.compute_who5(course.fetch_who5(session, req.scope), req.period)

    def band_row(label: str, index: int) -> tuple[object, ...]:
        start, end = r.bands_start[index], r.bands_end[index]
        return (label, start, pct(start, r.n), end, pct(end, r.n))

    rows: list[tuple[object, ...]] = [
        (t("who5.n"), r.n, "", r.n, ""),
        (t("who5.mean"), _dec(r.mean_start), "", _dec(r.mean_end), ""),
        band_row(t("who5.below36"), 0),
        band_row(t("who5.mid"), 1),
        band_row(t("who5.above50"), 2),
    ]
    return ReportTable(
        "who5",
        report_title(req, t),
        (t("col.figure"), t("col.start"), t("col.start_pct"), t("col.end"), t("col.end_pct")),
        tuple(rows),
        ((t("col.definition"), t("def.who5")),),
        ((t("who5.n"), handles_text(r.handles)),),
        Chart((0,), (1, 3), rows=(2, 3, 4), empty=t("chart.empty"), axis=t("col.citizens")),
    )


def _dec(value: object) -> object:
    return "" if value is None else str(value).replace(".", ",")


def _activity(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    rows = course.compute_activity(course.fetch_activity(session, req.scope, req.period))
    return ReportTable(
        "activity",
        report_title(req, t),
        (t("col.person"), t("col.week"), t("col.contacts"), t("col.minutes")),
        tuple(rows),
        ((t("col.definition"), t("def.activity")),),
        chart=Chart(
            (0, 1), (2,), horizontal=False, empty=t("chart.empty"), axis=t("col.contacts"), series=0
        ),
    )


def _figures(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    return figure_table(figure_report(session, req), report_title(req, t), t)


COUNT_TARGETS = {"referrals": "referrals", "starts": "starts", "job_starts": "job_starts",
                 "praktik_starts": "praktik_starts"}  # fmt: skip


def _targets(session: Session, req: ReportRequest, t: Translate) -> ReportTable:
    status = status_report(session, req.scope, req.period, req.now)
    rates = jobrate_report(
        session, req.scope, req.period, rules_from(req.settings, req.cohort, req.team), req.today
    )
    achieved: dict[str, object] = {"job_rate": rates.job.percent,
                                   "lasting_rate": rates.lasting.percent}  # fmt: skip
    achieved.update({k: status.value(m) for k, m in COUNT_TARGETS.items()})
    rows = []
    for key, goal in sorted(team_targets(req.settings, req.team).items()):
        got = achieved.get(key)
        percent_target = key.endswith("_rate")
        unit = "%" if percent_target else ""
        reached = "" if got is None else t("word.yes") if float(str(got)) >= goal else t("word.no")
        rows.append((t(f"target.{key}") if key in TARGET_KEYS else key, f"{goal:g}{unit}",
                     "" if got is None else f"{got}{unit}", reached))  # fmt: skip
    return ReportTable(
        "targets",
        report_title(req, t),
        (t("col.target_name"), t("col.target"), t("col.achieved"), t("col.reached")),
        tuple(rows),
        ((t("col.definition"), t("def.targets")),),
    )


TARGET_KEYS = {"job_rate", "lasting_rate", *COUNT_TARGETS}

BUILDERS: dict[str, Builder] = {
    "status": _status,
    "jobrate": _jobrate,
    "caseload": _caseload,
    "cutoff": _cutoff,
    "outcomes": _outcomes,
    "who5": _who5,
    "activity": _activity,
    "targets": _targets,
    **{name: _figures for name in FIGURE_REPORTS},
}
