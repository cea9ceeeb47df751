"""/jobrate: citizens whose course ended in a job over the cohort, and the lasting-job rate.

The cohort (ended courses or all referred in the period) and the outcomes that count are
settings; every result carries the definition it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from kernel.vocabulary import Outcome
from reports.frames import fetch_rows
from reports.numbers import MAX_HANDLES, pct
from reports.periods import Period
from reports.scope import ReportScope, citizen_where
from store.course_facts import PENSION_OUTCOMES, job_is_lasting_sql
from store.models import Citizen, Job, Placement


@dataclass(frozen=True)
class JobRateRules:
    """The definition: which cohort, which outcomes count, whether pension counts as lasting."""

    cohort: str  # ended | referred
    outcomes: tuple[str, ...]
    pension_lasting: bool
    target: float | None = None
    lasting_target: float | None = None


@dataclass(frozen=True)
class Rate:
    """A numerator over a denominator, rounded half up, with a target and the first
    `MAX_HANDLES` handles behind the numerator (sorted)."""

    numerator: int
    denominator: int
    target: float | None
    handles: tuple[str, ...] = ()

    @property
    def percent(self) -> int | None:
        return pct(self.numerator, self.denominator)


@dataclass(frozen=True)
class JobRateResult:
    period: Period
    rules: JobRateRules
    job: Rate
    lasting: Rate
    cohort_handles: tuple[str, ...]
    by_municipality: tuple[tuple[str, Rate], ...] = field(default=())


COHORTS = ("ended", "referred", "started", "completed", "praktik")
# Courses that ended without being completed: the citizen left the programme's reach.
NOT_COMPLETED = (Outcome.MOVED.value, Outcome.DIED.value, Outcome.TRANSFERRED.value,
                 Outcome.INTERRUPTED.value)  # fmt: skip


def cohort_where(cohort: str, period: Period) -> tuple[ColumnElement[bool], ...]:
    """WHERE on `Citizen` for a cohort (domain.md): ended, referred or started in the period,
    completed (ended, not by moving, death, transfer or interruption), or with a praktik
    starting in it."""
    if cohort == "referred":
        return (Citizen.referred_on.between(period.start, period.end),)
    if cohort == "started":
        return (Citizen.started_on.between(period.start, period.end),)
    if cohort == "praktik":
        placed = select(Placement.citizen_id).where(
            Placement.start_on.between(period.start, period.end)
        )
        return (Citizen.id.in_(placed),)
    ended = Citizen.ended_on.between(period.start, period.end)
    if cohort == "completed":
        return (ended, Citizen.outcome.not_in(NOT_COMPLETED))
    return (ended,)


def jobrate_report(
    session: Session,
    scope: ReportScope,
    period: Period,
    rules: JobRateRules,
    as_of: date,
    split: bool = False,
    cohort_handles: bool = False,
) -> JobRateResult:
    """The job rate and the lasting-job rate over the cohort, per municipality if `split`.

    One statement: the cohort is read once, counted (per municipality) and the first
    `MAX_HANDLES` handles behind each rate taken from it; the whole cohort's handles only when
    asked for (a file lists them). The lasting-job rule runs in SQL (`job_is_lasting_sql`).
    """
    dialect = session.get_bind().dialect.name
    # Per citizen, an index probe into their jobs: for everyone's 15,782 courses as fast as
    # hashing every job, for a team's few hundred much faster.
    holds_lasting_job = exists().where(
        Job.citizen_id == Citizen.id, job_is_lasting_sql(dialect, as_of)
    )
    # An outcome counts once the course has ended by `as_of`: one logged later is not known
    # on that day, so `/jobrate år pr. 30/6` gives in November what it gave on 30/6.
    ended_by = Citizen.ended_on <= as_of
    pension = and_(ended_by, Citizen.outcome.in_(PENSION_OUTCOMES if rules.pension_lasting else ()))
    cohort = (
        select(
            Citizen.handle, Citizen.municipality,
            case((and_(ended_by, Citizen.outcome.in_(rules.outcomes)), 1), else_=0).label("job"),
            case((or_(pension, holds_lasting_job), 1), else_=0).label("lasts"),
        )
        .where(citizen_where(session, scope), *cohort_where(rules.cohort, period))
        .cte("cohort")
    )  # fmt: skip
    c = cohort.c
    counts = select(
        literal("n"), c.municipality if split else literal(""), func.count(),
        func.coalesce(func.sum(c.job), 0), func.coalesce(func.sum(c.lasts), 0),
    )  # fmt: skip
    if split:
        counts = counts.group_by(c.municipality)
    order = c.handle.collate("C") if dialect == "postgresql" else c.handle

    def named(kind: str, *where: ColumnElement[bool], limit: int | None = MAX_HANDLES) -> Any:
        query = select(c.handle).where(c.handle.is_not(None), *where).order_by(order).limit(limit)
        inner = query.subquery()
        return select(literal(kind), inner.c.handle, literal(0), literal(0), literal(0))

    parts = [counts, named("job", c.job == 1), named("lasts", c.lasts == 1)]
    if cohort_handles:
        parts.append(named("cohort", limit=None))
    rows = fetch_rows(session, union_all(*parts))
    return _result(rows, period, rules, split)


def _result(
    rows: list[tuple[Any, ...]], period: Period, rules: JobRateRules, split: bool
) -> JobRateResult:
    handles: dict[str, list[str]] = {"job": [], "lasts": [], "cohort": []}
    cohort = in_job = lasting = 0
    parts: list[tuple[str, Rate]] = []
    for kind, name, n, job, lasts in rows:
        if kind != "n":
            handles[kind].append(str(name))
            continue
        cohort, in_job, lasting = cohort + int(n), in_job + int(job), lasting + int(lasts)
        if split:
            parts.append((str(name or ""), Rate(int(job), int(n), rules.target)))
    parts.sort(key=lambda part: part[0])
    return JobRateResult(
        period,
        rules,
        Rate(in_job, cohort, rules.target, tuple(handles["job"])),
        Rate(lasting, cohort, rules.lasting_target, tuple(handles["lasts"])),
        tuple(handles["cohort"]),
        tuple(parts),
    )


def rules_from(settings: Any, cohort: str | None = None, team: str | None = None) -> JobRateRules:
    """The job-rate definition from the settings (a cohort asked for overrides the default;
    a team with targets of its own uses them)."""
    targets = team_targets(settings, team)
    return JobRateRules(
        cohort=cohort or settings.jobrate_cohort,
        outcomes=settings.counted_outcomes,
        pension_lasting=settings.lasting_counts_pension,
        target=targets.get("job_rate"),
        lasting_target=targets.get("lasting_rate"),
    )


def team_targets(settings: Any, team: str | None) -> dict[str, float]:
    """The targets that apply: a team's own (RAMPE_TEAM_TARGETS) over the global ones."""
    merged = dict(settings.targets)
    if team:
        own = {k.casefold(): v for k, v in settings.team_targets.items()}
        merged.update(own.get(team.casefold(), {}))
    return merged
