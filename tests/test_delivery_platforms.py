"""Nudges reach people where they work: the scheduler's sweep through the Slack sender."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from bot.core import Platform
from bot.platforms.server import platform_senders
from bot.scheduler.runner import sweep
from kernel.clock import FixedClock
from tests.support_followups import cph
from tests.support_slack import SlackServer, slack, slack_say  # noqa: F401


def test_a_morning_digest_reaches_the_slack_dm_once(slack: SlackServer) -> None:  # noqa: F811
    slack_say(slack, "U1", "/borger ny Søren Jensen henvist:2/11")  # not started: a nudge
    senders = platform_senders(slack.rampe)
    assert set(senders) == {Platform.CONSOLE, Platform.SLACK}
    before = len(slack.fake.calls)
    when = cph(2026, 11, 24, 8, 30)
    asyncio.run(sweep(slack.rampe, senders, when))
    asyncio.run(sweep(slack.rampe, platform_senders(slack.rampe), when))  # a second worker
    posts = [
        c
        for c in slack.fake.calls[before:]
        if c.method == "chat.postMessage" and c.args.get("channel") == "DU1"
    ]
    assert len(posts) == 1
    text = str(posts[0].args.get("text")) + str(posts[0].args.get("blocks"))
    assert "BBB-0001" in text


def test_the_weekly_status_goes_to_the_configured_channel_once(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    server = SlackServer(db_url, engine, clock, SLACK_STATUS_CHANNEL="C0STATUS")
    try:
        slack_say(server, "U1", "/borger ny Søren Jensen henvist:2/11")  # U1 is the admin
        monday = cph(2026, 11, 30, 8, 5)  # the weekly moment: Monday 08:00
        asyncio.run(sweep(server.rampe, platform_senders(server.rampe), monday))
        asyncio.run(sweep(server.rampe, platform_senders(server.rampe), monday))
        posts = [
            c
            for c in server.fake.calls
            if c.method == "chat.postMessage" and c.args.get("channel") == "C0STATUS"
        ]
        assert len(posts) == 1
        text = str(posts[0].args.get("text")) + str(posts[0].args.get("blocks"))
        assert "Status for alle borgere, uge 48 2026" in text
        assert "Søren" not in text and "BBB-0001" not in text  # aggregates only in a channel
    finally:
        server.close()
