"""Companies (virksomheder)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.vocabulary import FollowUpState
from store.directory import bump_directory
from store.models import Company, FollowUp, Staff


def create_company(
    session: Session,
    *,
    name: str,
    name_folded: str,
    contact_name: str | None,
    contact_phone: str | None,
    owner: Staff,
    now: datetime,
) -> Company:
    """Register a company, kept by the person who registers it."""
    company = Company(
        name=name,
        name_folded=name_folded,
        contact_name=contact_name,
        contact_phone=contact_phone,
        owner_id=owner.id,
        created_at=now,
    )
    session.add(company)
    session.flush()
    bump_directory(session)
    return company


def next_company_follow_up(session: Session, company: Company) -> FollowUp | None:
    """The company's next open follow-up."""
    return session.scalars(
        select(FollowUp)
        .where(
            FollowUp.company_id == company.id,
            FollowUp.state.in_([FollowUpState.DUE, FollowUpState.SNOOZED, FollowUpState.SENT]),
        )
        .order_by(FollowUp.due_at)
        .limit(1)
    ).first()
