"""`rampe due --at` previews without keeping anything; `rampe scheduler --once --at` delivers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.app import Rampe
from bot.cli import main
from kernel.clock import FixedClock
from kernel.vocabulary import Role
from store.models import Delivery, FollowUp, Staff
from store.staff import ensure_team
from tests.conftest import Chat
from tests.support_followups import cph, outbox, sweep_at


def counts(app: Rampe) -> tuple[int, int]:
    with app.unit_of_work() as session:
        return (
            int(session.scalar(select(func.count(FollowUp.id))) or 0),
            int(session.scalar(select(func.count(Delivery.id))) or 0),
        )


def test_due_previews_and_scheduler_delivers(
    chat: Chat, app: Rampe, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAMPE_DATABASE_URL", db_url)
    chat("/borger ny Mette Hansen henvist:1/10")
    chat("/borger mette start 2/11")
    chat("/påmind mette 24/11 ring til jobcentret")
    before = counts(app)
    runner = CliRunner()
    shown = runner.invoke(main, ["due", "--at", "2026-11-24T08:30", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    (message,) = json.loads(shown.output)
    assert message["key"] == "digest:1:2026-11-24" and message["to"] == "Anna"
    assert {i["rule"] for i in message["items"]} == {"custom", "gap", "who5_start"}
    assert message["items"][-1]["rule"] == "gap"  # inactivity comes last
    assert message["text"].startswith("Godmorgen. Du har 3 opfølgninger i dag.")
    assert counts(app) == before and outbox(app) == []  # nothing was kept
    table = runner.invoke(main, ["due", "--at", "2026-11-24T08:30", "--as", "anna"])
    assert "Påmindelse: Mette Hansen (BBB-0001)" in table.output
    assert "Ingen kontakt for længe: Mette Hansen (BBB-0001)" in table.output
    assert "custom" not in table.output and "who5_start" not in table.output
    early = runner.invoke(main, ["due", "--at", "2026-11-24T08:00", "--format", "json"])
    assert json.loads(early.output) == []
    ran = runner.invoke(main, ["scheduler", "--once", "--at", "2026-11-24T08:30"])
    assert ran.exit_code == 0 and "1 sent (3 items)" in ran.output, ran.output
    assert len(outbox(app)) == 1
    again = runner.invoke(main, ["scheduler", "--once", "--at", "2026-11-24T09:30"])
    assert "0 sent" in again.output and len(outbox(app)) == 1


def test_the_lead_digest_preview_is_what_the_real_run_sends(
    chat: Chat, app: Rampe, clock: FixedClock, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAMPE_DATABASE_URL", db_url)
    chat("/caseload", user="lene")
    chat("/borger ny Mette Hansen henvist:1/10")
    chat("/borger mette start 2/11")  # gap overdue since 9/11, WHO-5 since 16/11
    chat("/påmind mette 26/11 ring til jobcentret")
    with app.unit_of_work() as session:
        team = ensure_team(session, "Nord", clock())
        session.flush()
        for staff in session.scalars(select(Staff)):
            staff.team_id = team.id
            staff.role = Role.LEAD if staff.display_name == "Lene" else staff.role
    runner = CliRunner()
    shown = runner.invoke(main, ["due", "--at", "2026-11-30T08:00", "--format", "json"])
    (weekly,) = [m for m in json.loads(shown.output) if m["kind"] == "weekly"]
    assert weekly["to"] == "Lene" and weekly["key"] == "weekly:1:2026-W49"
    assert {i["rule"] for i in weekly["items"]} == {"gap", "who5_start"}  # over 7 days late
    assert "Anna: 3" in weekly["text"] and "Ingen kontakt for længe" in weekly["text"]
    table = runner.invoke(main, ["due", "--at", "2026-11-30T08:00", "--as", "lene"])
    assert "Ingen kontakt for længe: Mette Hansen (BBB-0001)" in table.output
    sweep_at(app, clock, cph(2026, 11, 30, 8, 0))
    (sent,) = [m.body for m in outbox(app) if m.external_id == "lene"]
    assert sent == weekly["text"]
