"""External identifiers (a jobcentre case number): stored only as a keyed hash, never in clear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from store.crypto import keyed_hash
from store.models import Citizen, Staff
from store.scope import scoped_by_external_ref


def set_external_ref(
    session: Session, citizen: Citizen, key: str, value: str, now: datetime
) -> None:
    """Remember `value` as the citizen's case number, as HMAC-SHA256 under `key` only."""
    citizen.external_ref_hash = keyed_hash(key, value)
    citizen.updated_at = now
    session.flush()


def find_by_external_ref(session: Session, viewer: Staff, key: str, value: str) -> list[Citizen]:
    """The citizens `viewer` may see whose case number is `value`."""
    return scoped_by_external_ref(session, viewer, keyed_hash(key, value))
