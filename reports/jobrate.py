"""/jobrate: citizens whose course ended in a job over the cohort, and the lasting-job rate.

The cohort (ended courses or all referred in the period) and the outcomes that count are
settings; every result carries the definition it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kernel.vocabulary import Outcome
from reports.frames import fetch_rows
from reports.numbers import pct
from reports.periods import Period
from reports.scope import ReportScope, citizen_where
from store.course_facts import PENSION_OUTCOMES, lasting_citizens, span_end_sql
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
    """A numerator over a denominator, rounded half up, with a target and the handles."""

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


def fetch_cohort(
    session: Session, scope: ReportScope, period: Period, cohort: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort's citizens (id, handle, outcome, municipality) and their jobs."""
    where = (citizen_where(session, scope), *cohort_where(cohort, period))
    people = fetch_rows(
        session,
        select(Citizen.id, Citizen.handle, Citizen.outcome, Citizen.municipality).where(*where),
    )
    jobs = fetch_rows(
        session,
        select(Job.citizen_id, Job.start_on, span_end_sql(Job))
        .join(Citizen, Citizen.id == Job.citizen_id)
        .where(*where),
    )
    return (
        pd.DataFrame(people, columns=["id", "handle", "outcome", "municipality"]),
        pd.DataFrame(jobs, columns=["citizen_id", "start_on", "ended_on"]),
    )


def _spans(frame: pd.DataFrame) -> zip[tuple[int, date, object]]:
    return zip(frame["citizen_id"], frame["start_on"], frame["ended_on"], strict=True)


def _rates(people: pd.DataFrame, lasting: set[int], rules: JobRateRules) -> tuple[Rate, Rate]:
    in_job = people["outcome"].isin(rules.outcomes)
    lasts = people["id"].isin(lasting)
    if rules.pension_lasting:
        lasts = lasts | people["outcome"].isin(PENSION_OUTCOMES)
    total = len(people)
    return (
        Rate(int(in_job.sum()), total, rules.target, _handles(people[in_job])),
        Rate(int(lasts.sum()), total, rules.lasting_target, _handles(people[lasts])),
    )


def _handles(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(sorted(str(h) for h in frame["handle"].tolist() if h is not None))


def compute_jobrate(
    people: pd.DataFrame,
    jobs: pd.DataFrame,
    period: Period,
    rules: JobRateRules,
    as_of: date,
    split: bool = False,
) -> JobRateResult:
    """The job rate and the lasting-job rate over the cohort, per municipality if `split`."""
    lasting = lasting_citizens(_spans(jobs), as_of)
    job, lasts = _rates(people, lasting, rules)
    parts: list[tuple[str, Rate]] = []
    if split:
        names = people["municipality"].fillna("")
        for name in sorted(set(names)):
            parts.append((name, _rates(people[names == name], lasting, rules)[0]))
    return JobRateResult(period, rules, job, lasts, _handles(people), tuple(parts))


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


def jobrate_report(
    session: Session,
    scope: ReportScope,
    period: Period,
    rules: JobRateRules,
    today: date,
    split: bool = False,
) -> JobRateResult:
    """The whole job-rate report for `scope` in `period`."""
    people, jobs = fetch_cohort(session, scope, period, rules.cohort)
    return compute_jobrate(people, jobs, period, rules, today, split)


def team_targets(settings: Any, team: str | None) -> dict[str, float]:
    """The targets that apply: a team's own (RAMPE_TEAM_TARGETS) over the global ones."""
    merged = dict(settings.targets)
    if team:
        own = {k.casefold(): v for k, v in settings.team_targets.items()}
        merged.update(own.get(team.casefold(), {}))
    return merged
