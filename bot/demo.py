"""`rampe demo`: fill an empty database with the fictional programme of `bot.demo_plan`.

Everything is stored through the store functions, so the rows are exactly what the commands
would have stored. The local user (`me`) joins the Silkeborg team with a caseload of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.demo_plan import COLLEAGUES, COMPANIES, CitizenPlan, plan_programme
from kernel.fold import fold
from kernel.i18n import t
from kernel.vocabulary import Role
from store import contacts, course
from store.companies import create_company
from store.models import Citizen, Company, Job, Placement, Staff
from store.staff import ensure_team, get_or_create_staff

TZ = ZoneInfo("Europe/Copenhagen")


class DemoRefused(click.ClickException):
    """The database already holds citizens; the demo only fills an empty one."""


def at(day: date, hour: int = 10) -> datetime:
    """A moment on `day` in Copenhagen, for the `now` of a historical entry."""
    return datetime.combine(day, time(hour), TZ)


def fill_demo(
    session: Session,
    now: datetime,
    *,
    seed: int = 7,
    me: str = "local",
    progress: Callable[[str], None] = lambda _msg: None,
    lang: str = "da",
) -> str:
    """Store the demo programme in `session`; returns a summary. Refuses a non-empty database."""
    if session.scalar(select(func.count(Citizen.id))):
        raise DemoRefused(t("da", "demo.refused") + "\n" + t("en", "demo.refused"))
    today = now.astimezone(TZ).date()
    plans = plan_programme(seed, today)
    staff = _staff(session, now, me)
    progress(t(lang, "demo.progress_staff", count=len(staff)))
    companies = _companies(session, staff, seed, now)
    progress(t(lang, "demo.progress_companies", count=len(companies)))
    stored = 0
    for i, plan in enumerate(plans, start=1):
        stored += _citizen(session, plan, staff, companies)
        if i % 20 == 0 or i == len(plans):
            progress(t(lang, "demo.progress_citizens", done=i, total=len(plans)))
    session.flush()
    firsts = [p.name.split()[0] for p in plans]
    mine = next(p.name for p in plans if p.owner == 0 and firsts.count(p.name.split()[0]) == 1)
    return t(
        lang,
        "demo.done",
        staff=len(staff),
        citizens=len(plans),
        companies=len(companies),
        contacts=stored,
        me=me,
        name=mine.split()[0].lower(),
    )


def _staff(session: Session, now: datetime, me: str) -> list[Staff]:
    """The local user first (so a fresh install makes them admin), then five colleagues."""
    teams = {
        "Silkeborg": ensure_team(session, "Team Silkeborg", now),
        "Norddjurs": ensure_team(session, "Team Norddjurs", now, shares=True),
    }
    people = [
        (me, me, "Silkeborg", False),
        *[(n, login, m, lead) for n, login, m, lead in COLLEAGUES],
    ]
    out = []
    for name, login, town, lead in people:
        person, _ = get_or_create_staff(
            session, platform="console", workspace="", external_id=login, display_name=name,
            language="da", now=now, name_folded=fold(name),
        )  # fmt: skip
        person.team_id = teams[town].id
        if lead:
            person.role = Role.LEAD
        out.append(person)
    session.flush()
    return out


def _companies(session: Session, staff: list[Staff], seed: int, now: datetime) -> list[Company]:
    out = []
    for i, (name, contact) in enumerate(COMPANIES):
        phone = f"{2 + (seed + i) % 7}{(seed * 7919 + i * 104729) % 10_000_000:07d}"
        out.append(
            create_company(
                session, name=name, name_folded=fold(name), contact_name=contact,
                contact_phone=phone, owner=staff[i % len(staff)], now=now,
            )
        )  # fmt: skip
    return out


def _citizen(session: Session, p: CitizenPlan, staff: list[Staff], firms: list[Company]) -> int:
    """Store one citizen's course in date order; returns how many contacts were stored."""
    owner = staff[p.owner]
    c = course.register(
        session, full_name=p.name, name_folded=fold(p.name), owner=owner,
        municipality=p.municipality, referred_on=p.referred, by=owner, now=at(p.referred),
    )  # fmt: skip
    if p.started:
        course.start(session, c, p.started, owner, at(p.started))
        if p.employed_at_start is not None:
            employed, hours = p.employed_at_start
            course.set_employed_at_start(session, c, employed, hours, at(p.started))
        if p.who5_start:
            _who5(session, c, p.who5_start, "start", p.started, owner)
    stored = 0
    done = _Stored()
    for contact in p.contacts:
        if p.handover and contact.on >= p.handover[0] and c.owner_id == owner.id:
            to = staff[p.handover[1]]
            if to.id != owner.id:  # a plan may pair a person with themselves
                course.hand_over(session, c, to, p.handover[0], owner, at(p.handover[0], 9))
            owner = to
        _events_before(session, c, p, firms, owner, contact.on, done)
        contacts.add_contact(
            session, staff=owner, form=contact.form, occurred_on=contact.on,
            minutes=contact.minutes, note=contact.note,
            citizen=c if contact.with_citizen else None,
            company=firms[contact.with_company] if contact.with_company is not None else None,
            platform="console", now=at(contact.on, 14),
        )  # fmt: skip
        stored += 1
    _events_before(session, c, p, firms, owner, date.max, done)
    if p.pause:
        since, until, reason = p.pause
        course.pause(session, c, since, until, reason, owner, at(since, 15))
    if p.end:
        day, outcome = p.end
        if p.who5_end:
            _who5(session, c, p.who5_end, "end", day, owner)
        course.close(session, c, outcome, day, owner, at(day, 15), day)
    return stored


@dataclass
class _Stored:
    """What has been stored of one citizen's praktik and job so far."""

    placement: Placement | None = None
    job: Job | None = None


def _events_before(
    session: Session,
    c: Citizen,
    p: CitizenPlan,
    firms: list[Company],
    by: Staff,
    day: date,
    done: _Stored,
) -> None:
    """Store the praktik and job events due before `day`; each plan step is used up once."""
    pr, job = p.praktik, p.job
    if pr is not None:
        if done.placement is None and pr.start < day:
            done.placement = course.start_praktik(
                session, citizen=c, company=firms[pr.company], start_on=pr.start,
                planned_end_on=pr.start + timedelta(weeks=pr.weeks), hours_per_week=pr.hours,
                by=by, now=at(pr.start, 9),
            )  # fmt: skip
        placement = done.placement
        if placement is not None and pr.hours_change and pr.hours_change[0] < day:
            on, hours = pr.hours_change
            course.praktik_hours(session, c, hours, on, by, at(on, 11))
            pr.hours_change = None
        if placement is not None and pr.extend and pr.extend[0] < day:
            on, weeks = pr.extend
            course.extend_praktik(session, c, weeks, on, by, at(on, 11))
            pr.extend = None
        if placement is not None and pr.end and pr.end[0] < day:
            on, reason = pr.end
            course.end_praktik(session, c, reason, None, on)
            pr.end = None
    if job is not None and done.job is None and job.start < day:
        done.job = course.start_job(
            session, citizen=c, company=firms[job.company], kind=job.kind,
            hours_per_week=job.hours, start_on=job.start, by=by, now=at(job.start, 9),
        )  # fmt: skip
    if job is not None and done.job is not None and job.hours_change and job.hours_change[0] < day:
        on, hours = job.hours_change
        course.job_hours(session, c, hours, on, by, at(on, 11))
        job.hours_change = None


def _who5(session: Session, c: Citizen, items: list[int], phase: str, on: date, by: Staff) -> None:
    course.measure(
        session, citizen=c, score=sum(items) * 4, items=items, phase=phase, on=on, by=by,
        now=at(on, 12),
    )  # fmt: skip
