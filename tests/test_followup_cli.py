"""`rampe due --at` previews without keeping anything; `rampe scheduler --once --at` delivers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.app import Rampe
from bot.cli import main
from store.models import Delivery, FollowUp
from tests.conftest import Chat
from tests.support_followups import outbox


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
    assert counts(app) == before and outbox(app) == []  # nothing was kept
    table = runner.invoke(main, ["due", "--at", "2026-11-24T08:30", "--as", "anna"])
    assert "Mette Hansen (BBB-0001)" in table.output and "custom" in table.output
    early = runner.invoke(main, ["due", "--at", "2026-11-24T08:00", "--format", "json"])
    assert json.loads(early.output) == []
    ran = runner.invoke(main, ["scheduler", "--once", "--at", "2026-11-24T08:30"])
    assert ran.exit_code == 0 and "1 sent (3 items)" in ran.output, ran.output
    assert len(outbox(app)) == 1
    again = runner.invoke(main, ["scheduler", "--once", "--at", "2026-11-24T09:30"])
    assert "0 sent" in again.output and len(outbox(app)) == 1
