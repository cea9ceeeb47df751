"""Whose figures a report counts: own citizens, a team, one colleague, or all.

Every report narrows `store.scope.visible_citizens`, so nobody counts a citizen they may not see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, select, true
from sqlalchemy.orm import Session

from kernel.errors import UserError
from kernel.vocabulary import Role
from reports.filters import CitizenFilter, filter_names, filter_where
from reports.periods import Translate
from store.models import Citizen, Contact, Staff, Team
from store.scope import sees_team, visible_citizens


@dataclass(frozen=True)
class ReportScope:
    """A report's population. `viewer` None means the operator at the command line (all)."""

    kind: str  # own | team | person | all
    viewer: Staff | None = None
    team_id: int | None = None
    person_id: int | None = None
    municipality: str | None = None
    name: str = ""  # the team's or colleague's name, for the heading
    filter: CitizenFilter | None = None  # `henvist`, `ansat-ved-start`, ...: reports.filters

    def with_municipality(self, municipality: str | None) -> ReportScope:
        """The same scope, narrowed to one municipality."""
        return replace(self, municipality=municipality)

    def with_filter(self, chosen: CitizenFilter | None) -> ReportScope:
        """The same scope, narrowed to the citizens a filter keeps."""
        return replace(self, filter=chosen)

    @property
    def audited(self) -> str:
        """`team`, or `team filter:referred+employed_at_start`: the population, for the audit."""
        return self.kind + (f" filter:{'+'.join(self.filter.kinds)}" if self.filter else "")

    @property
    def is_everything(self) -> bool:
        """True when the report counts every citizen (no WHERE clause needed)."""
        everyone = self.viewer is None or self.viewer.role == Role.ADMIN
        return self.kind == "all" and everyone and not self.municipality and not self.filter

    def label(self, t: Translate) -> str:
        """`dine borgere`, `team Nord`, `Anna`, `alle`, with the municipality and filter if any."""
        text = t(f"scope.{self.kind}", name=self.name)
        if self.municipality:
            text += f", {t('scope.municipality', name=self.municipality)}"
        if self.filter:
            text += f", {t('scope.filter', names=filter_names(self.filter, t))}"
        return text


def default_scope(session: Session, viewer: Staff) -> ReportScope:
    """An admin sees all, a team lead the team, a contact person their own citizens."""
    if viewer.role == Role.ADMIN:
        return ReportScope("all", viewer)
    if viewer.role == Role.LEAD and viewer.team_id is not None:
        return team_scope(session, viewer)
    return ReportScope("own", viewer, person_id=viewer.id, name=viewer.display_name)


def team_scope(session: Session, viewer: Staff | None, team: Team | None = None) -> ReportScope:
    """The viewer's team (or `team` for the operator); refused if the viewer cannot see it."""
    team_id = team.id if team is not None else (viewer.team_id if viewer else None)
    if team_id is None:
        raise UserError("error.scope_no_team")
    outsider = viewer is not None and viewer.role != Role.ADMIN
    if outsider and viewer and (viewer.team_id != team_id or not sees_team(session, viewer)):
        raise UserError("error.scope_team")
    name = (
        team.name
        if team is not None
        else session.scalar(select(Team.name).where(Team.id == team_id))
    )
    return ReportScope("team", viewer, team_id=team_id, name=name or "")


def person_scope(session: Session, viewer: Staff | None, person: Staff) -> ReportScope:
    """One colleague's citizens; a contact person may only ask about themselves."""
    allowed = (
        viewer is None
        or viewer.role == Role.ADMIN
        or viewer.id == person.id
        or (
            person.team_id is not None
            and person.team_id == viewer.team_id
            and sees_team(session, viewer)
        )
    )
    if not allowed:
        raise UserError("error.scope_person", name=person.display_name)
    return ReportScope("person", viewer, person_id=person.id, name=person.display_name)


def citizen_where(session: Session, scope: ReportScope) -> ColumnElement[bool]:
    """A WHERE clause on `Citizen` for the citizens the report counts."""
    clauses: list[ColumnElement[bool]] = []
    if scope.viewer is not None:
        clauses.append(visible_citizens(session, scope.viewer))
    if scope.kind in ("own", "person"):
        clauses.append(Citizen.owner_id == scope.person_id)
    elif scope.kind == "team":
        clauses.append(Citizen.team_id == scope.team_id)
    if scope.municipality:
        clauses.append(func.lower(Citizen.municipality) == scope.municipality.casefold())
    if scope.filter:
        clauses.append(filter_where(scope.filter))
    return and_(true(), *clauses)


def scope_citizen_ids(session: Session, scope: ReportScope) -> list[int]:
    """The ids of the citizens the report counts (for a listing kept beside the figures)."""
    return list(session.scalars(select(Citizen.id).where(citizen_where(session, scope))))


def staff_where(scope: ReportScope, column: Any = Contact.staff_id) -> ColumnElement[bool]:
    """A WHERE clause on a staff id column for work logged without a citizen.

    Such work belongs to no municipality and to no filtered citizen, so a municipality's report
    and a filtered one count none of it.
    """
    if scope.municipality or scope.filter:
        return false()
    if scope.kind in ("own", "person"):
        return column == scope.person_id  # type: ignore[no-any-return]
    if scope.kind == "team":
        return column.in_(select(Staff.id).where(Staff.team_id == scope.team_id))  # type: ignore[no-any-return]
    if scope.viewer is not None and scope.viewer.role != Role.ADMIN:
        return column == scope.viewer.id  # type: ignore[no-any-return]
    return true()


def staff_labels(session: Session, named: Iterable[tuple[int, str]]) -> dict[int, str]:
    """A label per staff id from (id, display name): the name, or for a name several of them
    share, the name and team (`Anna Holm (Nord)`), and within one team also the number
    (`Anna Holm (Nord, #12)`), so a report never sums two people as one or hides one."""
    labels = dict(named)
    shared = {name for name, k in Counter(labels.values()).items() if k > 1}
    twins = [i for i, name in labels.items() if name in shared]
    if not twins:
        return labels
    query = select(Staff.id, Team.name).outerjoin(Team, Team.id == Staff.team_id)
    teams = {i: team for i, team in session.execute(query.where(Staff.id.in_(twins)))}
    same_team = Counter((labels[i], teams.get(i)) for i in twins)
    for i in twins:
        team = teams.get(i)
        told = [team] if team else []
        if same_team[(labels[i], team)] > 1:
            told.append(f"#{i}")
        labels[i] = f"{labels[i]} ({', '.join(told)})"
    return labels
