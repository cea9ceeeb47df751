"""Slack over loopback: request-to-ack for `/log` with 10,000 citizens, and nudge delivery.

1. `/log` slash commands, signed as Slack signs them, into the real server (build_web_app on a
   free loopback port) with 10,000 citizens in the database: the time from sending the request
   to its HTTP 200 (the ack; Slack allows 3 s, the target is p99 < 300 ms), the time until the
   answer reaches the response_url, and how many `/log`s per second are sustained end to end.
2. 10,000 nudges through `SlackSender` to a fake Slack that enforces a rate limit with 429 +
   Retry-After: throughput, and how the 429s were honoured.

Run: `python -m bench.bench_slack` (or `python -m bench slack [--quick]`).
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bench.common import Database, each_database, sqlite_database
from bot.core import Inbound, Platform, Recipient, Reply
from bot.platforms.slack_sender import SlackSender
from kernel.clock import FixedClock
from kernel.fold import fold
from store.directory import bump_directory
from store.models import Citizen
from tests.support_slack import TEAM, Call, SlackServer, signed_headers

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
FIRST = ["Mette", "Søren", "Anne", "Jens", "Lone", "Peter", "Maria", "Ali", "Sara", "Niels"]
LAST = ["Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Larsen", "Holm", "Berg"]
TARGET_P99_MS = 300.0


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `samples`, in milliseconds."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1] * 1000


def seed(server: SlackServer, citizens: int) -> None:
    """U1 as staff (through the core), then `citizens` citizens owned by U1."""
    server.rampe.handle(Inbound(Platform.SLACK, "U1", "/hjælp", TEAM, "Anna Berg"))
    now = server.rampe.clock()
    names = [f"{FIRST[i % 10]} {LAST[i // 10 % len(LAST)]} {i}" for i in range(citizens + 1)]
    rows = [
        {
            "handle": f"B-{i}",
            "full_name": names[i],
            "name_folded": fold(names[i]),
            "owner_id": 1,
            "status": "active",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, citizens + 1)
    ]
    with server.rampe.unit_of_work() as session:
        session.execute(insert(Citizen), rows)
        bump_directory(session)


def slash_log(server: SlackServer, handle: str) -> float:
    """Send one signed `/log` and return the seconds until its ack."""
    fields = {
        "team_id": TEAM,
        "channel_id": "C1",
        "user_id": "U1",
        "command": "/log",
        "text": f"{handle} tlf i dag 20m aftalte næste møde",
        "response_url": server.response_url(),
        "trigger_id": "t",
    }
    body = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
    request = urllib.request.Request(server.url, data=body, headers=headers, method="POST")
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def bench_ack(citizens: int, requests: int, concurrency: int) -> None:
    """Request-to-ack and end-to-end figures for `/log`, on SQLite and PostgreSQL."""
    for db in each_database():
        bench_ack_on(db, citizens, requests, concurrency)


def bench_ack_on(db: Database, citizens: int, requests: int, concurrency: int) -> None:
    """`bench_ack` on one database."""
    server = SlackServer(db.url, db.engine, FixedClock(NOW))
    try:
        seed(server, citizens)
        for i in range(5):  # warm up: name index, bolt's auth.test, connections
            slash_log(server, f"B-{i + 1}")
        server.fake.wait("respond", 5)
        acks, replies = [], []
        for i in range(requests):
            before = len(server.fake.of("respond"))
            started = time.perf_counter()
            acks.append(slash_log(server, f"B-{i % citizens + 1}"))
            server.fake.wait("respond", before + 1)
            replies.append(time.perf_counter() - started)
        sustained, ack_rate = _sustained(server, citizens, requests, concurrency)
    finally:
        server.close()
    p99 = percentile(acks, 99)
    print(f"\n/log over loopback, {db.name}, {citizens:,} citizens, {requests} sequential requests")
    print(
        f"  ack      p50 {percentile(acks, 50):7.2f} ms   p99 {p99:7.2f} ms   "
        f"target p99 < {TARGET_P99_MS:g} ms: {'PASS' if p99 < TARGET_P99_MS else 'FAIL'}"
        f"   ({TARGET_P99_MS * 10 / p99:,.0f}x under Slack's 3 s)"
    )
    print(
        f"  answer   p50 {percentile(replies, 50):7.2f} ms   p99 {percentile(replies, 99):7.2f} ms"
        "   (request sent -> ephemeral answer at the response_url)"
    )
    print(
        f"  sustained with {concurrency} concurrent senders: {sustained:,.1f} /log per second "
        f"answered end to end; acks alone {ack_rate:,.1f} per second"
    )


def _sustained(
    server: SlackServer, citizens: int, requests: int, concurrency: int
) -> tuple[float, float]:
    """(/log answered per second, acks per second) with `concurrency` senders at once."""
    before = len(server.fake.of("respond"))
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda i: slash_log(server, f"B-{i % citizens + 1}"), range(requests)))
    acked = time.perf_counter() - start
    server.fake.wait("respond", before + requests, timeout=300)
    answered = time.perf_counter() - start
    return requests / answered, requests / acked


def bench_nudges(nudges: int, channels: int, per_second: int) -> None:
    """`nudges` DMs to `channels` people through SlackSender against a rate-limited fake."""
    with sqlite_database() as db:
        server = SlackServer(db.url, db.engine, FixedClock(NOW), SLACK_POST_INTERVAL=1.0)
        try:
            server.fake.channel_interval = 1.0
            server.fake.per_second = per_second
            sender = SlackSender(server.rampe)
            start = time.perf_counter()
            failed = server.run(_deliver(sender, nudges, channels, per_second), timeout=600)
            elapsed = time.perf_counter() - start
            accepted = server.fake.of("chat.postMessage")
            limited = server.fake.of("chat.postMessage", status=429)
        finally:
            server.close()
    busiest = _busiest_second(accepted)
    waits = sender.retry.waits
    print(
        f"\n{nudges:,} nudges to {channels:,} DMs via SlackSender, fake limit {per_second}/s "
        "overall and 1/s per channel"
    )
    print(
        f"  delivered {len(accepted):,} in {elapsed:,.1f} s = {len(accepted) / elapsed:,.1f}/s "
        f"({len(accepted) / elapsed / per_second:.0%} of the limit); failed {failed}"
    )
    print(
        f"  429s answered {len(limited):,}; retried {len(waits):,} times, each after Retry-After "
        f"({min(waits, default=0):g}-{max(waits, default=0):g} s)"
    )
    print(
        f"  busiest second at the fake: {busiest} accepted (limit {per_second}); "
        f"per-channel spacing min {_min_spacing(accepted):.2f} s (pacer 1.0 s)"
    )


async def _deliver(sender: SlackSender, nudges: int, channels: int, concurrency: int) -> int:
    gate = asyncio.Semaphore(concurrency)
    failed = 0

    async def one(i: int) -> None:
        nonlocal failed
        user = f"U{i % channels:05d}"
        to = Recipient(i, Platform.SLACK, user, TEAM, {"channel": "D" + user})
        async with gate:
            try:
                await sender.send(to, Reply(f"Husk opfølgning {i}"))
            except Exception:
                failed += 1

    await asyncio.gather(*(one(i) for i in range(nudges)))
    await sender.close()
    return failed


def _busiest_second(calls: list[Call]) -> int:
    if not calls:
        return 0
    times = sorted(c.at for c in calls)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _min_spacing(calls: list[Call]) -> float:
    by_channel: dict[str, list[float]] = {}
    for c in calls:
        by_channel.setdefault(c.args["channel"], []).append(c.at)
    gaps = [b - a for ts in by_channel.values() for a, b in itertools.pairwise(ts)]
    return min(gaps, default=0.0)


def run(quick: bool = False) -> None:
    """Print the figures; `quick` uses small sizes."""
    if quick:
        bench_ack(citizens=10_000, requests=50, concurrency=4)
        bench_nudges(nudges=400, channels=100, per_second=100)
    else:
        bench_ack(citizens=10_000, requests=500, concurrency=8)
        bench_nudges(nudges=10_000, channels=2_000, per_second=250)


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
