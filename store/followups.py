"""Follow-up rows: the facts the rules see, and reconciliation.

The facts are read by `store.followup_facts`; `reconcile` makes the stored rows match the
wanted ones: new ones are inserted, those no longer wanted become obsolete, handled ones are
left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, text, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kernel.vocabulary import FollowUpState
from store.models import (
    FollowUp,
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
    company_contact: date | None = None  # about this citizen, or naming no citizen


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
    employer_contact: bool = False  # a company contact about them, or a praktik or job, ever


@dataclass(slots=True)
class CompanyFacts:
    company_id: int
    staff_id: int  # the company's owner, else the owner of a citizen placed there
    last_contact: date | None
    praktik_since: date | None
    job_since: date | None
    latest_job_on: date | None = None  # the latest job start there (aftercare follows it)


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
