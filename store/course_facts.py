"""What follows from a course's dates, defined once: current praktik and job, months in a job,
a lasting job, aftercare.

Pure functions over dates for one course, and beside them the SQL expressions and the row
functions that compute the same facts for many courses at once. Follow-up rules, the citizen card
and the reports all use these; none of them works the facts out on its own.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    ColumnElement,
    Date,
    Interval,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
)

from kernel.vocabulary import Outcome
from store.models import Citizen, Job, Placement

LASTING_MONTHS = 6  # a job held this long is a lasting job (domain.md, step 6)
AFTERCARE_MONTHS = 6  # efterværn: the first months of a job
# Outcomes that may count as lasting without a job (domain.md: "lasting fleksjob or pension").
# Being in process toward a pension is not a pension yet.
PENSION_OUTCOMES = (Outcome.DISABILITY_PENSION.value, Outcome.SENIOR_PENSION.value)


class Span(Protocol):
    """A praktik or a job: a start and, once it is over, an end."""

    @property
    def start_on(self) -> date: ...

    @property
    def ended_on(self) -> date | None: ...


S = TypeVar("S", bound=Span)


@lru_cache(maxsize=8192)  # the sweep asks for the same few hundred start dates again and again
def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31/1 + 1 -> 28/2)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def is_open(span: Span) -> bool:
    """A praktik or job that has not ended (it may start later)."""
    return span.ended_on is None


def current(spans: Iterable[S]) -> S | None:
    """The current praktik (or job) among a course's: the latest-starting one still open."""
    open_ = [s for s in spans if is_open(s)]
    return max(open_, key=lambda s: s.start_on) if open_ else None


def span_end(ended_on: date | None, course_ended_on: date | None) -> date | None:
    """When a praktik or job ended: its own end, and never later than its course's end."""
    if course_ended_on is None:
        return ended_on
    if ended_on is None:
        return course_ended_on
    return min(ended_on, course_ended_on)


def running_on(start_on: date, ended_on: date | None, day: date) -> bool:
    """Started by `day` and not ended by it (a span ending on `day` is over that day)."""
    return start_on <= day and (ended_on is None or ended_on > day)


def months_in_job(start_on: date, ended_on: date | None, today: date) -> int:
    """Whole calendar months held, to the job's end or to `today` (0 before the start)."""
    until = ended_on or today
    if until < start_on:
        return 0
    months = (until.year - start_on.year) * 12 + until.month - start_on.month
    return months if add_months(start_on, months) <= until else months - 1


def lasting_from(start_on: date) -> date:
    """The day a job started on `start_on` becomes a lasting job (the six-month mark)."""
    return add_months(start_on, LASTING_MONTHS)


def is_lasting(start_on: date, ended_on: date | None, as_of: date) -> bool:
    """A lasting job: held at least six calendar months, to its end or to `as_of`, whichever
    is first (an end logged after `as_of` is not known on it: a rerun as of a day agrees)."""
    return lasting_from(start_on) <= min(ended_on or as_of, as_of)


def aftercare_ends(job_start: date) -> date:
    """The first day after the aftercare (efterværn) of a job started on `job_start`."""
    return add_months(job_start, AFTERCARE_MONTHS)


def in_aftercare(job_start: date, day: date) -> bool:
    """On `day`, the job's six months of aftercare have not yet run out."""
    return day < aftercare_ends(job_start)


# --- The same facts for many courses at once ------------------------------------------------


def praktik_is_open() -> ColumnElement[bool]:
    """SQL: the praktik has not ended (`is_open`)."""
    return Placement.ended_on.is_(None)


def job_is_open() -> ColumnElement[bool]:
    """SQL: the job has not ended (`is_open`)."""
    return Job.ended_on.is_(None)


def span_end_sql(
    model: type[Placement] | type[Job], course_end: Any = Citizen.ended_on
) -> ColumnElement[date | None]:
    """SQL `span_end`: a praktik's or job's end, clipped to its course's (`course_end`: join
    `Citizen`, or give the column that holds the course's end)."""
    clipped = and_(
        course_end.is_not(None), or_(model.ended_on.is_(None), model.ended_on > course_end)
    )
    return case((clipped, course_end), else_=model.ended_on)


def job_is_lasting_sql(
    dialect: str, as_of: date, course_end: Any = Citizen.ended_on
) -> ColumnElement[bool]:
    """SQL `is_lasting` for `Job` beside its course's end (`span_end_sql`): held six months to
    its end (clipped to the course's) or to `as_of`, whichever is first."""
    six = lasting_from_sql(dialect, Job.start_on)
    held_to = func.coalesce(span_end_sql(Job, course_end), literal(as_of, Date))
    return and_(six <= held_to, six <= literal(as_of, Date))


def lasting_from_sql(dialect: str, start_on: Any) -> ColumnElement[date]:
    """SQL `lasting_from`: six months on, clamped to the month's end as `add_months` does
    (31/8 + 6 months = 28/2).

    PostgreSQL's interval arithmetic clamps. SQLite's `date()` does not (31/8 + 6 months is
    3/3), so there it is the same day six months on or the last day of that month, whichever
    comes first: the day is added to the month's first, not to the month.
    """
    if dialect == "postgresql":
        return start_on + literal_column(  # type: ignore[no-any-return]
            f"interval '{LASTING_MONTHS} months'", Interval
        )
    day_after_first = func.printf("+%d days", func.strftime("%d", start_on) - 1)
    same_day = func.date(start_on, "start of month", f"+{LASTING_MONTHS} months", day_after_first)
    month_end = func.date(start_on, "start of month", f"+{LASTING_MONTHS + 1} months", "-1 day")
    return func.min(same_day, month_end, type_=Date)


def running_on_sql(
    model: type[Placement] | type[Job], day: date, course_end: Any = Citizen.ended_on
) -> ColumnElement[bool]:
    """SQL `running_on` for a praktik or job (join `Citizen`, or give the course's end):
    started by `day` and, clipped to its course's end (`span_end_sql`), not ended by it.

    `course_end=None`: the span's own end, for courses known to run past `day` (clipping to an
    end after `day` changes no answer on `day`), without a join."""
    end = model.ended_on if course_end is None else span_end_sql(model, course_end)
    return and_(model.start_on <= day, or_(end.is_(None), end > day))
