"""The delivery promise, tested at the worst moment: a real scheduler process is SIGKILLed after
the fake Slack accepted its post but before the database marked it sent.

The resumed sweep finds the delivery key in the message metadata of the DM's history and marks
the delivery sent without posting again; a post that never reached Slack is posted once.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.core import Platform
from bot.platforms.slack_sender import SlackSender
from bot.scheduler.runner import sweep
from store.followup_items import add_custom
from store.models import Delivery, FollowUp
from store.staff import get_or_create_staff, set_address
from tests.support_followups import cph
from tests.support_slack import TEAM, SlackServer, delivery_key, reply_text, slack

__all__ = ["slack"]

ROOT = Path(__file__).resolve().parent.parent
WHEN = cph(2026, 11, 24, 8, 30)
KEY = "digest:1:2026-11-24"


def seed(server: SlackServer) -> None:
    """Anna on Slack (her DM known) with one reminder due on the morning of 24/11."""
    now = WHEN - timedelta(days=2)
    with server.rampe.unit_of_work() as session:
        anna, _ = get_or_create_staff(
            session, platform="slack", workspace=TEAM, external_id="U1", display_name="Anna",
            language="da", now=now, name_folded="anna",
        )  # fmt: skip
        set_address(session, anna, Platform.SLACK, {"channel": "DU1"})
        add_custom(
            session, staff_id=anna.id, citizen_id=None, company_id=None, due_at=WHEN,
            note="ring til jobcentret", now=now,
        )  # fmt: skip


def kill_mid_send(server: SlackServer, db_url: str, accepted: bool) -> None:
    """Start a scheduler process, let Slack accept its post (or not), and SIGKILL it there."""
    fake = server.fake
    gate = fake.hold_after("chat.postMessage") if accepted else fake.lose_next("chat.postMessage")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.slack_delivery_worker", db_url, fake.url + "/api/",
         WHEN.isoformat()],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        if accepted:
            fake.wait("chat.postMessage", timeout=60)
        else:
            fake.wait("chat.postMessage:lost", status=503, timeout=60)
        process.kill()  # SIGKILL: no cleanup, no mark, nothing
        process.wait(timeout=30)
    finally:
        gate.set()
    assert process.returncode == -9


def resume(server: SlackServer, after: timedelta) -> None:
    """Another scheduler process's sweep, once the dead one's claim has expired."""
    server.rampe.clock.set(WHEN + after)  # type: ignore[attr-defined]
    sender = SlackSender(server.rampe)
    asyncio.run(sweep(server.rampe, {Platform.SLACK: sender}, WHEN + after))


def state(server: SlackServer) -> tuple[str | None, set[str]]:
    with server.rampe.unit_of_work() as session:
        delivery = session.scalar(select(Delivery.state).where(Delivery.key == KEY))
        items = set(session.scalars(select(FollowUp.state).where(FollowUp.rule == "custom")))
    return delivery, items


def posts_with_key(server: SlackServer) -> int:
    return sum(1 for call in server.fake.of("chat.postMessage") if delivery_key(call) == KEY)


def test_killed_after_slack_accepted_the_post_it_is_never_posted_again(
    slack: SlackServer, db_url: str
) -> None:
    seed(slack)
    kill_mid_send(slack, db_url, accepted=True)
    assert posts_with_key(slack) == 1
    assert state(slack) == ("sending", {"sending"})  # Slack has it; the database does not know
    resume(slack, timedelta(minutes=2))  # within the lease: the claim is still the dead one's
    assert state(slack) == ("sending", {"sending"}) and not slack.fake.of("conversations.history")
    resume(slack, timedelta(minutes=10))
    assert slack.fake.of("conversations.history")  # it looked before sending again
    assert posts_with_key(slack) == 1
    assert state(slack) == ("sent", {"sent"})


def test_killed_before_slack_had_the_post_it_is_posted_once_on_resume(
    slack: SlackServer, db_url: str
) -> None:
    seed(slack)
    kill_mid_send(slack, db_url, accepted=False)
    assert posts_with_key(slack) == 0
    resume(slack, timedelta(minutes=10))
    assert posts_with_key(slack) == 1
    assert state(slack) == ("sent", {"sent"})
    assert "ring til jobcentret" in reply_text(slack.fake.of("chat.postMessage")[0])
