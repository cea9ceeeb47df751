"""Access requests (GDPR art. 15): every row about one citizen, plus who looked and when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from store.audit import audit_trail
from store.erasure import pending_choices_about
from store.models import (
    Base,
    Citizen,
    CitizenEvent,
    Contact,
    FollowUp,
    Job,
    JobChange,
    Measurement,
    Placement,
    PlacementChange,
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def row_dict(obj: Base) -> dict[str, Any]:
    """A mapped row as plain JSON-ready values (notes decrypted)."""
    return {a.key: _plain(getattr(obj, a.key)) for a in inspect(obj).mapper.column_attrs}


def _rows(session: Session, cls: type[Base], where: Any) -> list[dict[str, Any]]:
    pk = cls.__table__.c.id  # type: ignore[attr-defined]
    return [row_dict(o) for o in session.scalars(select(cls).where(where).order_by(pk))]


def citizen_export(session: Session, citizen: Citizen) -> dict[str, Any]:
    """All data about `citizen` and the access log, as one JSON-ready document."""
    cid = citizen.id
    placements = [
        p.id for p in session.scalars(select(Placement).where(Placement.citizen_id == cid))
    ]
    jobs = [j.id for j in session.scalars(select(Job).where(Job.citizen_id == cid))]
    return {
        "citizen": row_dict(citizen),
        "events": _rows(session, CitizenEvent, CitizenEvent.citizen_id == cid),
        "contacts": _rows(session, Contact, Contact.citizen_id == cid),
        "placements": _rows(session, Placement, Placement.citizen_id == cid),
        "placement_changes": _rows(
            session, PlacementChange, PlacementChange.placement_id.in_(placements)
        ),
        "jobs": _rows(session, Job, Job.citizen_id == cid),
        "job_changes": _rows(session, JobChange, JobChange.job_id.in_(jobs)),
        "measurements": _rows(session, Measurement, Measurement.citizen_id == cid),
        "follow_ups": _rows(session, FollowUp, FollowUp.citizen_id == cid),
        "pending_questions": [
            {
                "asked_at": _plain(c.created_at),
                "expires_at": _plain(c.expires_at),
                "staff_id": c.staff_id,
                "kind": c.kind,
                "command_as_typed": c.command_text,
            }
            for c in pending_choices_about(session, citizen)
        ],
        "access_log": [r.as_dict() for r in audit_trail(session, citizen_id=cid)],
    }
