"""Exactly-once delivery: a message is claimed by its key before it is sent.

A delivery row (`digest:5:2026-03-30`) is claimed by inserting it (the unique key lets one worker
win) or, after a failed send or a crashed worker, by a conditional UPDATE whose row count says
who won. The follow-ups it carries are claimed with another conditional UPDATE (state `due` ->
`sending`, `batch` = the key), so two workers never carry the same item. Works the same on SQLite
and PostgreSQL (no SELECT ... FOR UPDATE).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kernel.vocabulary import FollowUpState
from store.models import Absence, Delivery, DeliveryState, FollowUp, OutboxMessage

CLAIMABLE = (FollowUpState.DUE, FollowUpState.SNOOZED)


def _insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def claim_delivery(
    session: Session, key: str, kind: str, staff_id: int, now: datetime, lease: timedelta
) -> bool:
    """Take the delivery `key`: True if this worker now owns it, False if another does or did."""
    inserted = session.connection().execute(  # rowcount is -1 here on psycopg
        _insert(session)(Delivery)
        .values(
            key=key, kind=kind, staff_id=staff_id, state=DeliveryState.SENDING,
            claimed_at=now, attempts=1,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Delivery.id)
    ).first()  # fmt: skip
    if inserted is not None:
        return True
    stale = now - lease
    taken = session.execute(
        update(Delivery)
        .where(
            Delivery.key == key,
            or_(
                Delivery.state == DeliveryState.RETRY,
                and_(Delivery.state == DeliveryState.SENDING, Delivery.claimed_at < stale),
            ),
        )
        .values(state=DeliveryState.SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
    ).rowcount  # type: ignore[attr-defined]
    return taken == 1


def claim_items(session: Session, key: str, staff_ids: list[int], now: datetime) -> list[FollowUp]:
    """Claim every due item of `staff_ids` for delivery `key`; also those it already carried."""
    if staff_ids:
        session.execute(
            update(FollowUp)
            .where(
                FollowUp.staff_id.in_(staff_ids),
                FollowUp.state.in_(CLAIMABLE),
                FollowUp.due_at <= now,
            )
            .values(state=FollowUpState.SENDING, batch=key, updated_at=now)
        )
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.batch == key, FollowUp.state == FollowUpState.SENDING)
            .order_by(FollowUp.due_at, FollowUp.id)
        )
    )


def finish_delivery(session: Session, key: str, now: datetime) -> int:
    """The send succeeded: the delivery and its items are sent. Returns the items marked."""
    session.execute(
        update(Delivery).where(Delivery.key == key).values(state=DeliveryState.SENT, sent_at=now)
    )
    marked = session.execute(
        update(FollowUp)
        .where(FollowUp.batch == key, FollowUp.state == FollowUpState.SENDING)
        .values(state=FollowUpState.SENT, sent_at=now, updated_at=now)
    ).rowcount  # type: ignore[attr-defined]
    return int(marked or 0)


def release_delivery(session: Session, key: str, now: datetime) -> None:
    """The send failed: the delivery is retried by a later sweep, its items are due again."""
    session.execute(
        update(Delivery)
        .where(Delivery.key == key, Delivery.state == DeliveryState.SENDING)
        .values(state=DeliveryState.RETRY)
    )
    session.execute(
        update(FollowUp)
        .where(FollowUp.batch == key, FollowUp.state == FollowUpState.SENDING)
        .values(state=FollowUpState.DUE, batch=None, attempts=FollowUp.attempts + 1, updated_at=now)
    )


def unfinished_deliveries(session: Session, now: datetime, lease: timedelta) -> list[Delivery]:
    """Deliveries to try again: failed ones and those whose worker vanished mid-send."""
    return list(
        session.scalars(
            select(Delivery).where(
                or_(
                    Delivery.state == DeliveryState.RETRY,
                    and_(
                        Delivery.state == DeliveryState.SENDING,
                        Delivery.claimed_at < now - lease,
                    ),
                )
            )
        )
    )


def delivered(session: Session, key: str) -> bool:
    """True if the delivery `key` has been sent."""
    state = session.scalar(select(Delivery.state).where(Delivery.key == key))
    return state == DeliveryState.SENT


# Absences


def add_absence(
    session: Session,
    staff_id: int,
    starts_on: date,
    ends_on: date,
    stand_in_id: int | None,
    now: datetime,
) -> Absence:
    """Register an absence; items go to the stand-in, or wait for the return."""
    absence = Absence(
        staff_id=staff_id,
        starts_on=starts_on,
        ends_on=ends_on,
        stand_in_id=stand_in_id,
        created_at=now,
    )
    session.add(absence)
    session.flush()
    return absence


def remove_absences(session: Session, staff_id: int, today: date) -> int:
    """Delete the current and future absences of `staff_id`. Returns how many."""
    gone = session.execute(
        delete(Absence).where(Absence.staff_id == staff_id, Absence.ends_on >= today)
    ).rowcount  # type: ignore[attr-defined]
    return int(gone or 0)


def absences_on(session: Session, day: date) -> list[Absence]:
    """Everyone away on `day`."""
    return list(
        session.scalars(select(Absence).where(Absence.starts_on <= day, Absence.ends_on >= day))
    )


def pending_catchups(session: Session, today: date) -> list[Absence]:
    """Absences that are over and whose catch-up summary has not gone out."""
    return list(
        session.scalars(
            select(Absence)
            .where(Absence.ends_on < today, Absence.catchup_sent_at.is_(None))
            .order_by(Absence.ends_on)
        )
    )


def absence_summary(session: Session, absence: Absence, moment: datetime) -> dict[str, int]:
    """What happened to the absent person's items while away: counts by state."""
    start = datetime.combine(absence.starts_on, datetime.min.time(), tzinfo=moment.tzinfo)
    rows = session.execute(
        select(FollowUp.state, func.count(FollowUp.id))
        .where(
            FollowUp.staff_id == absence.staff_id,
            FollowUp.due_at >= start,
            FollowUp.due_at < moment,
        )
        .group_by(FollowUp.state)
    ).all()
    return {str(state): int(count) for state, count in rows}


# The local chat's outbox


def put_outbox(
    session: Session, key: str, staff_id: int, external_id: str, body: str, now: datetime
) -> bool:
    """Store a message for the local chat once per key. False if it was already there."""
    added = (
        session.connection()
        .execute(
            _insert(session)(OutboxMessage)
            .values(key=key, staff_id=staff_id, external_id=external_id, body=body, created_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.id)
        )
        .first()
    )
    return added is not None


def take_outbox(session: Session, staff_id: int, now: datetime) -> list[OutboxMessage]:
    """The unread messages for `staff_id`, oldest first, marked read."""
    messages = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.staff_id == staff_id, OutboxMessage.read_at.is_(None))
            .order_by(OutboxMessage.id)
        )
    )
    for message in messages:
        message.read_at = now
    session.flush()
    return messages
