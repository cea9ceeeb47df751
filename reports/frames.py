"""The rows the programme reports start from, fetched once per report: courses, praktik, jobs.

Each frame holds only what the figures need: ids, handles, dates, hours; never names or notes.
A praktik's or job's end is clipped to its course's (`store.course_facts.span_end_sql`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Integer, cast, func, literal, select
from sqlalchemy.orm import Session

from reports.periods import Period
from reports.scope import ReportScope, citizen_where
from store.course_facts import span_end_sql
from store.models import Citizen, Contact, Job, JobChange, Placement, PlacementChange

PEOPLE = ["id", "handle", "referred_on", "started_on", "ended_on", "outcome"]
SPANS = ["id", "citizen_id", "start_on", "ended_on", "hours"]
CHANGES = ["span_id", "on_date", "hours"]


@dataclass(frozen=True)
class Courses:
    """Courses that touch a period (referred by its end, not ended before its start)."""

    people: pd.DataFrame  # PEOPLE
    placements: pd.DataFrame  # SPANS
    jobs: pd.DataFrame  # SPANS + kind
    placement_hours: pd.DataFrame  # CHANGES: hours changes of those praktik
    job_hours: pd.DataFrame  # CHANGES: hours changes of those jobs


def touching(session: Session, scope: ReportScope, period: Period) -> Any:
    """WHERE: citizens in scope whose course touches `period` (referred by its end, not ended
    before its start).

    Written with COALESCE so that no date index is used: nearly every citizen matches, and
    SQLite, which cannot tell, would otherwise read them through an index one lookup at a time
    and drive the joins from the citizens instead of from the (smaller) praktik and jobs.
    A citizen without a referral date matches neither form; one not ended matches both.
    """
    return (
        citizen_where(session, scope),
        func.coalesce(Citizen.referred_on, date.max) <= period.end,
        func.coalesce(Citizen.ended_on, date.max) >= period.start,
    )


FRAMES = frozenset({"people", "placements", "jobs", "hours"})


def fetch_courses(
    session: Session, scope: ReportScope, period: Period, frames: frozenset[str] = FRAMES
) -> Courses:
    """The courses touching `period` (`people`), their praktik, jobs and hours changes: those
    `frames` names (each report reads only what its figures need); a frame not named is empty."""
    where = touching(session, scope, period)
    people = fetch_rows(session, select(
        Citizen.id, Citizen.handle, Citizen.referred_on, Citizen.started_on, Citizen.ended_on,
        Citizen.outcome,
    ).where(*where)) if "people" in frames else []  # fmt: skip

    def spans(name: str, model: Any, *extra: Any) -> list[Any]:
        if name not in frames:
            return []
        query = select(model.id, model.citizen_id, model.start_on, span_end_sql(model),
                       model.hours_per_week, *extra)  # fmt: skip
        joined = query.join(Citizen, Citizen.id == model.citizen_id).where(*where)
        return fetch_rows(session, joined)

    def changes(name: str, change: Any, span: Any, link: Any) -> list[Any]:
        if name not in frames or "hours" not in frames:
            return []
        query = (
            select(link, change.on_date, change.hours_per_week)
            .join(span, span.id == link)
            .join(Citizen, Citizen.id == span.citizen_id)
            .where(*where, change.hours_per_week.is_not(None))
        )
        return fetch_rows(session, query)

    return Courses(
        pd.DataFrame(people, columns=PEOPLE),
        pd.DataFrame(spans("placements", Placement), columns=SPANS),
        pd.DataFrame(spans("jobs", Job, Job.kind), columns=[*SPANS, "kind"]),
        pd.DataFrame(changes("placements", PlacementChange, Placement,
                             PlacementChange.placement_id), columns=CHANGES),
        pd.DataFrame(changes("jobs", JobChange, Job, JobChange.job_id), columns=CHANGES),
    )  # fmt: skip


def without_citizen(session: Session, scope: ReportScope) -> ColumnElement[bool]:
    """SQL: a contact logged without a citizen (work with a company alone), for `scope`.

    SQLite's statistics say a citizen id repeats about 50 times, but there are hundreds of
    thousands of NULLs; for a team or a person it searched them through the citizen index
    instead of the person's (`/status` for a team: 50 ms against 3 ms), so there `+ 0` takes
    the term off every index. For everyone, the citizen index is the right one: its NULLs in a
    period are one range (a year's: 29 ms against 310 ms with `+ 0`).
    """
    if session.get_bind().dialect.name == "sqlite" and not scope.is_everything:
        return (Contact.citizen_id + 0).is_(None)
    return Contact.citizen_id.is_(None)


def fetch_rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """The query's rows as tuples, read through the session's connection: the ORM's result
    handling took twice as long for tens of thousands of rows. Pending changes are flushed
    first, as the ORM would."""
    session.flush()
    return [tuple(r) for r in session.connection().execute(query)]


def day_number(session: Session, column: Any) -> Any:
    """SQL: days since 1970-01-01 as an integer, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(column) - 2440587.5, Integer)
    return column - literal(date(1970, 1, 1))


def week_number(session: Session, column: Any) -> Any:
    """SQL: a Monday-based week counter (1970-01-01 was a Thursday)."""
    return (day_number(session, column) + 3) // 7


def week_of(day: date) -> int:
    """The same week counter in Python."""
    return ((day - date(1970, 1, 1)).days + 3) // 7


def monday_of(week: int) -> date:
    """The Monday of a week counted as `week_of` counts them."""
    return date(1970, 1, 1) + timedelta(days=7 * week - 3)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts (None for missing values), for row-wise rules."""
    names = [str(k) for k in frame.columns]
    columns = [_plain(frame[k]) for k in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def values(frame: pd.DataFrame, *names: str) -> zip[tuple[Any, ...]]:
    """The named columns' values row by row, as `records` gives them, without a dict per row."""
    return zip(*(_plain(frame[name]) for name in names), strict=True)


def _plain(column: pd.Series) -> list[Any]:
    """A column as Python values (what `to_dict` gives), None where a value is missing."""
    if column.hasnans:
        return column.astype(object).where(column.notna(), None).tolist()
    return column.tolist()


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN
