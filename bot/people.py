"""Who is writing, for the adapters: known or not, their reply language, where to reach them
later (a Slack DM channel, a Teams conversation reference), and what waits in their outbox.

Each function opens its own unit of work, so no adapter holds a session.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.core import Inbound
from bot.runtime import Runtime
from store.crypto import KeyMissing
from store.deliveries import take_outbox
from store.models import StaffIdentity
from store.staff import staff_by_identity


def identity_of(session: Session, inbound: Inbound) -> StaffIdentity | None:
    """How the person behind `inbound` is known on its platform (None before first contact)."""
    staff = staff_by_identity(session, inbound.platform, inbound.user_id, inbound.workspace)
    identities = staff.identities if staff is not None else []
    here = (inbound.platform, inbound.workspace, inbound.user_id)
    return next((i for i in identities if (i.platform, i.workspace, i.external_id) == here), None)


def is_known(rt: Runtime, inbound: Inbound) -> bool:
    """True once the person has written to Rampe (or installed it) on this platform."""
    with rt.unit_of_work() as session:
        return identity_of(session, inbound) is not None


def reach(rt: Runtime, inbound: Inbound) -> tuple[str, dict[str, Any] | None]:
    """The person's reply language and stored address (None until one is remembered)."""
    with rt.unit_of_work() as session:
        identity = identity_of(session, inbound)
        if identity is None:
            return rt.settings.language, None
        return identity.staff.language or rt.settings.language, identity.address


def language_of(rt: Runtime, inbound: Inbound) -> str:
    """The person's reply language (the default for someone Rampe has not met yet)."""
    return reach(rt, inbound)[0]


def language_or_default(rt: Runtime, inbound: Inbound) -> str:
    """`language_of`, or the install's language while the database cannot say (never an
    exception: for a line around a reply already given)."""
    try:
        return language_of(rt, inbound)
    except (SQLAlchemyError, KeyMissing):
        return rt.settings.language


def remember_address(rt: Runtime, inbound: Inbound, address: dict[str, Any] | None) -> None:
    """Store, refresh or (with None) forget where unprompted messages reach the person."""
    with rt.unit_of_work() as session:
        store_address(session, inbound, address)


def store_address(session: Session, inbound: Inbound, address: dict[str, Any] | None) -> None:
    """`remember_address` within a unit of work the caller holds; nothing for a stranger."""
    identity = identity_of(session, inbound)
    if identity is not None and identity.address != address:
        identity.address = address


def take_waiting(rt: Runtime, inbound: Inbound) -> list[str]:
    """Messages the scheduler left in the person's outbox, marked read as they are taken."""
    with rt.unit_of_work() as session:
        staff = staff_by_identity(session, inbound.platform, inbound.user_id)
        if staff is None:
            return []
        return [m.body for m in take_outbox(session, staff.id, rt.clock())]


class WaitingProblem(StrEnum):
    """Why the waiting messages could not be shown now."""

    UNREADABLE = "console.waiting_unreadable"  # sealed with a key this process does not have
    UNAVAILABLE = "console.waiting_unavailable"  # the database is away


def waiting_or_problem(rt: Runtime, inbound: Inbound) -> list[str] | WaitingProblem:
    """The waiting messages, or why they cannot be read now (never an exception)."""
    try:
        return take_waiting(rt, inbound)
    except KeyMissing:
        return WaitingProblem.UNREADABLE
    except SQLAlchemyError:
        return WaitingProblem.UNAVAILABLE
