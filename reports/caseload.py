"""Caseload: active courses per contact person, and the IPS reading (contact in 4 weeks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, null, select
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus
from reports.scope import ReportScope, citizen_where, staff_labels
from store.models import Citizen, Contact, Staff

IPS_DAYS = 28


@dataclass(frozen=True)
class CaseloadLine:
    """One contact person's caseload, read both ways, against the cap."""

    staff_id: int
    name: str
    active: int  # courses not ended (paused ones included)
    contacted: int | None  # of those, with a contact in the last four weeks (the IPS
    # reading); None when not counted
    cap: int

    @property
    def over_cap(self) -> bool:
        return self.active > self.cap


def caseload_lines(
    session: Session, scope: ReportScope, today: date, cap: int, contacted: bool = True
) -> list[CaseloadLine]:
    """Per contact person in scope: active courses and (if `contacted`) those contacted in the
    last 28 days, a look-up per course that IPS fidelity, which needs only the active ones,
    does without (everyone's: 300 of PostgreSQL's 820 ms for the fidelity report)."""
    since = today - timedelta(days=IPS_DAYS - 1)
    # A column of the index (not `*`), so the check reads the index alone.
    recent = (
        select(Contact.citizen_id)
        .where(Contact.citizen_id == Citizen.id, Contact.occurred_on.between(since, today))
        .exists()
    )
    rows = session.execute(
        select(
            Staff.id,
            Staff.display_name,
            func.count(Citizen.id),
            func.sum(case((recent, 1), else_=0)) if contacted else null(),
        )
        .join(Staff, Staff.id == Citizen.owner_id)
        .where(citizen_where(session, scope), Citizen.status != CitizenStatus.ENDED)
        .group_by(Staff.id, Staff.display_name)
        .order_by(Staff.display_name)
    )
    found = rows.all()
    label = staff_labels(session, ((i, n) for i, n, _, _ in found))
    return [CaseloadLine(i, label[i], int(a), None if c is None else int(c), cap)
            for i, _, a, c in found]  # fmt: skip


@dataclass(frozen=True)
class Silent:
    """A citizen nobody has talked to for a while."""

    citizen: Citizen
    last_contact: date | None


def silent_citizens(session: Session, scope: ReportScope, today: date, days: int) -> list[Silent]:
    """Active citizens in scope without a contact in the last `days` days, longest first."""
    last = (
        select(func.max(Contact.occurred_on))
        .where(Contact.citizen_id == Citizen.id)
        .correlate(Citizen)
        .scalar_subquery()
    )
    since = today - timedelta(days=days - 1)
    rows = session.execute(
        select(Citizen, last)
        .where(
            and_(citizen_where(session, scope), Citizen.status != CitizenStatus.ENDED),
            ~exists().where(Contact.citizen_id == Citizen.id, Contact.occurred_on >= since),
        )
        .order_by(last.is_not(None), last, Citizen.handle)
    )
    return [Silent(c, d) for c, d in rows]
