"""The audit trail: who read or changed what, when, from which platform. No content."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from store.models import AuditEvent, Citizen, Staff


class Purpose(StrEnum):
    """Why data was read or changed, as the access log shows it."""

    CASEWORK = "casework"  # a contact person's or lead's work in the chat
    ACCESS_REQUEST = "access_request"  # GDPR art. 15 export
    ERASURE = "erasure"  # GDPR art. 17, on request
    RETENTION = "retention"  # erased when the retention time ran out


def _row(
    *, at: datetime, staff_id: int | None, platform: str, action: str, entity: str,
    entity_id: int | None = None, citizen_id: int | None = None, handle: str | None = None,
    detail: str | None = None, purpose: str = Purpose.CASEWORK,
) -> dict[str, object]:  # fmt: skip
    """The columns of one audit event: the one shape `audit` and `audit_reads` write."""
    return {"at": at, "staff_id": staff_id, "platform": platform, "action": action,
            "entity": entity, "entity_id": entity_id, "citizen_id": citizen_id,
            "citizen_handle": handle, "detail": detail, "purpose": purpose}  # fmt: skip


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
    citizen_id: int | None = None,
    handle: str | None = None,
    purpose: str = Purpose.CASEWORK,
) -> None:
    """Record one audit event in the current unit of work (a citizen object or id + handle)."""
    row = _row(
        at=at, staff_id=staff_id, platform=platform, action=action, entity=entity,
        entity_id=entity_id, citizen_id=citizen.id if citizen else citizen_id,
        handle=citizen.handle if citizen else handle, detail=detail, purpose=purpose,
    )  # fmt: skip
    session.add(AuditEvent(**row))


def audit_reads(
    session: Session,
    *,
    at: datetime,
    staff_id: int,
    platform: str,
    handles: Sequence[str],
    skip: Collection[int],
    detail: str,
) -> list[int]:
    """One `read` event per citizen whose handle is in `handles`, apart from the ids in `skip`
    (audited already); returns their ids.

    A report shows dozens of handles at a time: each 500 are found and audited by one
    INSERT ... SELECT, where a look-up and a row per handle sent took a third of a team lead's
    `/jobrate` through the chat on PostgreSQL. A handle no citizen has is no read. Written on
    the session's connection, after what it holds is flushed: the ORM's handling of the same
    statement took longer than the database's work.
    """
    if not handles:
        return []
    fixed = _row(at=at, staff_id=staff_id, platform=platform, action="read", entity="citizen",
                 detail=detail)  # fmt: skip
    del fixed["citizen_id"], fixed["citizen_handle"]  # those come from the citizens found
    table = AuditEvent.metadata.tables[AuditEvent.__tablename__]
    values = [literal(v, table.c[k].type).label(k) for k, v in fixed.items()]
    session.flush()  # the command's own event first, in the order things happened
    connection = session.connection()
    found: list[int] = []
    for start in range(0, len(handles), 500):
        who = select(*values, Citizen.id, Citizen.handle).where(
            Citizen.handle.in_(handles[start : start + 500])
        )
        if skip:
            who = who.where(Citizen.id.not_in(skip))
        written = insert(table).from_select([*fixed, "citizen_id", "citizen_handle"], who)
        rows = connection.execute(written.returning(table.c.citizen_id))
        found.extend(int(i) for (i,) in rows if i is not None)
    return found


# --- Health data: reading the trail ---
@dataclass(frozen=True)
class AuditRow:
    """One audit event with the name of the staff member behind it."""

    event: AuditEvent
    staff_name: str | None

    def as_dict(self) -> dict[str, object]:
        """The event as plain values (for JSON and tables)."""
        e = self.event
        return {
            "at": e.at.isoformat(),
            "staff_id": e.staff_id,
            "staff": self.staff_name,
            "platform": e.platform,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "citizen": e.citizen_handle,
            "detail": e.detail,
            "purpose": e.purpose,
        }


def audit_trail(
    session: Session,
    *,
    citizen_id: int | None = None,
    handle: str | None = None,
    staff_ids: list[int] | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Audit events, oldest first, filtered by citizen (id or handle), staff and time."""
    query = select(AuditEvent, Staff.display_name).outerjoin(Staff, Staff.id == AuditEvent.staff_id)
    if citizen_id is not None:
        query = query.where(AuditEvent.citizen_id == citizen_id)
    if handle is not None:
        query = query.where(func.upper(AuditEvent.citizen_handle) == handle.strip().upper())
    if staff_ids is not None:
        query = query.where(AuditEvent.staff_id.in_(staff_ids))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    query = query.order_by(AuditEvent.at, AuditEvent.id)
    if limit is not None:
        query = query.limit(limit)
    return [AuditRow(event, name) for event, name in session.execute(query)]
