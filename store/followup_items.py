"""Follow-up items as people see and handle them: list, describe, snooze, done, dismiss, remind."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kernel.vocabulary import FollowUpState
from store.followups import CUSTOM, OPEN
from store.models import Citizen, Company, FollowUp, Staff


@dataclass(frozen=True)
class ItemView:
    """A follow-up with what a message about it shows."""

    id: int
    rule: str
    due_at: datetime
    staff_id: int
    staff_name: str
    citizen: Citizen | None
    company: str | None
    params: dict[str, Any]
    note: str | None


def describe(session: Session, items: list[FollowUp]) -> list[ItemView]:
    """Join each item to its citizen, company and owner in three queries."""
    citizen_ids = {f.citizen_id for f in items if f.citizen_id}
    company_ids = {f.company_id for f in items if f.company_id}
    staff_ids = {f.staff_id for f in items}
    citizens = {
        c.id: c for c in session.scalars(select(Citizen).where(Citizen.id.in_(citizen_ids)))
    }
    companies = dict(
        session.execute(select(Company.id, Company.name).where(Company.id.in_(company_ids))).all()
    )
    names = dict(
        session.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids))).all()
    )
    return [
        ItemView(
            id=f.id,
            rule=f.rule,
            due_at=f.due_at,
            staff_id=f.staff_id,
            staff_name=names.get(f.staff_id, "?"),
            citizen=citizens.get(f.citizen_id) if f.citizen_id else None,
            company=companies.get(f.company_id) if f.company_id else None,
            params=dict(f.params or {}),
            note=f.note,
        )
        for f in items
    ]


def open_items(
    session: Session, where: ColumnElement[bool], until: datetime, limit: int = 50
) -> list[FollowUp]:
    """Open items matching `where` due before `until`, soonest (most overdue) first."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(where, FollowUp.state.in_(OPEN), FollowUp.due_at <= until)
            .order_by(FollowUp.due_at, FollowUp.id)
            .limit(limit)
        )
    )


def overdue_counts(session: Session, staff_ids: list[int], now: datetime) -> dict[int, int]:
    """How many open items each of `staff_ids` has past their due time."""
    rows = session.execute(
        select(FollowUp.staff_id, func.count(FollowUp.id))
        .where(
            FollowUp.staff_id.in_(staff_ids),
            FollowUp.state.in_(OPEN),
            FollowUp.due_at < now,
        )
        .group_by(FollowUp.staff_id)
    ).all()
    return {int(s): int(n) for s, n in rows}


def snooze(session: Session, item: FollowUp, until: datetime, now: datetime) -> None:
    """Move an item to a later moment; it is delivered again then."""
    item.state = FollowUpState.SNOOZED
    item.snoozed_until = until
    item.due_at = until
    item.batch = None
    item.updated_at = now


def close_item(session: Session, item: FollowUp, state: FollowUpState, now: datetime) -> None:
    """Mark an item done or not relevant; the rule will not bring the same occurrence back."""
    item.state = state
    item.batch = None
    item.updated_at = now


def add_custom(
    session: Session,
    *,
    staff_id: int,
    citizen_id: int | None,
    company_id: int | None,
    due_at: datetime,
    note: str,
    now: datetime,
) -> FollowUp:
    """A reminder someone asked for (`/påmind`)."""
    item = FollowUp(
        key=f"custom:{staff_id}:{uuid.uuid4().hex}",
        rule=CUSTOM,
        citizen_id=citizen_id,
        company_id=company_id,
        staff_id=staff_id,
        due_at=due_at,
        state=FollowUpState.DUE,
        note=note,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    return item
