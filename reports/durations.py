"""How long things take, and how many hours a week: pure functions over `Courses` frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reports.figures import FigureReport, Measure, distribution, share
from reports.frames import SPANS, Courses, values
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
    """Course length, referral to start, start to first praktik and job, praktik and job time.

    One pass over plain values per frame (`reports.frames.values`): a year for everyone is
    89,000 rows, and a dict per row with a call per date test took most of the report's time.
    """
    lo, hi = period.start, period.end
    handle: dict[int, str] = {}
    started: dict[int, date] = {}
    course: list[tuple[int, str]] = []
    to_start: list[tuple[int, str]] = []
    rows = values(courses.people, "id", "handle", "referred_on", "started_on", "ended_on")
    for cid, name, referred, began, ended in rows:
        key, name = int(cid), str(name)
        handle[key] = name
        referred = referred if isinstance(referred, date) else None
        if isinstance(began, date):
            started[key] = began
            if referred is not None and lo <= began <= hi:
                to_start.append(((began - referred).days, name))
        else:
            began = referred
        if isinstance(ended, date) and lo <= ended <= hi and began is not None:
            course.append(((ended - began).days, name))

    def to_first(spans: pd.DataFrame) -> list[tuple[int, str]]:
        return [((first - started[cid]).days, handle[cid])
                for cid, first in _firsts(spans).items()
                if cid in started and lo <= first <= hi]  # fmt: skip

    praktik = values(courses.placements, "citizen_id", "start_on", "ended_on")
    weeks = [((ended - start).days / 7, handle[int(cid)]) for cid, start, ended in praktik
             if isinstance(ended, date) and lo <= ended <= hi]  # fmt: skip
    end = min(hi, as_of)
    months = []
    for cid, start, ended in values(courses.jobs, "citizen_id", "start_on", "ended_on"):
        until = _span_end(ended, end)
        if start <= end and until >= lo:
            months.append((months_in_job(start, until, end), handle[int(cid)]))

    def dist(
        key: str, unit: str, pairs: list[tuple[int, str]] | list[tuple[float, str]]
    ) -> Measure:
        return distribution(key, unit, [v for v, _ in pairs], [h for _, h in pairs])

    return FigureReport("durations", period, (
        dist("course_days", "days", course),
        dist("referral_to_start", "days", to_start),
        dist("start_to_praktik", "days", to_first(courses.placements)),
        dist("start_to_job", "days", to_first(courses.jobs)),
        dist("praktik_weeks", "weeks", weeks),
        dist("job_months", "months", months),
    ))  # fmt: skip


Span = tuple[int, int, date, date | None, float | None]  # id, citizen, start, end, hours


def _spans(frame: pd.DataFrame) -> list[Span]:
    """A frame of SPANS as plain tuples (ids as ints, hours as floats or None)."""
    return [
        (int(sid), int(cid), start, ended if isinstance(ended, date) else None,
         None if hours is None else float(hours))
        for sid, cid, start, ended, hours in values(frame, *SPANS)
    ]  # fmt: skip


def hours_now(spans: list[Span], changes: pd.DataFrame, as_of: date) -> dict[int, float]:
    """Each span's hours a week on `as_of`: its latest hours change by then, else its start."""
    now = {sid: hours for sid, _, _, _, hours in spans if hours is not None}
    if not changes.empty:
        done = changes[[d <= as_of for d in changes["on_date"]]].sort_values("on_date")
        for sid, hours in values(done, "span_id", "hours"):
            now[int(sid)] = float(hours)
    return now


def _running(spans: list[Span], current: dict[int, float], end: date) -> list[Span]:
    """Spans under way on `end` whose hours are known."""
    return [
        span for span in spans
        if span[2] <= end and not (span[3] is not None and span[3] <= end) and span[0] in current
    ]  # fmt: skip


def _hours(
    kind: str, frame: pd.DataFrame, changes: pd.DataFrame, period: Period, as_of: date,
    handle: dict[int, str],
) -> list[Measure]:  # fmt: skip
    spans = _spans(frame)
    started = [(hours, handle[cid]) for _, cid, start, _, hours in spans
               if hours is not None and period.contains(start)]  # fmt: skip
    end = min(period.end, as_of)
    current = hours_now(spans, changes, end)
    running = _running(spans, current, end)
    who = [handle[cid] for _, cid, _, _, _ in running]
    return [
        distribution(f"{kind}_hours_start", "hours", [h for h, _ in started],
                     [name for _, name in started]),
        distribution(f"{kind}_hours_then", "hours",
                     [hours for _, _, _, _, hours in running if hours is not None], who),
        distribution(f"{kind}_hours_now", "hours", [current[sid] for sid, *_ in running], who),
    ]  # fmt: skip


def compute_hours(courses: Courses, period: Period, as_of: date) -> FigureReport:
    """Hours a week in praktik and jobs: at their start in the period; at their start and now
    for those under way at the period's end; the share of jobs in the usual fleksjob range."""
    handle = {int(cid): str(name) for cid, name in values(courses.people, "id", "handle")}
    end = min(period.end, as_of)
    jobs = _spans(courses.jobs)
    current = hours_now(jobs, courses.job_hours, end)
    running = _running(jobs, current, end)
    low, high = FLEX_HOURS
    typical = [span for span in running if low <= current[span[0]] <= high]
    return FigureReport("hours", period, (
        *_hours("praktik", courses.placements, courses.placement_hours, period, as_of, handle),
        *_hours("job", courses.jobs, courses.job_hours, period, as_of, handle),
        share("job_hours_3_20", len(typical), len(running),
              [handle[span[1]] for span in typical]),
    ))  # fmt: skip
