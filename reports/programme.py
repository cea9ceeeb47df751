"""The programme reports as tables: durations, hours, intensity, citizens, cost, IPS fidelity."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from reports.caseload import caseload_lines
from reports.durations import compute_durations, compute_hours
from reports.figures import FigureReport, Measure
from reports.frames import fetch_courses
from reports.intensity import (
    compute_citizens,
    compute_cost,
    compute_fidelity,
    compute_intensity,
    fetch_contacts,
    fetch_reach,
    running_ids,
    weekly_handles,
    weeks_to,
)
from reports.periods import Translate
from reports.table import Chart, ReportTable
from reports.wellbeing import compute_who5_points, fetch_who5_points
from reports.words import handles_text, key_text

# What each report reads of the courses (`fetch_courses`) for its figures, and what it reads
# only for the handles behind them, when they are shown (`borgere`, a file): everyone's
# courses of a year are 66,000 rows, a third of a second to read on a slow core.
COURSE_FRAMES = {
    "durations": frozenset({"people", "placements", "jobs"}),
    "hours": frozenset({"people", "placements", "jobs", "hours"}),
    "citizens": frozenset({"people", "placements", "jobs"}),
    "cost": frozenset({"jobs"}),
}
HANDLE_FRAMES = {"cost": frozenset({"people"})}
CONTACT_PARTS = {
    "intensity": frozenset({"minutes", "form", "weeks"}),
    "cost": frozenset({"minutes", "served"}),
    "fidelity": frozenset({"form", "staff", "first"}),
}
FIGURE_COLUMNS = ("col.figure", "col.value", "col.unit", "col.count", "col.of", "col.median",
                  "col.min", "col.max")  # fmt: skip


def figure_report(session: Session, request: Any) -> FigureReport:
    """The named programme report's figures for the request's scope, period and day."""
    name, scope, period, today = request.name, request.scope, request.period, request.today
    if name == "who5points":
        frame = fetch_who5_points(session, scope, period)
        return compute_who5_points(frame, period, request.settings.who5_months)
    if name == "intensity":  # counted in SQL: no courses read unless their handles are shown
        reach = fetch_reach(session, scope, period, today, request.handles)
        ran = running_ids(session, scope, period, today)
        contacts = fetch_contacts(session, scope, period, CONTACT_PARTS[name],
                                  weeks_to(period, today), ran)  # fmt: skip
        seen = weekly_handles(session, contacts)
        return compute_intensity(reach, contacts, seen, period, today)
    if name == "fidelity":  # the courses started in the period come with their first contacts
        contacts = fetch_contacts(session, scope, period, CONTACT_PARTS[name])
        lines = caseload_lines(session, scope, today, request.settings.caseload_cap,
                               contacted=False)  # fmt: skip
        caseloads = {line.name: (line.active, line.cap) for line in lines}
        return compute_fidelity(contacts, period, today, caseloads)
    frames = COURSE_FRAMES[name] | (HANDLE_FRAMES.get(name, frozenset()) if request.handles
                                    else frozenset())  # fmt: skip
    courses = fetch_courses(session, scope, period, frames)
    if name == "durations":
        return compute_durations(courses, period, today)
    if name == "hours":
        return compute_hours(courses, period, today)
    if name == "citizens":
        return compute_citizens(courses, period, today)
    contacts = fetch_contacts(session, scope, period, CONTACT_PARTS[name])
    if name == "cost":
        s = request.settings
        return compute_cost(courses, contacts, period, today, Decimal(str(s.hourly_rate)),
                            Decimal(str(s.overhead_pct)))  # fmt: skip
    raise ValueError(name)


def measure_label(t: Translate, measure: Measure) -> str:
    """`Kontakter pr. borger telefon`: the figure's name and, if any, whose or which form."""
    label = t(f"fig.{measure.key}")
    if measure.key.startswith("who5_") and measure.label:
        return t(f"fig.{measure.key}", months=measure.label)
    if measure.label:
        label += " " + key_text(t, "contacts", measure.label)
    return label


def decimal_text(value: object) -> str:
    """`25,3` with a decimal comma; `` for nothing."""
    return "" if value is None else str(value).replace(".", ",")


def _row(t: Translate, m: Measure) -> tuple[object, ...]:
    spread = m.spread
    value: object = m.value if isinstance(m.value, int) else decimal_text(m.value)
    n = m.part if m.part is not None else (spread.n if spread else "")
    return (
        measure_label(t, m), value, t(f"unit.{m.unit}"), n, "" if m.whole is None else m.whole,
        decimal_text(spread.median) if spread else "", decimal_text(spread.low) if spread else "",
        decimal_text(spread.high) if spread else "",
    )  # fmt: skip


def figure_table(report: FigureReport, title: str, t: Translate) -> ReportTable:
    """A figure report as a table: one row per figure, its definition and handles beside it."""
    definitions = []
    seen = set()
    for m in report.measures:
        if m.key not in seen:
            seen.add(m.key)
            term = t(f"fig.{m.key}", months="N").rstrip(",")  # `Kontakter pr. borger, <form>`
            definitions.append((term, t(f"fdef.{m.key}")))
    return ReportTable(
        report.name,
        title,
        tuple(t(c) for c in FIGURE_COLUMNS),
        tuple(_row(t, m) for m in report.measures),
        tuple(definitions),
        tuple((measure_label(t, m), handles_text(m.handles)) for m in report.measures if m.handles),
        _chart(report, t),
    )


def _chart(report: FigureReport, t: Translate) -> Chart:
    """The figures in the unit of the first one, so one axis never mixes days and shares."""
    units = [m.unit for m in report.measures]
    first = next((u for u in units if u != "count"), units[0] if units else "count")
    rows = tuple(i for i, u in enumerate(units) if u == first)
    return Chart((0,), (1,), rows=rows, percent=first == "share", empty=t("chart.empty"),
                 axis=t(f"unit.{first}"))  # fmt: skip
