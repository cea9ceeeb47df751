"""Roles and teams: who is a contact person, a team lead or an admin, and who is in which team."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel.vocabulary import Role
from store.directory import bump_directory
from store.models import Citizen, Staff, Team


def admin_count(session: Session) -> int:
    """How many active admins there are."""
    return int(
        session.scalar(
            select(func.count(Staff.id)).where(Staff.role == Role.ADMIN, Staff.active.is_(True))
        )
        or 0
    )


def set_role(session: Session, staff: Staff, role: Role) -> None:
    """Give `staff` a role; what they may see follows at once."""
    staff.role = role
    session.flush()
    bump_directory(session)


def find_team(session: Session, name: str) -> Team | None:
    """The team called `name`, ignoring case."""
    return session.scalars(
        select(Team).where(func.lower(Team.name) == name.strip().lower())
    ).first()


def teams_with_members(session: Session) -> list[tuple[Team, list[Staff]]]:
    """Every team with its members, by name."""
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    members = list(session.scalars(select(Staff).where(Staff.team_id.is_not(None))))
    return [
        (team, sorted((s for s in members if s.team_id == team.id), key=lambda s: s.display_name))
        for team in teams
    ]


def create_team(session: Session, name: str, shares: bool, now: datetime) -> Team:
    """A new team; `shares` lets its contact persons see each other's citizens."""
    team = Team(name=name.strip(), shares_caseload=shares, created_at=now)
    session.add(team)
    session.flush()
    return team


def set_team(session: Session, staff: Staff, team: Team | None) -> int:
    """Put `staff` in `team` (None: no team); their citizens follow. Returns how many."""
    staff.team_id = team.id if team else None
    moved = session.execute(
        update(Citizen)
        .where(Citizen.owner_id == staff.id)
        .values(team_id=team.id if team else None)
    ).rowcount  # type: ignore[attr-defined]
    session.flush()
    bump_directory(session)
    return int(moved or 0)
