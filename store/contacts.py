"""Logged contacts with citizens and companies."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Citizen, Company, Contact, Staff


def add_contact(
    session: Session,
    *,
    staff: Staff,
    form: str,
    occurred_on: date,
    minutes: int | None,
    note: str | None,
    citizen: Citizen | None,
    company: Company | None,
    platform: str,
    now: datetime,
) -> Contact:
    """Store one contact with a citizen, a company, or both."""
    contact = Contact(
        citizen_id=citizen.id if citizen else None,
        company_id=company.id if company else None,
        staff_id=staff.id,
        form=form,
        occurred_on=occurred_on,
        minutes=minutes,
        note=note or None,
        platform=platform,
        created_at=now,
    )
    session.add(contact)  # the citizen's own record is unchanged: no update of it
    session.flush()
    return contact


def last_company_contact(session: Session, company: Company) -> date | None:
    """The day of the latest contact with a company."""
    return session.scalar(
        select(func.max(Contact.occurred_on)).where(Contact.company_id == company.id)
    )
