"""Staff members and how they are known on each platform."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.vocabulary import Role
from store.directory import bump_directory
from store.locks import FIRST_USER_LOCK, lock_for_transaction
from store.models import Staff, StaffIdentity, Team


def staff_by_identity(
    session: Session, platform: str, external_id: str, workspace: str | None = None
) -> Staff | None:
    """The staff member known on `platform` as `external_id`, if any."""
    query = (
        select(Staff)
        .join(StaffIdentity)
        .where(StaffIdentity.platform == platform, StaffIdentity.external_id == external_id)
    )
    if workspace is not None:
        query = query.where(StaffIdentity.workspace == workspace)
    return session.scalars(query.limit(1)).first()


def get_or_create_staff(
    session: Session,
    *,
    platform: str,
    workspace: str,
    external_id: str,
    display_name: str,
    language: str,
    now: datetime,
    name_folded: str,
) -> tuple[Staff, bool]:
    """The staff member behind a platform identity, created on first contact.

    Returns the staff member and whether they were just created. The very first staff member of
    a fresh install becomes admin.
    """
    found = staff_by_identity(session, platform, external_id, workspace)
    if found is not None:
        if found.display_name == external_id and display_name not in ("", external_id):
            # Known only by an id so far (the platform gave no name the first time).
            found.display_name, found.name_folded = display_name, name_folded
            bump_directory(session)
        return found, False
    first = _no_staff_yet(session)
    if first:
        # Twenty people writing at once to a fresh install would all count zero: decide under
        # the lock, counting again once it is ours (then the others' staff rows are visible).
        lock_for_transaction(session, FIRST_USER_LOCK)
        first = _no_staff_yet(session)
    staff = Staff(
        display_name=display_name or external_id,
        name_folded=name_folded,
        role=Role.ADMIN if first else Role.CONTACT,
        language=language,
        active=True,
        created_at=now,
    )
    staff.identities.append(
        StaffIdentity(
            platform=platform, workspace=workspace, external_id=external_id, created_at=now
        )
    )
    session.add(staff)
    session.flush()
    bump_directory(session)
    return staff, True


def _no_staff_yet(session: Session) -> bool:
    return session.scalar(select(func.count(Staff.id))) == 0


def set_address(session: Session, staff: Staff, platform: str, address: dict[str, Any]) -> None:
    """Remember where proactive messages to `staff` on `platform` go."""
    for identity in staff.identities:
        if identity.platform == platform:
            identity.address = address


def ensure_team(session: Session, name: str, now: datetime, shares: bool = False) -> Team:
    """The team called `name`, created if missing."""
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name, shares_caseload=shares, created_at=now)
        session.add(team)
        session.flush()
    return team
