"""What a person's home view shows: follow-ups due and this week's contacts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.vocabulary import FollowUpState
from store.models import Citizen, Contact, FollowUp, Staff
from store.scope import visible_citizens

OPEN_STATES = (FollowUpState.DUE, FollowUpState.SNOOZED)


def due_follow_ups(
    session: Session, staff: Staff, now: datetime, limit: int = 20
) -> list[tuple[FollowUp, Citizen | None]]:
    """`staff`'s follow-ups due by `now` (due or snoozed), oldest first, with their citizen."""
    rows = session.execute(
        select(FollowUp, Citizen)
        .outerjoin(Citizen, Citizen.id == FollowUp.citizen_id)
        .where(
            FollowUp.staff_id == staff.id,
            FollowUp.state.in_(OPEN_STATES),
            FollowUp.due_at <= now,
            (FollowUp.citizen_id.is_(None)) | visible_citizens(session, staff),
        )
        .order_by(FollowUp.due_at)
        .limit(limit)
    )
    return [(follow_up, citizen) for follow_up, citizen in rows]


def contacts_by_form(session: Session, staff: Staff, since: date) -> list[tuple[str, int]]:
    """How many contacts `staff` logged on or after `since`, per form, most first."""
    count = func.count(Contact.id)
    rows = session.execute(
        select(Contact.form, count)
        .where(Contact.staff_id == staff.id, Contact.occurred_on >= since)
        .group_by(Contact.form)
        .order_by(count.desc(), Contact.form)
    )
    return [(form, int(n)) for form, n in rows]
