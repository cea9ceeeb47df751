"""Citizens and their course: registration, start, pause, resume, hand-over, end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus, EventKind, FollowUpState, PlacementStatus
from store.directory import bump_directory
from store.handles import Draw, issue_handle, next_citizen_id, random_handle
from store.models import Citizen, CitizenEvent, Contact, FollowUp, Job, Placement, Staff
from store.scope import visible_citizens


def create_citizen(
    session: Session,
    *,
    full_name: str,
    name_folded: str,
    owner: Staff,
    municipality: str | None,
    referred_on: date,
    by: Staff,
    now: datetime,
    draw: Draw = random_handle,
) -> Citizen:
    """Register a referred citizen and give them a pseudonymous handle like `KTX-4821`."""
    citizen = Citizen(
        id=next_citizen_id(session),
        handle=issue_handle(session, now, draw),
        full_name=full_name,
        name_folded=name_folded,
        municipality=municipality,
        owner_id=owner.id,
        team_id=owner.team_id,
        status=CitizenStatus.REFERRED,
        referred_on=referred_on,
        created_at=now,
        updated_at=now,
    )
    session.add(citizen)
    session.flush()
    session.add(
        CitizenEvent(
            citizen_id=citizen.id,
            kind=EventKind.REFERRED,
            on_date=referred_on,
            staff_id=by.id,
            created_at=now,
        )
    )
    bump_directory(session)
    session.flush()
    return citizen


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


def _event(
    session: Session,
    citizen: Citizen,
    kind: EventKind,
    on: date,
    by: Staff,
    now: datetime,
    **extra: object,
) -> CitizenEvent:
    event = CitizenEvent(
        citizen_id=citizen.id, kind=kind, on_date=on, staff_id=by.id, created_at=now, **extra
    )
    session.add(event)
    citizen.updated_at = now
    session.flush()
    return event


def start_course(session: Session, citizen: Citizen, on: date, by: Staff, now: datetime) -> None:
    """Mark the course as started (first conversation held)."""
    citizen.status = CitizenStatus.ACTIVE
    citizen.started_on = on
    _event(session, citizen, EventKind.STARTED, on, by, now)


def pause_course(
    session: Session,
    citizen: Citizen,
    on: date,
    until: date | None,
    reason: str | None,
    by: Staff,
    now: datetime,
) -> None:
    """Pause a course: follow-ups stop until it is resumed, nothing is lost."""
    citizen.status = CitizenStatus.PAUSED
    citizen.paused_until = until
    _event(session, citizen, EventKind.PAUSED, on, by, now, until_date=until, reason=reason)


def resume_course(session: Session, citizen: Citizen, on: date, by: Staff, now: datetime) -> None:
    """Resume a paused course."""
    citizen.status = CitizenStatus.ACTIVE if citizen.started_on else CitizenStatus.REFERRED
    citizen.paused_until = None
    _event(session, citizen, EventKind.RESUMED, on, by, now)


def hand_over(
    session: Session, citizen: Citizen, to: Staff, on: date, by: Staff, now: datetime
) -> int:
    """Give the citizen to another contact person; open follow-ups go along. Returns how many."""
    citizen.owner_id = to.id
    citizen.team_id = to.team_id
    _event(session, citizen, EventKind.HANDED_OVER, on, by, now, to_staff_id=to.id)
    moved = session.execute(
        update(FollowUp)
        .where(
            FollowUp.citizen_id == citizen.id,
            FollowUp.state.in_([FollowUpState.DUE, FollowUpState.SNOOZED, FollowUpState.SENT]),
        )
        .values(staff_id=to.id, updated_at=now)
    ).rowcount  # type: ignore[attr-defined]
    bump_directory(session)
    return int(moved or 0)


def end_course(
    session: Session, citizen: Citizen, outcome: str, on: date, by: Staff, now: datetime
) -> None:
    """End the course with one outcome bucket."""
    citizen.status = CitizenStatus.ENDED
    citizen.ended_on = on
    citizen.outcome = outcome
    citizen.paused_until = None
    _event(session, citizen, EventKind.ENDED, on, by, now, outcome=outcome)
    bump_directory(session)


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
    placement = session.scalars(
        select(Placement)
        .where(Placement.citizen_id == citizen.id, Placement.status == PlacementStatus.ACTIVE)
        .order_by(Placement.start_on.desc())
    ).first()
    job = session.scalars(
        select(Job)
        .where(Job.citizen_id == citizen.id, Job.ended_on.is_(None))
        .order_by(Job.start_on.desc())
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
