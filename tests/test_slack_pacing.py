"""The Slack sender keeps below the limits the fake Slack enforces, and still honours a 429."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from bot.core import Platform, Recipient, Reply
from bot.platforms.slack_sender import SlackSender
from kernel.clock import FixedClock
from tests.support_slack import TEAM, SlackServer

INTERVAL = 0.3  # the sender's spacing per channel
LIMIT = 0.15  # the fake's: half of it, so a loaded machine's jitter is no 429


async def burst(sender: SlackSender, channels: int, each: int) -> None:
    async def one(i: int) -> None:
        user = f"U{i % channels}"
        await sender.send(Recipient(1, Platform.SLACK, user, TEAM, {"channel": "D" + user}),
                          Reply(f"nudge {i}"))  # fmt: skip

    await asyncio.gather(*(one(i) for i in range(channels * each)))
    await sender.close()


def test_a_burst_of_nudges_meets_no_rate_limit(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    server = SlackServer(
        db_url, engine, clock, SLACK_POST_INTERVAL=INTERVAL, SLACK_POST_PER_MINUTE=60 * 40
    )
    try:
        server.fake.channel_interval = LIMIT
        server.fake.per_second = 50
        sender = SlackSender(server.rampe)
        asyncio.run(burst(sender, channels=5, each=4))
        assert len(server.fake.of("chat.postMessage")) == 20
        assert server.fake.of("chat.postMessage", status=429) == []
        server.fake.fail_next("chat.postMessage", "1")  # Slack still says no once
        again = SlackSender(server.rampe)
        asyncio.run(burst(again, channels=1, each=1))
        assert again.retry.waits == [1.0] and len(server.fake.of("chat.postMessage")) == 21
    finally:
        server.close()
