"""The stored facts the follow-up rules look at, read in a few set-based queries.

`load_facts` reads them for every live course at once (the sweep) or for a few citizens and
companies (the refresh after a recorded fact); `company_scope` says which companies such a
refresh concerns, so it can reconcile exactly their rows.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    or_,
    select,
    text,
    true,
    union,
)
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus
from store.course_facts import job_is_open, praktik_is_open
from store.followups import ENDED_WINDOW, CompanyFacts, CourseFacts, Facts, JobFacts, PlacementFacts
from store.models import Citizen, Company, Contact, Job, Measurement, Placement, PlacementChange


def _in(column: Any, ids: set[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(sorted(ids))


def company_scope(
    session: Session, citizen_ids: set[int], company_ids: set[int] | None = None
) -> set[int]:
    """The companies whose rules a change to these citizens (or companies) can move."""
    scope = set(company_ids or ())
    if citizen_ids:
        ids = sorted(citizen_ids)
        query: Any = union(
            select(Placement.company_id).where(Placement.citizen_id.in_(ids)),
            select(Job.company_id).where(Job.citizen_id.in_(ids), Job.company_id.is_not(None)),
        )
        scope.update(int(c) for c in session.execute(query).scalars() if c is not None)
    return scope


def load_facts(
    session: Session,
    today: date,
    citizen_ids: set[int] | None = None,
    company_ids: set[int] | None = None,
) -> Facts:
    """The facts for every live course and company, or for the given citizens and companies.

    A company's rules look at every citizen placed or employed there, so those courses are
    read too, but only the given citizens' courses are returned for the citizen rules.
    """
    if citizen_ids is None:
        courses = _read_courses(session, today, None)
        facts = Facts(courses=courses)
        facts.company_last = _company_last(session, None)
        facts.companies = _company_facts(session, courses, facts.company_last, None)
        return facts
    companies = company_ids or set()
    placed = citizens_at(session, companies) - citizen_ids if companies else set()
    courses = _read_courses(session, today, citizen_ids | placed)
    facts = Facts(courses=[c for c in courses if c.citizen_id in citizen_ids])
    if companies:
        facts.company_last = _company_last(session, companies)
        facts.companies = _company_facts(session, courses, facts.company_last, companies)
    return facts


def citizens_at(session: Session, companies: set[int]) -> set[int]:
    """The citizens in an active praktik or an open job at one of `companies`."""
    if not companies:
        return set()
    ids = sorted(companies)
    query: Any = union(
        select(Placement.citizen_id).where(Placement.company_id.in_(ids), praktik_is_open()),
        select(Job.citizen_id).where(Job.company_id.in_(ids), job_is_open()),
    )
    return {int(c) for c in session.execute(query).scalars()}


def _read_courses(session: Session, today: date, ids: set[int] | None) -> list[CourseFacts]:
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        # The correlated subqueries make the planner's cost estimate large enough to switch
        # on JIT compilation, which took 4 of the 5.5 s at 100,000 citizens; the query runs in
        # about 1.5 s without it.
        connection.execute(text("SET LOCAL jit = off"))
    params: dict[str, Any] = {"since": today - ENDED_WINDOW}
    if ids is not None:
        params["ids"] = sorted(ids)
    rows = connection.execute(_courses_query(ids is not None), params).all()
    if postgres:
        connection.execute(text("RESET jit"))
    return [
        CourseFacts(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
            PlacementFacts(r[8], r[9], r[10], r[11], r[12], r[19]) if r[8] is not None else None,
            JobFacts(r[13], r[14], r[15], r[16]) if r[13] is not None else None,
            bool(r[17]), bool(r[18]), bool(r[20]),
        )
        for r in rows
    ]  # fmt: skip


def _newest_open(model: Any, is_open: ColumnElement[bool], label: str, scoped: bool) -> Any:
    """Per citizen (`cid`), the id (`label`) of the newest open praktik or job."""
    return (
        select(model.citizen_id.label("cid"), func.max(model.id).label(label))
        .where(is_open, _scoped(model.citizen_id, scoped))
        .group_by(model.citizen_id)
        .subquery()
    )


def _scoped(column: Any, scoped: bool) -> ColumnElement[bool]:
    return column.in_(bindparam("ids", expanding=True)) if scoped else true()


@cache
def _courses_query(scoped: bool) -> Any:
    """One row per live course: the citizen, last contact, active praktik and job, WHO-5.

    Built once per process, with `since` (and `ids` when `scoped`) as parameters: building
    the statement took more time than running it when one citizen is refreshed after a /log.
    """
    # A correlated max() per live course is an index seek (contacts by citizen and day), far
    # cheaper than aggregating every contact of two years, most of them of ended courses.
    last = (
        select(func.max(Contact.occurred_on))
        .where(Contact.citizen_id == Citizen.id)
        .correlate(Citizen)
        .scalar_subquery()
    )
    open_p = _newest_open(Placement, praktik_is_open(), "pid", scoped)
    hours = (
        select(
            PlacementChange.placement_id.label("pid"), func.max(PlacementChange.on_date).label("on")
        )
        .where(PlacementChange.kind == "hours")
        .group_by(PlacementChange.placement_id)
        .subquery()
    )
    open_j = _newest_open(Job, job_is_open(), "jid", scoped)
    who5 = (
        select(
            Measurement.citizen_id.label("cid"),
            func.max(case((Measurement.phase == "start", 1), else_=0)).label("start"),
            func.max(case((Measurement.phase == "end", 1), else_=0)).label("end"),
        )
        .where(Measurement.instrument == "who5", _scoped(Measurement.citizen_id, scoped))
        .group_by(Measurement.citizen_id)
        .subquery()
    )
    live = or_(Citizen.status != CitizenStatus.ENDED, Citizen.ended_on >= bindparam("since"))
    return (
        select(
            Citizen.id, Citizen.owner_id, Citizen.status, Citizen.referred_on,
            Citizen.started_on, Citizen.paused_until, Citizen.ended_on, last,
            Placement.id, Placement.company_id, Placement.start_on, Placement.planned_end_on,
            hours.c.on, Job.id, Job.company_id, Job.start_on, Job.kind, who5.c.start, who5.c.end,
            _visit_contact(), _employer_contact(),
        )
        .outerjoin(open_p, open_p.c.cid == Citizen.id)
        .outerjoin(Placement, Placement.id == open_p.c.pid)
        .outerjoin(hours, hours.c.pid == Placement.id)
        .outerjoin(open_j, open_j.c.cid == Citizen.id)
        .outerjoin(Job, Job.id == open_j.c.jid)
        .outerjoin(who5, who5.c.cid == Citizen.id)
        .where(live, _scoped(Citizen.id, scoped))
    )  # fmt: skip


def _visit_contact() -> Any:
    """The praktik company's last contact about this citizen, or about nobody in particular."""
    about = or_(Contact.citizen_id == Citizen.id, Contact.citizen_id.is_(None))
    return (
        select(func.max(Contact.occurred_on))
        .where(Contact.company_id == Placement.company_id, about)
        .correlate(Citizen, Placement)
        .scalar_subquery()
    )


def _employer_contact() -> Any:
    """Whether the citizen ever met an employer: asked only where the IPS rule may apply."""
    applies = and_(Citizen.status == CitizenStatus.ACTIVE, Placement.id.is_(None), Job.id.is_(None))
    contact = exists().where(Contact.citizen_id == Citizen.id, Contact.company_id.is_not(None))
    placed = exists().where(Placement.citizen_id == Citizen.id)
    hired = exists().where(Job.citizen_id == Citizen.id)
    met = or_(contact.correlate(Citizen), placed.correlate(Citizen), hired.correlate(Citizen))
    return case((applies, met), else_=false())


def _company_last(session: Session, ids: set[int] | None) -> dict[int, date]:
    return dict(
        session.connection()
        .execute(  # type: ignore[arg-type]
            select(Contact.company_id, func.max(Contact.occurred_on))
            .where(Contact.company_id.is_not(None), _in(Contact.company_id, ids))
            .group_by(Contact.company_id)
        )
        .all()
    )


def _company_facts(
    session: Session,
    courses: list[CourseFacts],
    last: dict[int, date],
    only: set[int] | None,
) -> list[CompanyFacts]:
    praktik: dict[int, tuple[date, int]] = {}
    job: dict[int, tuple[date, int]] = {}
    latest: dict[int, date] = {}
    for c in courses:
        if c.status not in (CitizenStatus.ACTIVE, CitizenStatus.REFERRED):
            continue
        if c.placement is not None:
            _earliest(praktik, c.placement.company_id, c.placement.start_on, c.owner_id)
        if c.job is not None and c.job.company_id is not None:
            company = c.job.company_id
            _earliest(job, company, c.job.start_on, c.owner_id)
            latest[company] = max(c.job.start_on, latest.get(company, c.job.start_on))
    wanted = set(praktik) | set(job)
    if only is not None:
        wanted &= only
    owners = dict(
        session.connection()
        .execute(select(Company.id, Company.owner_id).where(_in(Company.id, wanted)))
        .all()
    )
    return [
        CompanyFacts(
            cid,
            owners.get(cid) or (praktik.get(cid) or job[cid])[1],
            last.get(cid),
            praktik[cid][0] if cid in praktik else None,
            job[cid][0] if cid in job else None,
            latest.get(cid),
        )
        for cid in sorted(wanted)
    ]


def _earliest(into: dict[int, tuple[date, int]], key: int, on: date, owner: int) -> None:
    if key not in into or on < into[key][0]:
        into[key] = (on, owner)
