"""Helpers for the follow-up tests: moments in Copenhagen, sweeps at a moment, the outbox."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.app import Rampe
from bot.core import Platform, Recipient, Reply, Sender
from bot.scheduler.runner import SweepReport, default_senders, sweep
from kernel.clock import FixedClock
from store.models import FollowUp, OutboxMessage
from tests.conftest import CPH


def cph(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """A moment on the wall clock in Copenhagen."""
    return datetime(y, m, d, hh, mm, tzinfo=CPH)


def sweep_at(
    app: Rampe, clock: FixedClock, when: datetime, senders: dict[Platform, Sender] | None = None
) -> SweepReport:
    """Move the clock to `when` and run one sweep there."""
    clock.set(when)
    return asyncio.run(sweep(app, senders or default_senders(app), when))


def outbox(app: Rampe) -> list[OutboxMessage]:
    """Every message the console outbox holds, oldest first."""
    with app.unit_of_work() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def follow_ups(app: Rampe) -> dict[str, FollowUp]:
    """Every follow-up row by key."""
    with app.unit_of_work() as session:
        return {f.key: f for f in session.scalars(select(FollowUp))}


def open_keys(app: Rampe, rule: str | None = None) -> set[str]:
    """Keys of open (due, snoozed, sent) follow-ups, optionally of one rule."""
    return {
        k
        for k, f in follow_ups(app).items()
        if f.state in ("due", "snoozed", "sent") and (rule is None or f.rule == rule)
    }


def first_id(app: Rampe, rule: str) -> int:
    """The id of the open follow-up of `rule` (there must be exactly one)."""
    rows = [f for f in follow_ups(app).values() if f.rule == rule and f.state in ("due", "sent")]
    assert len(rows) == 1, [f.key for f in rows]
    return rows[0].id


class FailingSender:
    """A console sender that refuses while `failing` is True (a platform outage)."""

    platform = Platform.CONSOLE

    def __init__(self, inner: Sender) -> None:
        self.inner = inner
        self.failing = True
        self.calls = 0

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        self.calls += 1
        if self.failing:
            raise ConnectionError("platform unreachable")
        await self.inner.send(recipient, reply)


def day(value: str) -> date:
    return date.fromisoformat(value)


def seed_caseloads(app: Rampe, staff: int, citizens: int, first: date, days: int) -> None:
    """`staff` console users, each with started citizens and a reminder on each of `days`."""
    from store.course import register, start
    from store.followup_items import add_custom
    from store.handles import handle_draw
    from store.staff import get_or_create_staff

    now = datetime(first.year, first.month, first.day, 7, tzinfo=CPH) - timedelta(days=7)
    with app.unit_of_work() as session:
        for s in range(staff):
            name = f"worker{s:02d}"
            person, _ = get_or_create_staff(
                session, platform="console", workspace="", external_id=name,
                display_name=name, language="da", now=now, name_folded=name,
            )  # fmt: skip
            for c in range(citizens):
                citizen = register(
                    session, full_name=f"Borger {s} {c}", name_folded=f"borger {s} {c}",
                    owner=person, municipality=None, referred_on=first - timedelta(days=40),
                    by=person, now=now, draw=handle_draw("sequential", session),
                )  # fmt: skip
                start(session, citizen, first - timedelta(days=20 + c * 3), person, now)
            for d in range(days):
                due = datetime(first.year, first.month, first.day, 8, 30, tzinfo=CPH)
                add_custom(
                    session, staff_id=person.id, citizen_id=None, company_id=None,
                    due_at=due + timedelta(days=d), note=f"note {s}/{d}", now=now,
                )  # fmt: skip


def items_per_message(app: Rampe) -> dict[int, int]:
    """How many outbox messages mention each follow-up id (`#42 ...`)."""
    import re

    counts: dict[int, int] = {}
    for message in outbox(app):
        for found in set(re.findall(r"^\s*#(\d+) ", message.body, re.MULTILINE)):
            counts[int(found)] = counts.get(int(found), 0) + 1
    return counts
