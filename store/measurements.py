"""Wellbeing measurements (WHO-5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from store.models import Citizen, Measurement, Staff


def add_measurement(
    session: Session,
    *,
    citizen: Citizen,
    score: int,
    items: list[int] | None,
    phase: str | None,
    on: date,
    by: Staff,
    now: datetime,
) -> Measurement:
    """Store a WHO-5 score (0-100) and, if given, its five raw answers."""
    measurement = Measurement(
        citizen_id=citizen.id,
        instrument="who5",
        phase=phase,
        score=score,
        items=items,
        measured_on=on,
        staff_id=by.id,
        created_at=now,
    )
    session.add(measurement)
    session.flush()
    return measurement
