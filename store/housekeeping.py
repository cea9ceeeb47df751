"""Rows kept only for a while: handled platform event ids and unanswered questions.

Event ids guard against a platform delivering the same event twice; Slack retries within
minutes and Teams within hours, so a week is ample. An unanswered "which one?" question holds
the command as typed (names, a note): once expired it is deleted, not left waiting for a next
message that may never come. Claims that mark a lasting state (`store.inbound.LASTING`: the
Teams app installed in a conversation) are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from store.inbound import LASTING
from store.models import InboundEvent, PendingChoice

KEEP_EVENT_IDS = timedelta(days=7)


@dataclass(frozen=True)
class Pruned:
    event_ids: int
    questions: int


def prune(session: Session, now: datetime) -> Pruned:
    """Delete event ids older than `KEEP_EVENT_IDS` and every expired question."""
    events = session.execute(
        delete(InboundEvent).where(
            InboundEvent.received_at < now - KEEP_EVENT_IDS,
            ~InboundEvent.event_id.startswith(LASTING, autoescape=True),
        )
    )
    questions = session.execute(delete(PendingChoice).where(PendingChoice.expires_at < now))
    return Pruned(events.rowcount, questions.rowcount)  # type: ignore[attr-defined]
