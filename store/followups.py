"""Follow-up rows: the facts the rules need (few set-based queries) and reconciliation.

`load_facts` reads what the pure rules in `bot.scheduler.rules` look at, for all citizens at
once or a given few; `reconcile` makes the stored rows match the wanted ones: new ones are
inserted, those no longer wanted become obsolete, handled ones are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus, FollowUpState
from store.course_facts import job_is_open, praktik_is_open
from store.models import (
    Citizen,
    Company,
    Contact,
    FollowUp,
    Job,
    Measurement,
    Placement,
    PlacementChange,
)

OPEN = (FollowUpState.DUE, FollowUpState.SNOOZED, FollowUpState.SENT)
CUSTOM = "custom"
ENDED_WINDOW = timedelta(days=30)  # ended courses still get their end measurement asked for
CHUNK = 500


@dataclass(slots=True)
class PlacementFacts:
    id: int
    company_id: int
    start_on: date
    planned_end_on: date | None
    last_hours_change: date | None


@dataclass(slots=True)
class JobFacts:
    id: int
    company_id: int | None
    start_on: date
    kind: str


@dataclass(slots=True)
class CourseFacts:
    """One citizen's course as the rules see it."""

    citizen_id: int
    owner_id: int
    status: str
    referred_on: date | None
    started_on: date | None
    paused_until: date | None
    ended_on: date | None
    last_contact: date | None = None
    placement: PlacementFacts | None = None
    job: JobFacts | None = None
    who5_start: bool = False
    who5_end: bool = False


@dataclass(slots=True)
class CompanyFacts:
    company_id: int
    staff_id: int  # the company's owner, else the owner of a citizen placed there
    last_contact: date | None
    praktik_since: date | None
    job_since: date | None


@dataclass
class Facts:
    courses: list[CourseFacts] = field(default_factory=list)
    companies: list[CompanyFacts] = field(default_factory=list)
    company_last: dict[int, date] = field(default_factory=dict)


@dataclass(slots=True)
class Wanted:
    """A follow-up the rules want to exist, with its deterministic key."""

    key: str
    rule: str
    due_on: date
    staff_id: int
    citizen_id: int | None = None
    company_id: int | None = None
    params: dict[str, Any] | None = None


def _in(column: Any, ids: set[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(sorted(ids))


def load_facts(
    session: Session, today: date, citizen_ids: set[int] | None = None, companies: bool = True
) -> Facts:
    """The stored facts for every live course (or the given citizens), in a few set queries."""
    rows = session.connection().execute(_courses_query(today, citizen_ids)).all()
    courses = [
        CourseFacts(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
            PlacementFacts(r[8], r[9], r[10], r[11], r[12]) if r[8] is not None else None,
            JobFacts(r[13], r[14], r[15], r[16]) if r[13] is not None else None,
            bool(r[17]), bool(r[18]),
        )
        for r in rows
    ]  # fmt: skip
    facts = Facts(courses=courses)
    placed = {c.placement.company_id for c in courses if c.placement is not None}
    facts.company_last = _company_last(session, None if companies else placed)
    if companies:
        facts.companies = _company_facts(session, courses, facts.company_last)
    return facts


def _courses_query(today: date, ids: set[int] | None) -> Any:
    """One row per live course: the citizen, last contact, active praktik and job, WHO-5."""
    # A correlated max() per live course is an index seek (contacts by citizen and day), far
    # cheaper than aggregating every contact of two years, most of them of ended courses.
    last = (
        select(func.max(Contact.occurred_on))
        .where(Contact.citizen_id == Citizen.id)
        .correlate(Citizen)
        .scalar_subquery()
    )
    open_p = (
        select(Placement.citizen_id.label("cid"), func.max(Placement.id).label("pid"))
        .where(praktik_is_open(), _in(Placement.citizen_id, ids))
        .group_by(Placement.citizen_id)
        .subquery()
    )
    hours = (
        select(
            PlacementChange.placement_id.label("pid"), func.max(PlacementChange.on_date).label("on")
        )
        .where(PlacementChange.kind == "hours")
        .group_by(PlacementChange.placement_id)
        .subquery()
    )
    open_j = (
        select(Job.citizen_id.label("cid"), func.max(Job.id).label("jid"))
        .where(job_is_open(), _in(Job.citizen_id, ids))
        .group_by(Job.citizen_id)
        .subquery()
    )
    who5 = (
        select(
            Measurement.citizen_id.label("cid"),
            func.max(case((Measurement.phase == "start", 1), else_=0)).label("start"),
            func.max(case((Measurement.phase == "end", 1), else_=0)).label("end"),
        )
        .where(Measurement.instrument == "who5", _in(Measurement.citizen_id, ids))
        .group_by(Measurement.citizen_id)
        .subquery()
    )
    live = or_(Citizen.status != CitizenStatus.ENDED, Citizen.ended_on >= today - ENDED_WINDOW)
    return (
        select(
            Citizen.id, Citizen.owner_id, Citizen.status, Citizen.referred_on,
            Citizen.started_on, Citizen.paused_until, Citizen.ended_on, last,
            Placement.id, Placement.company_id, Placement.start_on, Placement.planned_end_on,
            hours.c.on, Job.id, Job.company_id, Job.start_on, Job.kind, who5.c.start, who5.c.end,
        )
        .outerjoin(open_p, open_p.c.cid == Citizen.id)
        .outerjoin(Placement, Placement.id == open_p.c.pid)
        .outerjoin(hours, hours.c.pid == Placement.id)
        .outerjoin(open_j, open_j.c.cid == Citizen.id)
        .outerjoin(Job, Job.id == open_j.c.jid)
        .outerjoin(who5, who5.c.cid == Citizen.id)
        .where(live, _in(Citizen.id, ids))
    )  # fmt: skip


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
    session: Session, courses: list[CourseFacts], last: dict[int, date]
) -> list[CompanyFacts]:
    praktik: dict[int, tuple[date, int]] = {}
    job: dict[int, tuple[date, int]] = {}
    for c in courses:
        if c.status not in (CitizenStatus.ACTIVE, CitizenStatus.REFERRED):
            continue
        if c.placement is not None:
            _earliest(praktik, c.placement.company_id, c.placement.start_on, c.owner_id)
        if c.job is not None and c.job.company_id is not None:
            _earliest(job, c.job.company_id, c.job.start_on, c.owner_id)
    wanted = set(praktik) | set(job)
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
        )
        for cid in sorted(wanted)
    ]


def _earliest(into: dict[int, tuple[date, int]], key: int, on: date, owner: int) -> None:
    if key not in into or on < into[key][0]:
        into[key] = (on, owner)


def _scope(citizen_ids: set[int] | None, company_ids: set[int] | None) -> ColumnElement[bool]:
    if citizen_ids is None and company_ids is None:
        return true()
    parts: list[ColumnElement[bool]] = []
    if citizen_ids:
        parts.append(FollowUp.citizen_id.in_(sorted(citizen_ids)))
    if company_ids:
        companies = FollowUp.company_id.in_(sorted(company_ids))
        parts.append(and_(FollowUp.citizen_id.is_(None), companies))
    return or_(*parts) if parts else FollowUp.id.is_(None)


def reconcile(
    session: Session,
    wanted: Sequence[Wanted],
    now: datetime,
    moment: Callable[[date], datetime],
    citizen_ids: set[int] | None = None,
    company_ids: set[int] | None = None,
) -> tuple[int, int]:
    """Make stored rule rows match `wanted` (within the scope). Returns (offered, obsoleted)."""
    by_key = {w.key: w for w in wanted}
    open_rows = session.execute(
        select(FollowUp.id, FollowUp.key, FollowUp.staff_id, FollowUp.state).where(
            FollowUp.rule != CUSTOM,
            FollowUp.state.in_([*OPEN, FollowUpState.SENDING]),
            _scope(citizen_ids, company_ids),
        )
    ).all()
    open_keys = {r[1] for r in open_rows}
    gone = sorted(r[0] for r in open_rows if r[1] not in by_key and r[3] != FollowUpState.SENDING)
    for part in _chunks(gone):
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(part), FollowUp.state.in_(OPEN))
            .values(state=FollowUpState.OBSOLETE, updated_at=now)
        )
    moved = [
        (r[0], by_key[r[1]].staff_id)
        for r in open_rows
        if r[1] in by_key and r[3] == FollowUpState.DUE and r[2] != by_key[r[1]].staff_id
    ]
    for row_id, staff_id in moved:
        session.execute(
            update(FollowUp).where(FollowUp.id == row_id).values(staff_id=staff_id, updated_at=now)
        )
    fresh = sorted(k for k in by_key if k not in open_keys)
    added = 0
    for part in _chunks(fresh):
        added += _insert_new(session, [by_key[k] for k in part], now, moment)
        session.execute(  # a rule that applies again (a contact undone) revives its row
            update(FollowUp)
            .where(FollowUp.key.in_(part), FollowUp.state == FollowUpState.OBSOLETE)
            .values(state=FollowUpState.DUE, updated_at=now)
        )
    session.flush()
    return added, len(gone)


def _insert_new(
    session: Session, rows: list[Wanted], now: datetime, moment: Callable[[date], datetime]
) -> int:
    """Insert rows whose key is new; a key that exists (done, dismissed...) is left alone."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = [
        {
            "key": w.key, "rule": w.rule, "citizen_id": w.citizen_id, "company_id": w.company_id,
            "staff_id": w.staff_id, "due_at": moment(w.due_on), "state": FollowUpState.DUE,
            "params": w.params, "attempts": 0, "created_at": now, "updated_at": now,
        }
        for w in rows
    ]  # fmt: skip
    statement = insert(FollowUp).on_conflict_do_nothing(index_elements=["key"])
    session.connection().execute(statement, values)
    return len(values)  # offered; an existing key was left as it was


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def lock_reconcile(session: Session) -> bool:
    """Serialise full reconciliations across processes (PostgreSQL); SQLite already does."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(5005001)")))
