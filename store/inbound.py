"""Platform events already handled: at-least-once delivery, one effect, one answer.

An event's claim is made in the same transaction as the command it carries, and the answer is
kept beside the claim until it has been sent. A worker that dies before the commit leaves
nothing (the redelivery runs the command); one that dies after it leaves the answer, which the
redelivery sends once the sending worker's lease has run out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import InboundEvent

# Claims under this prefix mark a lasting state (the app is installed here), not one delivery:
# the nightly housekeeping keeps them; removing the app releases them.
LASTING = "install/"


class Owed(StrEnum):
    """What a repeated delivery of a claimed event still owes the person."""

    NOTHING = "nothing"  # answered (or nothing to answer): the delivery is a duplicate
    BUSY = "busy"  # another worker is sending the answer now: deliver again later


def claim_event(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Record `event_id` as handled; False if it already was (a retry or a duplicate).

    The unique key decides, so two deliveries racing each other cannot both win: on PostgreSQL
    the second insert waits for the first transaction and then fails.
    """
    try:
        with session.begin_nested():
            session.add(InboundEvent(platform=platform, event_id=event_id[:128], received_at=now))
    except IntegrityError:
        return False
    return True


def _this(platform: str, event_id: str) -> ColumnElement[bool]:
    return and_(InboundEvent.platform == platform, InboundEvent.event_id == event_id[:128])


def keep_reply(
    session: Session,
    platform: str,
    event_id: str,
    reply: str,
    staff_id: int | None,
    now: datetime,
) -> None:
    """Keep the answer to a just-claimed event for `staff_id` until `reply_sent`; its sender
    starts now."""
    values = {"reply": reply, "sending_since": now, "staff_id": staff_id}
    session.execute(update(InboundEvent).where(_this(platform, event_id)).values(**values))


def take_over_reply(
    session: Session, platform: str, event_id: str, now: datetime, lease: timedelta
) -> str | Owed:
    """The kept answer of an already claimed event, if it is still owed and nobody has been
    sending it for `lease`: the caller is now its sender. Otherwise what is owed (nothing, or
    an answer another worker is sending)."""
    taken = session.execute(
        update(InboundEvent)
        .where(
            _this(platform, event_id),
            InboundEvent.reply.is_not(None),
            InboundEvent.sending_since < now - lease,
        )
        .values(sending_since=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        kept = InboundEvent.reply.is_not(None)
        owed = session.scalar(select(InboundEvent.id).where(_this(platform, event_id), kept))
        return Owed.NOTHING if owed is None else Owed.BUSY
    reply = session.scalar(select(InboundEvent.reply).where(_this(platform, event_id)))
    return reply if reply is not None else Owed.NOTHING


@dataclass(frozen=True)
class KeptReply:
    """An answer kept for a person, taken over by a sweep to send."""

    platform: str
    event_id: str
    staff_id: int
    reply: str


def take_stale_replies(
    session: Session, now: datetime, lease: timedelta, limit: int = 100
) -> list[KeptReply]:
    """Kept answers nobody has been sending for `lease` (their worker stopped and no
    redelivery came), each taken over by the caller as `take_over_reply` does."""
    stale = and_(InboundEvent.reply.is_not(None), InboundEvent.sending_since < now - lease)
    ids = session.scalars(
        select(InboundEvent.id)
        .where(stale, InboundEvent.staff_id.is_not(None))
        .order_by(InboundEvent.id)
        .limit(limit)
    )
    taken: list[KeptReply] = []
    for row_id in list(ids):
        won = session.execute(
            update(InboundEvent).where(InboundEvent.id == row_id, stale).values(sending_since=now)
        )
        if won.rowcount != 1:  # type: ignore[attr-defined]
            continue  # a redelivery or another sweep took it first
        row = session.get_one(InboundEvent, row_id)
        if row.reply is not None and row.staff_id is not None:
            taken.append(KeptReply(row.platform, row.event_id, row.staff_id, row.reply))
    return taken


def reply_sent(session: Session, platform: str, event_id: str) -> None:
    """The answer has reached the platform: forget it (it may name a citizen)."""
    session.execute(
        update(InboundEvent).where(_this(platform, event_id)).values(reply=None, sending_since=None)
    )


def release_event(session: Session, platform: str, event_id: str) -> None:
    """Forget that `event_id` was handled, so the next event with that id has its effect."""
    session.execute(delete(InboundEvent).where(_this(platform, event_id)))
