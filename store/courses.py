"""Praktik (placements) and jobs: each course's state and its changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.vocabulary import PlacementStatus
from store.models import Citizen, Company, Job, JobChange, Placement, PlacementChange, Staff
from store.scope import visible_citizens


def active_placement(session: Session, citizen: Citizen) -> Placement | None:
    """The citizen's current praktik, if any."""
    return session.scalars(
        select(Placement)
        .where(Placement.citizen_id == citizen.id, Placement.status == PlacementStatus.ACTIVE)
        .order_by(Placement.start_on.desc())
    ).first()


def start_placement(
    session: Session,
    *,
    citizen: Citizen,
    company: Company,
    start_on: date,
    planned_end_on: date | None,
    hours_per_week: float | None,
    by: Staff,
    now: datetime,
) -> Placement:
    """Register a praktik start."""
    placement = Placement(
        citizen_id=citizen.id,
        company_id=company.id,
        start_on=start_on,
        planned_end_on=planned_end_on,
        hours_per_week=hours_per_week,
        status=PlacementStatus.ACTIVE,
        staff_id=by.id,
        created_at=now,
    )
    session.add(placement)
    citizen.updated_at = now
    session.flush()
    return placement


def change_placement_hours(
    session: Session, placement: Placement, hours: float, on: date, by: Staff, now: datetime
) -> None:
    """Record new weekly hours for a praktik."""
    placement.hours_per_week = hours
    session.add(
        PlacementChange(
            placement_id=placement.id,
            kind="hours",
            on_date=on,
            hours_per_week=hours,
            staff_id=by.id,
            created_at=now,
        )
    )
    session.flush()


def extend_placement(
    session: Session, placement: Placement, weeks: int, on: date, by: Staff, now: datetime
) -> date:
    """Extend a praktik by `weeks`; returns the new planned end."""
    base = placement.planned_end_on or on
    new_end = base + timedelta(weeks=weeks)
    placement.planned_end_on = new_end
    session.add(
        PlacementChange(
            placement_id=placement.id,
            kind="extend",
            on_date=on,
            weeks=weeks,
            new_end_on=new_end,
            staff_id=by.id,
            created_at=now,
        )
    )
    session.flush()
    return new_end


def end_placement(
    session: Session, placement: Placement, reason: str, note: str | None, on: date
) -> None:
    """End a praktik with a reason (job, ended, interrupted)."""
    placement.status = PlacementStatus.ENDED
    placement.ended_on = on
    placement.end_reason = reason
    placement.end_note = note or None
    session.flush()


def active_job(session: Session, citizen: Citizen) -> Job | None:
    """The citizen's current job, if any."""
    return session.scalars(
        select(Job)
        .where(Job.citizen_id == citizen.id, Job.ended_on.is_(None))
        .order_by(Job.start_on.desc())
    ).first()


def start_job(
    session: Session,
    *,
    citizen: Citizen,
    company: Company,
    kind: str,
    hours_per_week: float | None,
    start_on: date,
    by: Staff,
    now: datetime,
) -> Job:
    """Register a job start."""
    job = Job(
        citizen_id=citizen.id,
        company_id=company.id,
        kind=kind,
        hours_per_week=hours_per_week,
        start_on=start_on,
        staff_id=by.id,
        created_at=now,
    )
    session.add(job)
    citizen.updated_at = now
    session.flush()
    return job


def change_job_hours(
    session: Session, job: Job, hours: float, on: date, by: Staff, now: datetime
) -> None:
    """Record new weekly hours for a job."""
    job.hours_per_week = hours
    session.add(
        JobChange(job_id=job.id, on_date=on, hours_per_week=hours, staff_id=by.id, created_at=now)
    )
    session.flush()


def end_job(session: Session, job: Job, note: str | None, on: date) -> None:
    """End a job."""
    job.ended_on = on
    job.end_note = note or None
    session.flush()


def citizens_at_company(
    session: Session, company: Company, viewer: Staff
) -> tuple[list[tuple[Citizen, str]], int]:
    """Citizens at a company now that `viewer` may see, each with "praktik" or "job", and how
    many others are there (counted, never loaded)."""
    in_praktik = (
        select(Citizen)
        .join(Placement, Placement.citizen_id == Citizen.id)
        .where(Placement.company_id == company.id, Placement.status == PlacementStatus.ACTIVE)
    )
    in_job = (
        select(Citizen)
        .join(Job, Job.citizen_id == Citizen.id)
        .where(Job.company_id == company.id, Job.ended_on.is_(None))
    )
    visible = visible_citizens(session, viewer)
    shown = [(c, "praktik") for c in session.scalars(in_praktik.where(visible))]
    shown += [(c, "job") for c in session.scalars(in_job.where(visible))]
    total = sum(
        session.scalar(select(func.count()).select_from(q.subquery())) or 0
        for q in (in_praktik, in_job)
    )
    return shown, total - len(shown)
