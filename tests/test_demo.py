"""`rampe demo`: a believable fictional programme, stored as the commands would store it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.app import Rampe
from bot.cli import main
from bot.demo import DemoRefused
from bot.demo_plan import plan_programme
from bot.parsing.safety import looks_like_cpr
from kernel.vocabulary import (
    CitizenStatus,
    ContactForm,
    JobKind,
    Outcome,
    PlacementEnd,
    PlacementStatus,
    Role,
)
from store.models import (
    Citizen,
    CitizenEvent,
    Company,
    Contact,
    Job,
    Measurement,
    Placement,
    PlacementChange,
    Staff,
    Team,
)
from tests.conftest import DEFAULT_NOW, Chat
from tests.support_demo import fill


def _count(session: Session, where: Any) -> int:
    return int(session.scalar(select(func.count()).where(where)) or 0)


def _stages(session: Session) -> Counter[str]:
    """Each citizen in one stage: referred, active, praktik, job, paused, ended."""
    in_praktik = set(
        session.scalars(
            select(Placement.citizen_id).where(Placement.status == PlacementStatus.ACTIVE)
        )
    )
    in_job = set(session.scalars(select(Job.citizen_id).where(Job.ended_on.is_(None))))
    stages: Counter[str] = Counter()
    for cid, status in session.execute(select(Citizen.id, Citizen.status)):
        if status == CitizenStatus.ACTIVE and cid in in_job:
            stages["job"] += 1
        elif status == CitizenStatus.ACTIVE and cid in in_praktik:
            stages["praktik"] += 1
        else:
            stages[status] += 1
    return stages


def test_demo_fills_a_programme_that_the_commands_then_work_on(app: Rampe, chat: Chat) -> None:
    """One fill per database (it takes a while), checked from three sides."""
    summary, progress = fill(app)
    assert "80" in summary and progress
    with app.unit_of_work() as s:
        _check_course_stages(s)
        _check_people_and_places(s)
    _check_commands(chat, summary)


def _check_course_stages(s: Session) -> None:
    today = DEFAULT_NOW.date()
    stages = _stages(s)
    assert sum(stages.values()) == 80
    for stage, at_least in {"referred": 5, "active": 8, "praktik": 8, "job": 8,
                            "paused": 4, "ended": 15}.items():  # fmt: skip
        assert stages[stage] >= at_least, stages
    assert set(s.scalars(select(Citizen.outcome).where(Citizen.outcome.is_not(None)))) == set(
        Outcome
    )
    assert set(s.scalars(select(Job.kind))) == set(JobKind)
    assert {"hours", "extend"} <= set(s.scalars(select(PlacementChange.kind)))
    assert PlacementEnd.JOB in set(s.scalars(select(Placement.end_reason)))
    assert _count(s, CitizenEvent.kind == "handed_over") >= 1
    days = list(s.scalars(select(Contact.occurred_on)))
    assert len(days) >= 800 and max(days) <= today
    assert min(days) <= today - timedelta(days=300) and max(days) >= today - timedelta(days=7)
    assert len({(d.year, d.month) for d in days}) >= 12
    assert set(s.scalars(select(Contact.form))) == set(ContactForm)
    assert _count(s, Contact.citizen_id.is_(None)) >= 20
    for phase in ("start", "end"):
        assert _count(s, Measurement.phase == phase) >= 15
    for m in s.scalars(select(Measurement)):
        assert m.items is not None and m.score == 4 * sum(m.items) and 0 <= m.score <= 100


def _check_people_and_places(s: Session) -> None:
    staff = list(s.scalars(select(Staff)))
    assert len(staff) == 6
    assert [p.role for p in staff].count(Role.LEAD) == 1
    assert {t.name for t in s.scalars(select(Team))} == {"Team Silkeborg", "Team Norddjurs"}
    assert set(s.scalars(select(Citizen.municipality))) == {"Silkeborg", "Norddjurs"}
    anna = next(p for p in staff if p.display_name == "anna")
    assert _count(s, Citizen.owner_id == anna.id) >= 8
    companies = list(s.scalars(select(Company)))
    assert len(companies) >= 25 and all(c.contact_name and c.contact_phone for c in companies)
    texts = [c.full_name for c in s.scalars(select(Citizen))]
    texts += [n for n in s.scalars(select(Contact.note)) if n]
    texts += [c.contact_phone or "" for c in companies]
    assert not any(looks_like_cpr(text) for text in texts)
    assert len(set(texts[:80])) == 80  # no two citizens share a name


def _check_commands(chat: Chat, summary: str) -> None:
    reply = chat("/caseload", user="anna")
    assert reply.startswith("Dine aktive borgere (")
    assert len(re.findall(r"\([A-ZÆØÅ]{1,3}-\d{4}\)", reply)) >= 5
    name = re.search(r"/borger (\w+)", summary)
    assert name is not None
    card = chat(f"/borger {name.group(1)}", user="anna")
    assert re.search(r"\([A-ZÆØÅ]{1,3}-\d{4}\)", card) and "Hvilken" not in card
    assert "Logget" in chat(f"/log {name.group(1)} tlf i går 15m", user="anna")


def test_demo_refuses_a_database_with_citizens(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen")
    with pytest.raises(DemoRefused) as refused:
        fill(app)
    message = refused.value.message
    assert "RAMPE_DATABASE_URL" in message and "allerede" in message and "already" in message
    with app.unit_of_work() as s:
        assert s.scalar(select(func.count(Citizen.id))) == 1


def test_cli_demo_refuses_with_a_clear_message(
    db_url: str, chat: Chat, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    chat("/borger ny Mette Hansen")
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # no developer .env
    result = CliRunner().invoke(main, ["demo", "--as", "anna"], env={"RAMPE_DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert "RAMPE_DATABASE_URL=sqlite:///demo.db rampe demo" in result.output


def test_plan_is_deterministic_for_a_seed_and_never_in_the_future() -> None:
    today = DEFAULT_NOW.date()
    plan = plan_programme(7, today)
    assert plan == plan_programme(7, today)
    assert [p.name for p in plan] != [p.name for p in plan_programme(8, today)]
    for p in plan:
        events = [p.referred, p.started, *(c.on for c in p.contacts)]
        events += [p.end[0]] if p.end else []
        assert all(day is None or day <= today for day in events), p.name
        assert p.started is None or p.referred <= p.started
