"""Several scheduler processes on one PostgreSQL database, and a worker killed mid-send."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import Rampe
from kernel.clock import FixedClock
from store.db import make_engine
from store.models import Delivery, FollowUp
from tests.conftest import empty_database, make_settings
from tests.support_followups import cph, items_per_message, outbox, seed_caseloads

ROOT = Path(__file__).resolve().parent.parent
MONDAY = date(2026, 11, 30)
DAYS = 5
STAFF = 12


@pytest.fixture
def pg_app(pg_database: str) -> Iterator[Rampe]:
    engine = make_engine(pg_database)
    empty_database(engine)
    app = Rampe(make_settings(pg_database), engine=engine, clock=FixedClock(cph(2026, 11, 23)))
    seed_caseloads(app, STAFF, 3, MONDAY, DAYS)
    yield app
    engine.dispose()


def worker(url: str, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.followup_worker", url, MONDAY.isoformat(), str(DAYS)]
    return subprocess.Popen(
        [*command, *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def sent_count(process: subprocess.Popen[str]) -> int:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-2000:]
    return int(out.split("SENT ")[-1])


def assert_every_nudge_once(app: Rampe) -> None:
    """Every item that came due was sent, and appears in exactly one message."""
    end = cph(2026, 12, 4, 12)
    with app.unit_of_work() as session:
        rows = list(session.scalars(select(FollowUp).where(FollowUp.due_at <= end)))
        states = set(session.scalars(select(Delivery.state)))
    assert rows and {f.state for f in rows} == {"sent"}, {f.state for f in rows}
    per_item = items_per_message(app)
    assert set(per_item) == {f.id for f in rows}
    assert set(per_item.values()) == {1}
    assert states == {"sent"}
    working_days = 5
    assert len(outbox(app)) == STAFF * working_days


@pytest.mark.slow
def test_two_scheduler_processes_deliver_every_nudge_exactly_once(
    pg_app: Rampe, pg_database: str
) -> None:
    first, second = worker(pg_database), worker(pg_database)
    total = sent_count(first) + sent_count(second)
    assert total == len(outbox(pg_app))  # no send was even attempted twice
    assert_every_nudge_once(pg_app)


@pytest.mark.slow
def test_killed_mid_send_then_restarted_nothing_duplicated_nothing_lost(
    pg_app: Rampe, pg_database: str
) -> None:
    doomed = worker(pg_database, "--hang-after", "4")
    assert doomed.stdout is not None
    assert doomed.stdout.readline().strip() == "HANG"
    doomed.kill()  # SIGKILL: no cleanup of any kind
    doomed.wait(timeout=60)
    with pg_app.unit_of_work() as session:
        stuck = list(session.scalars(select(Delivery).where(Delivery.state == "sending")))
    assert len(stuck) == 1  # its message is in the outbox, but it was never marked sent
    before = len(outbox(pg_app))
    assert 0 < before < STAFF * DAYS
    restarted = worker(pg_database)
    sent_count(restarted)
    assert_every_nudge_once(pg_app)
    with pg_app.unit_of_work() as session:
        assert session.get(Delivery, stuck[0].id).state == "sent"  # type: ignore[union-attr]
