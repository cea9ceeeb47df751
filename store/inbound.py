"""Platform events already handled: at-least-once delivery, one effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import InboundEvent

# Claims under this prefix mark a lasting state (the app is installed here), not one delivery:
# the nightly housekeeping keeps them; removing the app releases them.
LASTING = "install/"


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


def release_event(session: Session, platform: str, event_id: str) -> None:
    """Forget that `event_id` was handled, so the next event with that id has its effect."""
    session.execute(
        delete(InboundEvent).where(
            InboundEvent.platform == platform, InboundEvent.event_id == event_id[:128]
        )
    )
