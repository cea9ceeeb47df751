"""Contacts and time: intensity per citizen, citizens rather than events, cost, IPS fidelity.

Contacts are summed in SQL (per citizen, per form, per person), each part only for the reports
that need it; the figures are pure functions over those sums and the `Courses` frames (for
intensity, over the citizens counted in SQL by `fetch_reach`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, select, union, union_all
from sqlalchemy.orm import Session

from kernel.vocabulary import ContactForm
from reports.figures import FigureReport, Measure, amount, count, distribution, share
from reports.frames import (
    Courses,
    fetch_rows,
    records,
    touching,
    values,
    week_number,
    week_of,
    without_citizen,
)
from reports.periods import Period
from reports.scope import ReportScope, citizen_where, staff_labels, staff_where
from store.course_facts import add_months
from store.models import (
    Citizen,
    CitizenMonth,
    Contact,
    ContactDay,
    Job,
    Placement,
    Staff,
    StaffDay,
)

OUTSIDE = (ContactForm.HOME_VISIT, ContactForm.COMPANY_VISIT, ContactForm.WALK)  # IPS: in the field
SUMS = ["citizen_id", "plain", "company", "minutes"]  # `citizen_sums`: a citizen's, in parts
PER_FORM = ["form", "company", "citizen", "n"]  # company, citizen: was one there
PER_STAFF = ["staff_id", "n"]  # company contacts by the person who logged them
FIRST = ["citizen_id", "handle", "started_on", "day"]  # day: the first company contact
PARTS = frozenset({"minutes", "served", "form", "staff", "weeks", "first"})


@dataclass(frozen=True)
class Contacts:
    """Contact sums in a period, for citizens in scope and company contacts without a citizen
    logged by staff in scope; each part is empty unless it was fetched."""

    minutes: int  # logged with the citizens in scope
    minutes_alone: int  # logged in company contacts without a citizen, by the staff in scope
    served: frozenset[int]  # the citizens in scope with a contact in the period
    per_form: pd.DataFrame  # PER_FORM
    per_staff: pd.DataFrame  # PER_STAFF
    weeks: pd.DataFrame  # citizen_id, weeks: distinct weeks with a contact without a company
    first_company: pd.DataFrame  # FIRST: of the courses started in the period
    staff: dict[int, str]  # names of the contact persons in per_staff


def weeks_to(period: Period, as_of: date) -> int:
    """The Monday-based weeks from the period's start to its end or `as_of`, whichever is first."""
    return week_of(min(period.end, as_of)) - week_of(period.start) + 1


def fetch_contacts(
    session: Session,
    scope: ReportScope,
    period: Period,
    parts: frozenset[str] = PARTS,
    weeks_needed: int = 0,
    weeks_of: Any = None,
) -> Contacts:
    """The contact sums `parts` names, each counted in SQL by one pass (two when scoped).

    The distinct weeks with contact are counted only for citizens with at least
    `weeks_needed` contacts without a company (nobody else can have had one every week), and
    of those only for the citizen ids `weeks_of` selects, if given (the citizens the figure is
    about): counting distinct weeks for every citizen took half the intensity report's time.
    """
    in_period = Contact.occurred_on.between(period.start, period.end)
    company = Contact.company_id.is_not(None)

    def split(
        *columns: Any, group: tuple[Any, ...], where: Any = None
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Rows over contacts with citizens in scope, and over company contacts alone."""
        extra = (in_period,) if where is None else (in_period, where)
        return (
            _with_citizen(session, scope, columns, group, extra),
            _alone(session, scope, columns, group, extra),
        )

    def both(*columns: Any, group: tuple[Any, ...], where: Any = None) -> list[tuple[Any, ...]]:
        """The rows of both parts of `split`."""
        first, second = split(*columns, group=group, where=where)
        return first + second

    ones = func.count()
    per_form = per_staff = seen = firsts = []
    minutes = alone_minutes = 0
    served: frozenset[int] = frozenset()
    if parts & {"minutes", "served", "weeks"}:  # summed only as those parts ask
        sums = citizen_sums(session, scope, period).subquery()
    if "minutes" in parts:
        minutes = int(session.scalar(select(func.coalesce(func.sum(sums.c.minutes), 0))) or 0)
        logged = (func.coalesce(func.sum(Contact.minutes), 0),)
        alone_minutes = sum(int(n) for (n,) in _alone(session, scope, logged, (), (in_period,)))
    if "served" in parts:
        query = select(sums.c.citizen_id).group_by(sums.c.citizen_id)
        served = frozenset(int(cid) for (cid,) in fetch_rows(session, query))
    if "weeks" in parts:
        # Nobody with fewer contacts without a company than weeks had one every week.
        enough = select(sums.c.citizen_id).group_by(sums.c.citizen_id)
        enough = enough.having(func.sum(sums.c.plain) >= max(weeks_needed, 1))
        if weeks_of is not None:  # `+ 0`: SQLite would otherwise probe the months per id
            enough = enough.where((sums.c.citizen_id + 0).in_(weeks_of))
        candidates = sorted(int(cid) for (cid,) in fetch_rows(session, enough))
        seen = _distinct_weeks(session, candidates, in_period)
    if "form" in parts:
        per_form = _per_form(session, scope, split, period)
    if "staff" in parts:
        if scope.is_everything:  # the counts per day and person (store.contact_days)
            employer = func.sum(StaffDay.company_contacts)
            query = select(StaffDay.staff_id, employer).where(
                StaffDay.occurred_on.between(period.start, period.end)
            )
            grouped = query.group_by(StaffDay.staff_id).having(employer > 0)
            per_staff = fetch_rows(session, grouped)
        else:
            per_staff = both(Contact.staff_id, ones, group=(Contact.staff_id,), where=company)
    if "first" in parts:
        # Per citizen started in the period, a look-up in their contacts' index: on SQLite
        # half the time of grouping their company contacts (61 against 125 ms for a year).
        first = (
            select(func.min(Contact.occurred_on))
            .where(Contact.citizen_id == Citizen.id, company, Contact.occurred_on <= period.end)
            .scalar_subquery()
        )
        started = select(Citizen.id, Citizen.handle, Citizen.started_on, first).where(
            *touching(session, scope, period),
            Citizen.started_on.between(period.start, period.end),
        )
        firsts = [row for row in fetch_rows(session, started) if row[3] is not None]
    ids = {int(r[0]) for r in per_staff}
    who = select(Staff.id, Staff.display_name).where(Staff.id.in_(ids))
    names = staff_labels(session, ((int(i), str(name)) for i, name in session.execute(who)))
    return Contacts(
        minutes,
        alone_minutes,
        served,
        pd.DataFrame(per_form, columns=PER_FORM),
        pd.DataFrame(per_staff, columns=PER_STAFF),
        pd.DataFrame(seen, columns=["citizen_id", "weeks"]),
        pd.DataFrame(firsts, columns=FIRST),
        names,
    )


def whole_months(period: Period) -> tuple[date, date] | None:
    """The first days of the first and the last calendar month wholly inside `period`."""
    first = period.start if period.start.day == 1 else add_months(period.start.replace(day=1), 1)
    last = add_months((period.end + timedelta(days=1)).replace(day=1), -1)
    return (first, last) if first <= last else None


def _with_citizen(
    session: Session, scope: ReportScope, columns: Any, group: Any, where: Any
) -> list[tuple[Any, ...]]:
    """`columns` grouped by `group` over the contacts with a citizen in scope."""
    query = select(*columns).where(*where, Contact.citizen_id.is_not(None))
    if not scope.is_everything:
        query = query.join(Citizen, Citizen.id == Contact.citizen_id).where(
            citizen_where(session, scope)
        )
    return fetch_rows(session, query.group_by(*group))


def _alone(
    session: Session, scope: ReportScope, columns: Any, group: Any, where: Any
) -> list[tuple[Any, ...]]:
    """`columns` grouped by `group` over the company contacts without a citizen logged by
    staff in scope."""
    query = select(*columns).where(*where, without_citizen(session, scope), staff_where(scope))
    return fetch_rows(session, query.group_by(*group))


def citizen_sums(session: Session, scope: ReportScope, period: Period) -> Any:
    """SQL: (citizen id, contacts without a company, with one, minutes) in `period` for the
    citizens in scope, in parts that add up per citizen: a row per whole month (`CitizenMonth`,
    kept by triggers: a quarter of the rows at full size) and a row per citizen for the days
    before and after them, counted from the contacts.

    The callers sum it as they need it (all minutes, who was served, who had enough contacts
    to have had one every week): grouping it per citizen and reading every citizen's sums
    into Python took half of a year's intensity report.
    """
    # Every contact has a citizen or a company (the table's check): those without a company
    # are all minus those with one, counted from the index without a CASE per row.
    with_company = func.count(Contact.company_id)
    counted = (Contact.citizen_id, func.count() - with_company, with_company,
               func.coalesce(func.sum(Contact.minutes), 0))  # fmt: skip

    def days(start: date, end: date) -> Any:
        query = select(*_named(counted)).where(
            Contact.occurred_on.between(start, end), Contact.citizen_id.is_not(None)
        )
        if not scope.is_everything:
            query = query.join(Citizen, Citizen.id == Contact.citizen_id).where(
                citizen_where(session, scope)
            )
        return query.group_by(Contact.citizen_id)

    months = whole_months(period)
    if months is None:
        return days(period.start, period.end)
    first, last = months
    month = CitizenMonth
    parts = [select(*_named((month.citizen_id, month.contacts - month.company_contacts,
                             month.company_contacts, month.minutes)))
             .where(month.month.between(first, last))]  # fmt: skip
    if not scope.is_everything:
        parts[0] = (
            parts[0]
            .join(Citizen, Citizen.id == month.citizen_id)
            .where(citizen_where(session, scope))
        )
    for start, end in ((period.start, first - timedelta(days=1)),
                       (add_months(last, 1), period.end)):  # fmt: skip
        if start <= end:
            parts.append(days(start, end))
    return union_all(*parts) if len(parts) > 1 else parts[0]


def _named(columns: tuple[Any, ...]) -> list[Any]:
    """The columns labelled as `SUMS` names them."""
    return [column.label(name) for column, name in zip(columns, SUMS, strict=True)]


def _distinct_weeks(session: Session, citizens: list[int], in_period: Any) -> list[Any]:
    """(citizen id, distinct weeks with a contact without a company) for these citizens."""
    week = week_number(session, Contact.occurred_on)
    found: list[Any] = []
    for start in range(0, len(citizens), 500):
        query = (
            select(Contact.citizen_id, func.count(week.distinct()))
            .where(in_period, Contact.company_id.is_(None))
            .where(Contact.citizen_id.in_(citizens[start : start + 500]))
            .group_by(Contact.citizen_id)
        )
        found.extend(fetch_rows(session, query))
    return found


def _per_form(session: Session, scope: ReportScope, split: Any, period: Period) -> list[Any]:
    """Contacts per form, with a company or not, with a citizen or not: (form, company,
    citizen, n). Counted by day and form, the date index's order (no sort), summed here."""
    counted: dict[tuple[str, bool, bool], int] = {}

    def add(form: str, company: bool, citizen: bool, n: int) -> None:
        counted[(form, company, citizen)] = counted.get((form, company, citizen), 0) + int(n)

    if scope.is_everything:  # the counts per day (`store.contact_days`) hold them all
        key = (ContactDay.form, ContactDay.with_company, ContactDay.with_citizen)
        days = ContactDay.occurred_on.between(period.start, period.end)
        rows = fetch_rows(session, select(*key, func.sum(ContactDay.n)).where(days).group_by(*key))
        for form, company, citizen, n in rows:
            add(form, bool(company), bool(citizen), n)
    else:
        ones, with_company = func.count(), func.count(Contact.company_id)
        with_someone, alone_rows = split(Contact.form, ones - with_company, with_company,
                                         group=(Contact.occurred_on, Contact.form))  # fmt: skip
        for form, plain, company_n in with_someone:
            add(form, False, True, plain)
            add(form, True, True, company_n)
        for form, _, company_n in alone_rows:
            add(form, True, False, company_n)
    return [(*key, n) for key, n in counted.items() if n]


def handles(courses: Courses) -> dict[int, str]:
    """Citizen id -> handle for the courses in the frames."""
    return {int(cid): str(h) for cid, h in values(courses.people, "id", "handle")}


@dataclass(frozen=True)
class Reach:
    """The citizens behind the intensity figures, counted in SQL (`fetch_reach`)."""

    active: int  # started by the period's end (or today), course touching the period
    active_handles: tuple[str, ...]  # theirs, when shown; else empty
    ran: int  # of those, under way through the whole period: asked about weekly contact
    placed: tuple[str, ...]  # handles of those with a praktik or job starting in the period


def running_through(period: Period, as_of: date) -> tuple[ColumnElement[bool], ...]:
    """WHERE on `Citizen`: started by the period's start, not ended before its end (or
    `as_of`, if sooner). Weekly contact is asked of them alone."""
    end = min(period.end, as_of)
    return (Citizen.started_on <= period.start, Citizen.started_on <= end,
            func.coalesce(Citizen.ended_on, date.max) >= end)  # fmt: skip


def running_ids(session: Session, scope: ReportScope, period: Period, as_of: date) -> Any:
    """SQL: the ids of the courses touching the period that ran through it (`running_through`)."""
    return select(Citizen.id).where(*touching(session, scope, period),
                                    *running_through(period, as_of))  # fmt: skip


def fetch_reach(
    session: Session, scope: ReportScope, period: Period, as_of: date, shown: bool
) -> Reach:
    """Counts of the courses touching the period (`reports.frames.touching`) that intensity
    divides by, and the handles of the active ones only if `shown`: a year's 66,000 courses
    took a third of a second to read on a slow core, for a count."""
    where = touching(session, scope, period)
    active = Citizen.started_on <= min(period.end, as_of)
    ran = and_(*running_through(period, as_of))
    n_active, n_ran = session.execute(
        select(func.count(case((active, 1))), func.count(case((ran, 1)))).where(*where)
    ).one()
    listed: tuple[str, ...] = ()
    if shown:
        listed = tuple(str(h) for (h,) in fetch_rows(session, select(Citizen.handle)
                                                      .where(*where, active)))  # fmt: skip
    starts = [select(span.citizen_id).where(span.start_on.between(period.start, period.end))
              for span in (Placement, Job)]  # fmt: skip
    placed = select(Citizen.handle).where(*where, Citizen.id.in_(union(*starts)))
    return Reach(int(n_active), listed, int(n_ran),
                 tuple(str(h) for (h,) in fetch_rows(session, placed)))  # fmt: skip


def weekly_handles(session: Session, contacts: Contacts) -> list[tuple[str, int]]:
    """(handle, distinct weeks with a contact) of the citizens `contacts.weeks` holds."""
    seen = {int(cid): int(n) for cid, n in values(contacts.weeks, "citizen_id", "weeks")}
    if not seen:
        return []
    rows = fetch_rows(session, select(Citizen.id, Citizen.handle).where(Citizen.id.in_(seen)))
    return [(str(handle), seen[int(cid)]) for cid, handle in rows]


def compute_intensity(
    reach: Reach, contacts: Contacts, seen: list[tuple[str, int]], period: Period, as_of: date
) -> FigureReport:
    """Contacts and hours per active citizen (by form), weekly contact, company contacts.

    `seen`: (handle, distinct weeks with a contact) of the citizens under way through the
    period who had enough contacts to have had one every week (`weekly_handles`)."""
    n = reach.active

    def per(value: Decimal | int) -> Decimal | None:
        return Decimal(value) / n if n else None

    forms: dict[str, int] = {}
    company_contacts = 0
    for r in records(contacts.per_form):
        if r["company"]:
            company_contacts += int(r["n"])
        else:
            forms[str(r["form"])] = forms.get(str(r["form"]), 0) + int(r["n"])
    minutes = contacts.minutes
    measures: list[Measure] = [
        count("active_citizens", n, reach.active_handles),
        amount("contacts_per_citizen", "count", per(sum(forms.values()))),
        amount("hours_per_citizen", "hours", per(Decimal(minutes) / 60)),
    ]
    for form, total in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
        measures.append(amount("contacts_per_citizen_form", "count", per(total), 2, label=form))
    weeks = weeks_to(period, as_of)
    every = [handle for handle, n_weeks in seen if n_weeks >= weeks]
    measures.append(share("weekly_contact", len(every), reach.ran, every))
    placed = reach.placed
    measures.append(count("citizens_placed", len(placed), placed))
    per_placed = Decimal(company_contacts) / len(placed) if placed else None
    measures.append(amount("company_contacts_per_placed", "count", per_placed))
    return FigureReport("intensity", period, tuple(measures))


def compute_citizens(courses: Courses, period: Period, as_of: date) -> FigureReport:
    """Of the citizens referred in the period: ever a praktik, ever a job, praktik to job."""
    end = min(period.end, as_of)
    cohort = {int(cid): str(handle)
              for cid, handle, referred_on in values(courses.people, "id", "handle", "referred_on")
              if period.contains(referred_on)}  # fmt: skip

    def firsts(spans: pd.DataFrame) -> dict[int, date]:
        out: dict[int, date] = {}
        for cid, start_on in values(spans, "citizen_id", "start_on"):
            key = int(cid)
            if key in cohort and start_on <= end and (key not in out or start_on < out[key]):
                out[key] = start_on
        return out

    praktik, job = firsts(courses.placements), firsts(courses.jobs)
    converted = [cohort[c] for c, first in praktik.items() if c in job and job[c] >= first]
    return FigureReport("citizens", period, (
        count("referred", len(cohort), cohort.values()),
        share("ever_praktik", len(praktik), len(cohort), [cohort[c] for c in praktik]),
        share("ever_job", len(job), len(cohort), [cohort[c] for c in job]),
        share("praktik_to_job", len(converted), len(praktik), converted),
    ))  # fmt: skip


def compute_cost(
    courses: Courses, contacts: Contacts, period: Period, as_of: date, rate: Decimal,
    overhead_pct: Decimal,
) -> FigureReport:  # fmt: skip
    """All logged time (with citizens, companies, networks) x rate plus overhead, and per unit."""
    hours = Decimal(contacts.minutes + contacts.minutes_alone) / 60
    total = hours * rate * (1 + overhead_pct / 100)
    served = contacts.served
    handle = handles(courses)
    end = min(period.end, as_of)
    in_job = {
        int(cid) for cid, start_on, ended_on in values(courses.jobs, "citizen_id", "start_on",
                                                       "ended_on")
        if start_on <= end and (ended_on is None or ended_on >= period.start)
    }  # fmt: skip
    days = (period.end - period.start).days + 1
    return FigureReport("cost", period, (
        amount("hours_logged", "hours", hours),
        amount("cost_total", "kr", total, 0),
        count("citizens_served", len(served), [handle[c] for c in served if c in handle]),
        amount("cost_per_citizen", "kr", total / len(served) if served else None, 0),
        count("citizens_in_job", len(in_job), [handle[c] for c in in_job if c in handle]),
        amount("cost_per_job", "kr", total / len(in_job) if in_job else None, 0),
        amount("cost_per_year", "kr", total * 365 / days, 0),
    ))  # fmt: skip


def compute_fidelity(
    contacts: Contacts, period: Period, as_of: date, caseloads: dict[str, tuple[int, int]]
) -> FigureReport:
    """IPS fidelity: employer contacts a week per person, days to the first employer contact,
    the share of contacts outside the office, caseload against the cap."""
    end = min(period.end, as_of)
    weeks = Decimal((end - period.start).days + 1) / 7
    measures: list[Measure] = []
    by_staff: dict[int, int] = {}
    for r in records(contacts.per_staff):
        by_staff[int(r["staff_id"])] = by_staff.get(int(r["staff_id"]), 0) + int(r["n"])
    for staff_id, name in sorted(contacts.staff.items(), key=lambda kv: kv[1]):
        employer = by_staff.get(staff_id, 0)
        per_week = Decimal(employer) / weeks if weeks > 0 else None
        measures.append(amount("employer_contacts_per_week", "count", per_week, label=name))
    days, who = [], []
    for handle, started_on, first in values(contacts.first_company, "handle", "started_on", "day"):
        days.append(max(0, (first - started_on).days))
        who.append(str(handle))
    measures.append(distribution("days_to_employer_contact", "days", days, who))
    with_citizen = [r for r in records(contacts.per_form) if r["citizen"]]
    field = sum(int(r["n"]) for r in with_citizen if r["form"] in OUTSIDE)
    measures.append(share("outside_office", field, sum(int(r["n"]) for r in with_citizen)))
    for name, (active, cap) in sorted(caseloads.items()):
        measures.append(share("caseload_of_cap", active, cap, label=name))
    return FigureReport("fidelity", period, tuple(measures))
