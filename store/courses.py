"""Who is at a company now, in praktik or in a job. Changes to either are in `store.course`."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.course_facts import job_is_open, praktik_is_open
from store.models import Citizen, Company, Job, Placement, Staff
from store.scope import visible_citizens


def citizens_at_company(
    session: Session, company: Company, viewer: Staff
) -> tuple[list[tuple[Citizen, str]], int]:
    """Citizens at a company now that `viewer` may see, each with "praktik" or "job", and how
    many others are there (counted, never loaded)."""
    in_praktik = (
        select(Citizen)
        .join(Placement, Placement.citizen_id == Citizen.id)
        .where(Placement.company_id == company.id, praktik_is_open())
    )
    in_job = (
        select(Citizen)
        .join(Job, Job.citizen_id == Citizen.id)
        .where(Job.company_id == company.id, job_is_open())
    )
    visible = visible_citizens(session, viewer)
    shown = [(c, "praktik") for c in session.scalars(in_praktik.where(visible))]
    shown += [(c, "job") for c in session.scalars(in_job.where(visible))]
    total = sum(
        session.scalar(select(func.count()).select_from(q.subquery())) or 0
        for q in (in_praktik, in_job)
    )
    return shown, total - len(shown)
