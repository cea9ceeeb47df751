"""The audit trail: who read or changed what, when, from which platform. No content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from store.models import AuditEvent, Citizen


def audit(
    session: Session,
    *,
    at: datetime,
    staff_id: int | None,
    platform: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    citizen: Citizen | None = None,
    detail: str | None = None,
) -> None:
    """Record one audit event in the current unit of work."""
    session.add(
        AuditEvent(
            at=at,
            staff_id=staff_id,
            platform=platform,
            action=action,
            entity=entity,
            entity_id=entity_id,
            citizen_id=citizen.id if citizen else None,
            citizen_handle=citizen.handle if citizen else None,
            detail=detail,
        )
    )
