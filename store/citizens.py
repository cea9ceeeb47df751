"""Reading citizens: same names, a card's facts, a caseload. Changes are in `store.course`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus, FollowUpState
from store.course import current_job, current_praktik
from store.models import Citizen, Contact, FollowUp, Job, Placement, Staff
from store.scope import visible_citizens


def same_name(session: Session, name_folded: str, exclude_id: int, viewer: Staff) -> list[Citizen]:
    """Other citizens `viewer` may see with exactly this folded name."""
    return list(
        session.scalars(
            select(Citizen).where(
                Citizen.name_folded == name_folded,
                Citizen.id != exclude_id,
                visible_citizens(session, viewer),
            )
        )
    )


@dataclass(frozen=True)
class CitizenFacts:
    """What a citizen card shows besides the citizen row itself."""

    last_contact: Contact | None
    placement: Placement | None
    job: Job | None
    recent: list[Contact]
    follow_ups: list[FollowUp]
    owner_name: str


def citizen_facts(session: Session, citizen: Citizen, recent: int = 3) -> CitizenFacts:
    """The current praktik or job, the last contacts and the next follow-ups."""
    contacts = list(
        session.scalars(
            select(Contact)
            .where(Contact.citizen_id == citizen.id)
            .order_by(Contact.occurred_on.desc(), Contact.id.desc())
            .limit(recent)
        )
    )
    placement = current_praktik(session, citizen)
    job = current_job(session, citizen)
    if job is None and citizen.status == CitizenStatus.ENDED:  # how the course ended
        job = session.scalars(
            select(Job).where(Job.citizen_id == citizen.id).order_by(Job.start_on.desc())
        ).first()
    follow_ups = list(
        session.scalars(
            select(FollowUp)
            .where(
                FollowUp.citizen_id == citizen.id,
                FollowUp.state.in_([FollowUpState.DUE, FollowUpState.SNOOZED, FollowUpState.SENT]),
            )
            .order_by(FollowUp.due_at)
            .limit(3)
        )
    )
    owner_name = session.scalar(select(Staff.display_name).where(Staff.id == citizen.owner_id))
    return CitizenFacts(
        last_contact=contacts[0] if contacts else None,
        placement=placement,
        job=job,
        recent=contacts,
        follow_ups=follow_ups,
        owner_name=owner_name or "?",
    )


@dataclass(frozen=True)
class CaseloadRow:
    citizen: Citizen
    last_contact: date | None


def caseload(session: Session, owner: Staff) -> list[CaseloadRow]:
    """The owner's courses that have not ended, with each one's last contact date."""
    last = (
        select(func.max(Contact.occurred_on))
        .where(Contact.citizen_id == Citizen.id)
        .correlate(Citizen)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Citizen, last)
        .where(
            Citizen.owner_id == owner.id,
            Citizen.status != CitizenStatus.ENDED,
            visible_citizens(session, owner),
        )
        .order_by(Citizen.full_name)
    )
    return [CaseloadRow(citizen, last_day) for citizen, last_day in rows]
