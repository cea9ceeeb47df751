"""How long things take, and how many hours a week: pure functions over `Courses` frames."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reports.figures import FigureReport, Measure, distribution, share
from reports.frames import Courses, records
from reports.periods import Period
from store.course_facts import months_in_job

FLEX_HOURS = (3, 20)  # the typical fleksjob range, hours a week (domain.md)


def _in(period: Period, day: object) -> bool:
    return isinstance(day, date) and period.contains(day)


def _firsts(spans: pd.DataFrame) -> dict[int, date]:
    """Each citizen's earliest start (a plain loop: pandas has no fast min over date objects)."""
    first: dict[int, date] = {}
    for cid, start in zip(spans["citizen_id"].tolist(), spans["start_on"].tolist(), strict=True):
        key = int(cid)
        if key not in first or start < first[key]:
            first[key] = start
    return first


def _span_end(end: object, as_of: date) -> date:
    return end if isinstance(end, date) and end < as_of else as_of


def compute_durations(courses: Courses, period: Period, as_of: date) -> FigureReport:
    """Course length, referral to start, start to first praktik and job, praktik and job time."""
    people = courses.people
    handle = dict(zip(people["id"].astype(int), people["handle"].astype(str), strict=True))
    started = {int(r["id"]): r["started_on"] for r in records(people)
               if isinstance(r["started_on"], date)}  # fmt: skip
    course: list[tuple[int, str]] = []
    to_start: list[tuple[int, str]] = []
    for r in records(people):
        began = r["started_on"] if isinstance(r["started_on"], date) else r["referred_on"]
        if _in(period, r["ended_on"]) and isinstance(began, date):
            course.append(((r["ended_on"] - began).days, str(r["handle"])))
        if _in(period, r["started_on"]) and isinstance(r["referred_on"], date):
            to_start.append(((r["started_on"] - r["referred_on"]).days, str(r["handle"])))

    def to_first(spans: pd.DataFrame) -> list[tuple[int, str]]:
        return [((first - started[cid]).days, handle[cid])
                for cid, first in _firsts(spans).items()
                if cid in started and _in(period, first)]  # fmt: skip

    praktik = courses.placements
    weeks = [((r["ended_on"] - r["start_on"]).days / 7, handle[int(r["citizen_id"])])
             for r in records(praktik) if _in(period, r["ended_on"])]  # fmt: skip
    end = min(period.end, as_of)
    held = [r for r in records(courses.jobs)
            if r["start_on"] <= end and _span_end(r["ended_on"], end) >= period.start]  # fmt: skip
    months = [(months_in_job(r["start_on"], _span_end(r["ended_on"], end), end),
               handle[int(r["citizen_id"])]) for r in held]  # fmt: skip

    def dist(
        key: str, unit: str, pairs: list[tuple[int, str]] | list[tuple[float, str]]
    ) -> Measure:
        return distribution(key, unit, [v for v, _ in pairs], [h for _, h in pairs])

    return FigureReport("durations", period, (
        dist("course_days", "days", course),
        dist("referral_to_start", "days", to_start),
        dist("start_to_praktik", "days", to_first(praktik)),
        dist("start_to_job", "days", to_first(courses.jobs)),
        dist("praktik_weeks", "weeks", weeks),
        dist("job_months", "months", months),
    ))  # fmt: skip


def hours_now(spans: pd.DataFrame, changes: pd.DataFrame, as_of: date) -> dict[int, float]:
    """Each span's hours a week on `as_of`: its latest hours change by then, else its start."""
    now = {int(r["id"]): r["hours"] for r in records(spans) if r["hours"] is not None}
    if not changes.empty:
        done = changes[[d <= as_of for d in changes["on_date"]]].sort_values("on_date")
        for r in records(done):
            now[int(r["span_id"])] = float(r["hours"])
    return now


def _running(spans: pd.DataFrame, current: dict[int, float], end: date) -> list[dict[str, Any]]:
    """Spans under way on `end` whose hours are known."""
    return [
        r for r in records(spans)
        if r["start_on"] <= end and not (isinstance(r["ended_on"], date) and r["ended_on"] <= end)
        and int(r["id"]) in current
    ]  # fmt: skip


def _hours(
    kind: str, spans: pd.DataFrame, changes: pd.DataFrame, period: Period, as_of: date,
    handle: dict[int, str],
) -> list[Measure]:  # fmt: skip
    started = [r for r in records(spans)
               if _in(period, r["start_on"]) and r["hours"] is not None]  # fmt: skip
    end = min(period.end, as_of)
    current = hours_now(spans, changes, end)
    running = _running(spans, current, end)
    who = [handle[int(r["citizen_id"])] for r in running]
    return [
        distribution(f"{kind}_hours_start", "hours", [float(r["hours"]) for r in started],
                     [handle[int(r["citizen_id"])] for r in started]),
        distribution(f"{kind}_hours_then", "hours",
                     [float(r["hours"]) for r in running if r["hours"] is not None], who),
        distribution(f"{kind}_hours_now", "hours", [current[int(r["id"])] for r in running],
                     who),
    ]  # fmt: skip


def compute_hours(courses: Courses, period: Period, as_of: date) -> FigureReport:
    """Hours a week in praktik and jobs: at their start in the period; at their start and now
    for those under way at the period's end; the share of jobs in the usual fleksjob range."""
    people = courses.people
    handle = dict(zip(people["id"].astype(int), people["handle"].astype(str), strict=True))
    end = min(period.end, as_of)
    current = hours_now(courses.jobs, courses.job_hours, end)
    running = _running(courses.jobs, current, end)
    low, high = FLEX_HOURS
    typical = [r for r in running if low <= current[int(r["id"])] <= high]
    return FigureReport("hours", period, (
        *_hours("praktik", courses.placements, courses.placement_hours, period, as_of, handle),
        *_hours("job", courses.jobs, courses.job_hours, period, as_of, handle),
        share("job_hours_3_20", len(typical), len(running),
              [handle[int(r["citizen_id"])] for r in typical]),
    ))  # fmt: skip
