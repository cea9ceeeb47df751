"""Property: for any sequence of recorded facts, the stored open follow-ups are exactly what the
rules compute from scratch, and `/opfølgning`, the morning digest and `rampe due` agree.

A hypothesis state machine records facts through the chat (each command reconciled by the
dispatcher, nothing else), lets time pass (the scheduler's sweep reconciles), and checks both
after every step, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply
from bot.scheduler.due import compute_wanted, refresh, work_calendar
from bot.scheduler.preview import preview
from kernel.clock import FixedClock
from store.db import make_engine
from store.followups import CUSTOM, OPEN
from store.models import FollowUp
from tests.conftest import DEFAULT_NOW, empty_database, make_settings

NAMES = ("Mette Hansen", "Søren Jensen", "Anne Nielsen")
HANDLES = ("BBB-0001", "BBB-0002", "BBB-0003")
ITEM = re.compile(r"^\s*#(\d+) ", re.MULTILINE)
citizen = st.integers(0, len(NAMES) - 1)
days_ago = st.integers(0, 20)


def make_machine(new_app: Callable[[], Rampe]) -> type[RuleBasedStateMachine]:
    """The state machine class, over a fresh database per example from `new_app`."""

    class FollowUps(RuleBasedStateMachine):
        app: Rampe
        clock: FixedClock

        @initialize()
        def setup(self) -> None:
            self.app = new_app()
            self.clock = self.app.clock  # type: ignore[assignment]
            self.created = 0
            self.say("/virksomhed ny Bilka Tilst")

        def say(self, text: str) -> Reply:
            return self.app.handle(Inbound(Platform.CONSOLE, "anna", text, "", "Anna"))

        def who(self, i: int) -> str:
            return HANDLES[i]

        @rule()
        def new_citizen(self) -> None:
            if self.created < len(NAMES):
                self.say(f"/borger ny {NAMES[self.created]}")
                self.created += 1

        @rule(i=citizen, ago=days_ago)
        def start(self, i: int, ago: int) -> None:
            self.say(f"/borger {self.who(i)} start {self.day(ago)}")

        @rule(i=citizen, ago=days_ago, company=st.booleans())
        def log(self, i: int, ago: int, company: bool) -> None:
            at = " @bilka" if company else ""
            self.say(f"/log {self.who(i)}{at} tlf {self.day(ago)}")

        @rule(ago=days_ago)
        def log_company(self, ago: int) -> None:
            self.say(f"/log @bilka tlf {self.day(ago)}")

        @rule(i=citizen, ago=days_ago)
        def praktik(self, i: int, ago: int) -> None:
            self.say(f"/praktik {self.who(i)} start @bilka fra {self.day(ago)} 8 uger")

        @rule(i=citizen, ago=days_ago)
        def job(self, i: int, ago: int) -> None:
            self.say(f"/job {self.who(i)} start @bilka fleksjob fra {self.day(ago)}")

        @rule(i=citizen, weeks=st.integers(1, 4))
        def pause(self, i: int, weeks: int) -> None:
            self.say(f"/borger {self.who(i)} pause syg i {weeks} uger")

        @rule(i=citizen)
        def resume(self, i: int) -> None:
            self.say(f"/borger {self.who(i)} genoptag")

        @rule(i=citizen)
        def close(self, i: int) -> None:
            self.say(f"/afslut {self.who(i)} ledig")

        @rule(i=citizen)
        def measure(self, i: int) -> None:
            self.say(f"/måling {self.who(i)} who5 60 start")

        @rule()
        def undo(self) -> None:
            self.say("/fortryd")

        @rule(days=st.integers(1, 12))
        def time_passes(self, days: int) -> None:
            self.clock.advance(days=days)
            with self.app.unit_of_work() as session:  # what the scheduler's sweep does first
                refresh(session, self.app.settings, self.clock())

        def day(self, ago: int) -> str:
            d = (self.clock() - timedelta(days=ago)).astimezone(self.cal.tz).date()
            return f"{d.day}.{d.month}.{d.year}"

        @property
        def cal(self):  # type: ignore[no-untyped-def]
            return work_calendar(self.app.settings)

        @invariant()
        def stored_equals_computed_from_scratch(self) -> None:
            with self.app.unit_of_work() as session:
                stored = set(
                    session.scalars(
                        select(FollowUp.key).where(
                            FollowUp.state.in_(OPEN), FollowUp.rule != CUSTOM
                        )
                    )
                )
                wanted = {w.key for w in compute_wanted(session, self.app.settings, self.clock())}
            assert stored == wanted

        @invariant()
        def the_three_views_agree(self) -> None:
            now = self.clock()
            listing = self.say("/opfølgning")
            overdue = next((s for s in listing.sections if s.heading == "Forfaldne"), None)
            listed = {int(i) for i in ITEM.findall("\n".join(overdue.lines))} if overdue else set()
            with self.app.unit_of_work() as session:
                due = set(
                    session.scalars(
                        select(FollowUp.id).where(FollowUp.state.in_(OPEN), FollowUp.due_at <= now)
                    )
                )
            assert listed == due
            if self.cal.digest_due(now) is None:
                return
            shown = preview(self.app, now)
            digest = {i["id"] for m in shown if m["kind"] == "digest" for i in m["items"]}
            assert digest == due
            texts = [m["text"] for m in shown if m["kind"] == "digest"]
            assert {int(i) for t in texts for i in ITEM.findall(t)} == due

    return FollowUps


@pytest.fixture
def new_app(db_url: str, tmp_path: Path) -> Callable[[], Rampe]:
    """A fresh database (a copy of the migrated SQLite file, or a truncated PostgreSQL)."""

    def fresh() -> Rampe:
        url = db_url
        if db_url.startswith("sqlite"):
            path = tmp_path / f"{uuid.uuid4().hex}.db"
            shutil.copy(db_url.removeprefix("sqlite:///"), path)
            url = f"sqlite:///{path}"
        engine = make_engine(url)
        if not url.startswith("sqlite"):
            empty_database(engine)
        clock = FixedClock(DEFAULT_NOW)
        return Rampe(make_settings(url), engine=engine, clock=clock, upgrade=False)

    return fresh


def test_open_follow_ups_match_the_rules_and_every_view_agrees(
    new_app: Callable[[], Rampe],
) -> None:
    machine = make_machine(new_app)
    machine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=14,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine.TestCase().runTest()
