"""WHO-5 over time: per measurement point (months after the course start), the start mean over
all starters, and the means of those measured at every point."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.figures import FigureReport, Measure, distribution
from reports.frames import records
from reports.periods import Period
from reports.scope import ReportScope, citizen_where
from store.course_facts import months_in_job
from store.models import Citizen, Measurement

COLUMNS = ["citizen_id", "handle", "started_on", "phase", "score", "measured_on"]


def fetch_who5_points(session: Session, scope: ReportScope, period: Period) -> pd.DataFrame:
    """Every WHO-5 score measured in the period, with its citizen's course start."""
    rows = session.execute(
        select(Citizen.id, Citizen.handle, Citizen.started_on, Measurement.phase,
               Measurement.score, Measurement.measured_on)
        .join(Citizen, Citizen.id == Measurement.citizen_id)
        .where(citizen_where(session, scope), Measurement.instrument == "who5",
               Measurement.measured_on.between(period.start, period.end))
    )  # fmt: skip
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def nearest_point(months: int, points: tuple[int, ...]) -> int:
    """The measurement point nearest to `months` after the start (the earlier one on a tie)."""
    return min(points, key=lambda p: (abs(p - months), p))


def point_of(row: dict[str, object], points: tuple[int, ...]) -> int | None:
    """A score's point: 0 for a start measurement, else by months since the course start."""
    if row["phase"] == "start":
        return points[0]
    started, measured = row["started_on"], row["measured_on"]
    if not isinstance(started, date) or not isinstance(measured, date):
        return None
    return nearest_point(months_in_job(started, measured, measured), points)


def compute_who5_points(
    frame: pd.DataFrame, period: Period, points: tuple[int, ...]
) -> FigureReport:
    """Start mean over all starters; per point the mean of each citizen's first score there;
    and per point the means of the citizens measured at every point."""
    scores: dict[int, dict[int, int]] = {}  # point -> citizen -> score
    handle: dict[int, str] = {}
    for row in sorted(records(frame), key=lambda r: (r["measured_on"], r["citizen_id"])):
        point = point_of(row, points)
        if point is None:
            continue
        cid = int(row["citizen_id"])
        handle[cid] = str(row["handle"])
        scores.setdefault(point, {}).setdefault(cid, int(row["score"]))
    starters = scores.get(points[0], {})
    measures: list[Measure] = [
        distribution("who5_start_all", "points", list(starters.values()),
                     [handle[c] for c in starters]),
    ]  # fmt: skip
    for point in points:
        got = scores.get(point, {})
        measures.append(distribution("who5_point", "points", list(got.values()),
                                     [handle[c] for c in got], label=str(point)))  # fmt: skip
    everywhere = set(handle)
    for point in points:
        everywhere &= set(scores.get(point, {}))
    for point in points:
        got = scores.get(point, {})
        values, who = [got[c] for c in everywhere], [handle[c] for c in everywhere]
        measures.append(distribution("who5_throughout", "points", values, who, str(point)))
    return FigureReport("who5points", period, tuple(measures))
