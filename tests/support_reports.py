"""Building programmes with hand-computed figures for the report tests (real domain calls)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.app import Rampe
from kernel.clock import FixedClock
from kernel.settings import Settings
from kernel.vocabulary import Role
from store import course
from store.companies import create_company
from store.contacts import add_contact
from store.handles import handle_draw
from store.models import Citizen, Company, Staff
from store.staff import ensure_team, get_or_create_staff
from tests.conftest import DEFAULT_NOW, make_settings

NOW: datetime = DEFAULT_NOW  # Monday 23 November 2026


def staff(
    session: Session, name: str, role: Role = Role.CONTACT, team: str | None = None,
    shares: bool = False,
) -> Staff:  # fmt: skip
    """A colleague known in the local chat as `name` (so `chat(..., user=name)` is them)."""
    person, _ = get_or_create_staff(
        session, platform="console", workspace="", external_id=name,
        display_name=name.title(), language="da", now=NOW, name_folded=name,
    )  # fmt: skip
    person.role = role
    if team is not None:
        person.team_id = ensure_team(session, team, NOW, shares=shares).id
    session.flush()
    return person


def citizen(
    session: Session,
    owner: Staff,
    name: str,
    referred: date,
    started: date | None = None,
    municipality: str | None = None,
) -> Citizen:
    """A referred citizen, started if `started` is given."""
    folded = name.casefold()
    person = course.register(
        session, full_name=name, name_folded=folded, owner=owner, municipality=municipality,
        referred_on=referred, by=owner, now=NOW, draw=handle_draw("sequential", session),
    )  # fmt: skip
    if started is not None:
        course.start(session, person, started, owner, NOW)
    return person


def ended(session: Session, person: Citizen, outcome: str, on: date) -> Citizen:
    """End the course with `outcome` on `on` (its open praktik and job end with it)."""
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.close(session, person, outcome, on, owner, NOW, NOW.date())
    return person


def company(session: Session, owner: Staff, name: str = "Bilka") -> Company:
    return create_company(
        session, name=name, name_folded=name.casefold(), contact_name=None, contact_phone=None,
        owner=owner, now=NOW,
    )  # fmt: skip


def job(
    session: Session, person: Citizen, where: Company, kind: str, start: date,
    end: date | None = None,
) -> None:  # fmt: skip
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.start_job(
        session, citizen=person, company=where, kind=kind, hours_per_week=10.0,
        start_on=start, by=owner, now=NOW,
    )  # fmt: skip
    if end is not None:
        course.end_job(session, person, None, end)


def placement(
    session: Session, person: Citizen, where: Company, start: date, end: date | None = None,
    reason: str = "ended",
) -> None:  # fmt: skip
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.start_praktik(
        session, citizen=person, company=where, start_on=start, planned_end_on=None,
        hours_per_week=10.0, by=owner, now=NOW,
    )  # fmt: skip
    if end is not None:
        course.end_praktik(session, person, reason, None, end)


def contact(
    session: Session, by: Staff, person: Citizen | None, form: str, on: date,
    minutes: int | None = None, where: Company | None = None, note: str | None = None,
) -> None:  # fmt: skip
    add_contact(
        session, staff=by, form=form, occurred_on=on, minutes=minutes, note=note,
        citizen=person, company=where, platform="console", now=NOW,
    )  # fmt: skip


def who5(session: Session, person: Citizen, phase: str, score: int, on: date) -> None:
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.measure(
        session, citizen=person, score=score, items=None, phase=phase, on=on, by=owner, now=NOW
    )


def pause(session: Session, person: Citizen, on: date) -> None:
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.pause(session, person, on, None, None, owner, NOW)


def give(session: Session, person: Citizen, to: Staff, on: date) -> None:
    owner = session.get(Staff, person.owner_id)
    assert owner is not None
    course.hand_over(session, person, to, on, owner, NOW)


def app_with(app: Rampe, **settings: object) -> Rampe:
    """The same database and clock under other settings (by their environment names)."""
    values: Settings = make_settings(app.settings.database_url, **settings)
    clock = app.clock
    assert isinstance(clock, FixedClock)
    return Rampe(values, engine=app.engine, clock=clock, upgrade=False)
