"""Who may see which citizen. Every citizen query goes through here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from kernel.vocabulary import Role
from store.models import Citizen, Staff, Team


def sees_team(session: Session, staff: Staff) -> bool:
    """True if `staff` sees the whole team's citizens, not only their own."""
    if staff.team_id is None:
        return False
    if staff.role == Role.LEAD:
        return True
    shares = session.scalar(select(Team.shares_caseload).where(Team.id == staff.team_id))
    return bool(shares)


def visible_citizens(session: Session, staff: Staff) -> ColumnElement[bool]:
    """A WHERE clause on `Citizen` for the citizens `staff` may see."""
    if staff.role == Role.ADMIN:
        return true()
    if staff.id is None:
        return false()
    if staff.team_id is None:
        return Citizen.owner_id == staff.id
    if staff.role == Role.LEAD:
        return or_(Citizen.owner_id == staff.id, Citizen.team_id == staff.team_id)
    # The team's sharing flag inside the same statement (as sees_team reads it): no extra query.
    shares = select(Team.shares_caseload).where(Team.id == staff.team_id).scalar_subquery()
    return or_(Citizen.owner_id == staff.id, and_(Citizen.team_id == staff.team_id, shares))


def may_see(session: Session, staff: Staff, citizen: Citizen) -> bool:
    """True if `staff` may see `citizen` (the same rule as `visible_citizens`)."""
    if staff.role == Role.ADMIN or citizen.owner_id == staff.id:
        return True
    return (
        citizen.team_id is not None
        and citizen.team_id == staff.team_id
        and sees_team(session, staff)
    )


def scoped_citizen(session: Session, staff: Staff, citizen_id: int) -> Citizen | None:
    """The citizen with `citizen_id` if `staff` may see them; None otherwise."""
    return session.scalars(
        select(Citizen).where(Citizen.id == citizen_id, visible_citizens(session, staff))
    ).first()


def scoped_by_external_ref(session: Session, staff: Staff, ref_hash: str) -> list[Citizen]:
    """The citizens `staff` may see whose external case number hashes to `ref_hash`."""
    return list(
        session.scalars(
            select(Citizen)
            .where(Citizen.external_ref_hash == ref_hash, visible_citizens(session, staff))
            .order_by(Citizen.id)
        )
    )


def scoped_ids(session: Session, staff: Staff, citizen_ids: list[int]) -> set[int]:
    """Those of `citizen_ids` that `staff` may see."""
    if not citizen_ids:
        return set()
    return set(
        session.scalars(
            select(Citizen.id).where(Citizen.id.in_(citizen_ids), visible_citizens(session, staff))
        )
    )
