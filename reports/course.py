"""Course reports: status at a cut-off date, outcomes, WHO-5, activity and cost per course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from kernel.vocabulary import EventKind, Outcome
from reports.frames import fetch_rows, monday_of, week_number, without_citizen
from reports.numbers import half_up
from reports.periods import Period
from reports.scope import ReportScope, citizen_where, staff_labels, staff_where
from store.course_facts import running_on_sql
from store.models import (
    Citizen,
    CitizenEvent,
    Contact,
    Job,
    Measurement,
    Placement,
    Staff,
    StaffDay,
)

BUCKETS = ("referred", "active", "praktik", "job", "paused")


# --- Status at a cut-off date ----------------------------------------------------------------


@dataclass(frozen=True)
class Cutoff:
    """Citizens per bucket at a cut-off date: `BUCKETS` in order, then `ended:<outcome>` as the
    outcomes report orders them (by the domain's groups, then most citizens first).
    `handles` (bucket -> sorted handles) only if asked."""

    counts: dict[str, int]
    handles: dict[str, list[str]] | None = None

    def total(self, *, ended: bool | None = None) -> int:
        """Citizens counted; only the ended (`ended=True`) or those still in a course."""
        return sum(n for b, n in self.counts.items()
                   if ended is None or b.startswith("ended:") == ended)  # fmt: skip


def cutoff_bucket_sql(cutoff: date) -> ColumnElement[str]:
    """SQL on `Citizen`: the one bucket a citizen is in at `cutoff`, in this order of
    precedence: `ended` (by the cut-off), `paused` (the last pause or resume on or before it
    was a pause), `job`, `praktik` (one under way on it, `store.course_facts.running_on_sql`),
    `active` (started by it) or `referred`."""
    kinds = (EventKind.PAUSED, EventKind.RESUMED)
    latest = func.row_number().over(
        partition_by=CitizenEvent.citizen_id,
        order_by=(CitizenEvent.on_date.desc(), CitizenEvent.id.desc()),
    )
    last = (select(CitizenEvent.citizen_id, CitizenEvent.kind, latest.label("n"))
            .where(CitizenEvent.kind.in_(kinds), CitizenEvent.on_date <= cutoff)
            .subquery())  # fmt: skip
    paused = select(last.c.citizen_id).where(last.c.n == 1, last.c.kind == EventKind.PAUSED)

    def under_way(model: type[Placement] | type[Job]) -> Any:
        # Not correlated, so each is read once (a hashed set), not once per citizen. Not
        # clipped to the course's end: a course reaching this branch runs past the cut-off.
        # Joining the citizens to clip took 50 of the statement's 77 ms on PostgreSQL.
        return select(model.citizen_id).where(running_on_sql(model, cutoff, course_end=None))

    return case(
        (Citizen.ended_on <= cutoff, literal("ended")),
        (Citizen.id.in_(paused), literal("paused")),
        (Citizen.id.in_(under_way(Job)), literal("job")),
        (Citizen.id.in_(under_way(Placement)), literal("praktik")),
        (Citizen.started_on <= cutoff, literal("active")),
        else_=literal("referred"),
    )


def fetch_cutoff(session: Session, scope: ReportScope, cutoff: date, shown: bool) -> Cutoff:
    """Each citizen referred by `cutoff` in exactly one bucket (`cutoff_bucket_sql`), counted
    in SQL; their handles read only if `shown`: reading all 100,000 of them was most of the
    report's time for a count."""
    # COALESCE keeps the date index out: nearly every citizen was referred by the cut-off, and
    # reading them through it (as SQLite would) costs a lookup each. No date matches neither.
    referred = func.coalesce(Citizen.referred_on, date.max) <= cutoff
    bucket = cutoff_bucket_sql(cutoff).label("cut_bucket")
    outcome = case((Citizen.ended_on <= cutoff, Citizen.outcome)).label("cut_outcome")
    where = (citizen_where(session, scope), referred)
    if shown:
        rows = fetch_rows(session, select(bucket, outcome, Citizen.handle).where(*where))
    else:
        rows = fetch_rows(session, select(bucket, outcome, func.count())
                          .where(*where).group_by(bucket, outcome))  # fmt: skip
    counts: dict[str, int] = dict.fromkeys(BUCKETS, 0)
    handles: dict[str, list[str]] = {b: [] for b in BUCKETS}
    for kind, ended, value in rows:
        key = f"ended:{ended}" if kind == "ended" else str(kind)
        if shown:
            counts[key] = counts.get(key, 0) + 1
            handles.setdefault(key, []).append(str(value))
        else:
            counts[key] = int(value)
    order = (
        *BUCKETS,
        *sorted(
            (k for k in counts if k not in BUCKETS),
            key=lambda k: outcome_order(k.split(":", 1)[1], counts[k]),
        ),
    )
    return Cutoff(
        {k: counts[k] for k in order},
        {k: sorted(handles.get(k, ())) for k in order} if shown else None,
    )


# --- Outcomes --------------------------------------------------------------------------------

# The domain's buckets for a course's outcome (domain.md, step 7), in display order.
OUTCOME_BUCKETS: dict[str, tuple[Outcome, ...]] = {
    "job": (Outcome.JOB, Outcome.FLEX_JOB, Outcome.WAGE_SUBSIDY, Outcome.SMALL_JOB),
    "education": (Outcome.EDUCATION,),
    "pension": (Outcome.DISABILITY_PENSION, Outcome.SENIOR_PENSION, Outcome.PENSION_PROCESS),
    "praktik": (Outcome.PLACEMENT,),
    "not_working": (Outcome.UNEMPLOYED, Outcome.SICK_LEAVE, Outcome.PARENTAL_LEAVE),
    "left": (Outcome.MOVED, Outcome.DIED, Outcome.TRANSFERRED, Outcome.INTERRUPTED),
}


def outcome_order(outcome: str, citizens: int) -> tuple[int, int, str]:
    """Where an outcome stands in a list: by the domain's groups, then most citizens first."""
    groups = [*OUTCOME_BUCKETS, "other"]
    return groups.index(outcome_bucket(outcome)), -citizens, outcome


def outcome_bucket(outcome: str | None) -> str:
    """The bucket an outcome falls in; `other` for anything else."""
    for bucket, outcomes in OUTCOME_BUCKETS.items():
        if outcome in outcomes:
            return bucket
    return "other"


def outcome_counts(session: Session, scope: ReportScope, period: Period) -> dict[str, list[str]]:
    """Courses ended in the period, by outcome: outcome -> handles."""
    rows = session.execute(
        select(Citizen.outcome, Citizen.handle).where(
            citizen_where(session, scope), Citizen.ended_on.between(period.start, period.end)
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["outcome", "handle"]).fillna({"outcome": "None"})
    return {str(k): sorted(g["handle"].astype(str)) for k, g in frame.groupby("outcome")}


# --- WHO-5 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who5Result:
    """WHO-5 at start and end over citizens with both (end measured in the period)."""

    n: int
    mean_start: Decimal | None
    mean_end: Decimal | None
    bands_start: tuple[int, int, int]  # below 36, 36-50, above 50
    bands_end: tuple[int, int, int]
    handles: tuple[str, ...]


def fetch_who5(session: Session, scope: ReportScope) -> pd.DataFrame:
    """Every start and end WHO-5 score of the citizens in scope."""
    rows = session.execute(
        select(Citizen.handle, Measurement.phase, Measurement.score, Measurement.measured_on)
        .join(Citizen, Citizen.id == Measurement.citizen_id)
        .where(
            citizen_where(session, scope),
            Measurement.instrument == "who5",
            Measurement.phase.in_(["start", "end"]),
        )
    ).all()
    return pd.DataFrame(rows, columns=["handle", "phase", "score", "measured_on"])


def _bands(scores: pd.Series) -> tuple[int, int, int]:
    return (int((scores < 36).sum()), int(scores.between(36, 50).sum()), int((scores > 50).sum()))


def compute_who5(frame: pd.DataFrame, period: Period) -> Who5Result:
    """The first start score and the last end score per citizen, for ends in the period."""
    ordered = frame.sort_values("measured_on")
    start = ordered[ordered["phase"] == "start"].groupby("handle").first()
    end = ordered[ordered["phase"] == "end"].groupby("handle").last()
    end = end[[period.contains(d) for d in end["measured_on"]]]
    both = start.merge(end, left_index=True, right_index=True, suffixes=("_start", "_end"))
    if both.empty:
        return Who5Result(0, None, None, (0, 0, 0), (0, 0, 0), ())
    n = len(both)
    return Who5Result(
        n,
        half_up(Decimal(int(both["score_start"].sum())) / n, 1),
        half_up(Decimal(int(both["score_end"].sum())) / n, 1),
        _bands(both["score_start"]),
        _bands(both["score_end"]),
        tuple(sorted(str(h) for h in both.index)),
    )


# --- Activity and cost -----------------------------------------------------------------------


def fetch_activity(
    session: Session, scope: ReportScope, period: Period
) -> list[tuple[str, int, int, int]]:
    """(person, week number, contacts, minutes) in the period, summed in SQL per person and
    Monday-based week (`reports.frames.week_number`): the contacts with citizens in scope and
    those without a citizen logged by the staff in scope. A year for everyone is 24,000 rows
    where its days were 163,000."""
    if scope.is_everything:  # everyone's: the counts per day and person (store.contact_days)
        days = StaffDay.occurred_on.between(period.start, period.end)
        per_day = select(
            StaffDay.staff_id, StaffDay.occurred_on, StaffDay.contacts.label("n"), StaffDay.minutes
        ).where(days).subquery()  # fmt: skip
    else:
        in_period = Contact.occurred_on.between(period.start, period.end)
        columns = (Contact.staff_id, Contact.occurred_on, func.count().label("n"),
                   func.sum(Contact.minutes).label("minutes"))  # fmt: skip
        with_citizen = (
            select(*columns)
            .join(Citizen, Citizen.id == Contact.citizen_id)
            .where(citizen_where(session, scope), in_period)
        )
        alone = select(*columns).where(
            in_period, without_citizen(session, scope), staff_where(scope)
        )
        # Grouped in the order of the (person, day) index: no sort of the contacts.
        grouped = [q.group_by(Contact.staff_id, Contact.occurred_on) for q in (with_citizen, alone)]
        per_day = union_all(*grouped).subquery()
    d = per_day.c
    week = week_number(session, d.occurred_on)
    rows = fetch_rows(session, select(
        d.staff_id, week, func.sum(d.n), func.coalesce(func.sum(d.minutes), 0)
    ).group_by(d.staff_id, week))  # fmt: skip
    ids = {r[0] for r in rows}
    who = select(Staff.id, Staff.display_name).where(Staff.id.in_(ids))
    names = staff_labels(session, ((int(i), str(name)) for i, name in session.execute(who)))
    return [(names[staff], int(w), int(n), int(minutes)) for staff, w, n, minutes in rows]


def compute_activity(rows: list[tuple[str, int, int, int]]) -> list[tuple[str, str, int, int]]:
    """(person, ISO week `2026-W48`, contacts, minutes), by person then week (people sharing a
    name are told apart by `fetch_activity`, `reports.scope.staff_labels`)."""
    labels = {
        week: "{}-W{:02d}".format(*monday_of(week).isocalendar()) for week in {r[1] for r in rows}
    }
    summed: dict[tuple[str, str], list[int]] = {}
    for person, week, n, minutes in rows:
        total = summed.setdefault((person, labels[week]), [0, 0])
        total[0] += n
        total[1] += minutes
    return [(person, week, n, minutes) for (person, week), (n, minutes) in sorted(summed.items())]
