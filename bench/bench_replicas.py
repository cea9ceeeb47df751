"""Sustained `/log` throughput with three `rampe serve` replicas against one, on PostgreSQL.

Each configuration runs its replicas as processes of their own on one fresh PostgreSQL database
behind a loopback round-robin balancer, with a fake Slack that receives the answers. Signed
`/log` slash commands are sent `CONCURRENCY` at a time; a `/log` counts when its answer has
reached the response_url. The figure is `/log`s per second end to end, and the ratio of three
replicas to one. On a machine with few cores the replicas share them, so the ratio says as much
about the machine as about Rampe.

Run: `python -m bench replicas [--quick]`.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
import urllib.parse
from pathlib import Path

from aiohttp import ClientSession

from bench.common import PG_ADMIN_URL, note, postgres_database
from tests.support_replicas import Balancer, replicas
from tests.support_slack import SECRET, TEAM, FakeSlack, signed_headers
from tests.support_teams import Loop, _serve

CONCURRENCY = 16


def _slash(text: str, response_url: str, n: int) -> bytes:
    fields = {"token": "legacy", "team_id": TEAM, "team_domain": "bench", "channel_id": "C1",
              "channel_name": "general", "user_id": "U1", "user_name": "u1", "command": "/log",
              "text": text, "api_app_id": "A1", "response_url": response_url,
              "trigger_id": f"trigger-{n}"}  # fmt: skip
    return urllib.parse.urlencode(fields).encode()


async def _send_all(url: str, fake: FakeSlack, count: int) -> float:
    """Send `count` `/log`s, CONCURRENCY at a time; seconds until every answer has arrived."""
    numbers = itertools.count()
    started = time.perf_counter()

    async def worker(client: ClientSession) -> None:
        while (n := next(numbers)) < count:
            body = _slash("mette tlf 20m", f"{fake.url}/respond/{n}", n)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            async with client.post(url, data=body, headers=headers | signed_headers(body)) as r:
                assert r.status == 200, r.status

    async with ClientSession() as client:
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
    await asyncio.to_thread(fake.wait, "respond", count + 1, 200, 300.0)
    return time.perf_counter() - started


def _throughput(replica_count: int, count: int) -> float | None:
    """`/log`s per second with `replica_count` replicas; None without PostgreSQL."""
    loop = Loop()
    fake = FakeSlack(users={"U1": "Anna Berg"})
    fake_runner, fake.url = loop.run(_serve(fake.app()))
    settings = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.url + "/api/", "SLACK_POST_INTERVAL": "0"}  # fmt: skip
    try:
        with postgres_database(PG_ADMIN_URL) as db, tempfile.TemporaryDirectory() as cwd:
            if db is None:
                return None
            with replicas(replica_count, db.url, Path(cwd), settings) as running:
                balancer = Balancer([r.url for r in running])
                lb_runner, base = loop.run(_serve(balancer.app()))
                url = base + "/slack/events"
                first = _slash("borger ny Mette Hansen", f"{fake.url}/respond/first", 0)
                loop.run(_send_first(url, first))
                fake.wait("respond", 1, 200, 60.0)
                seconds = loop.run(_send_all(url, fake, count))
                loop.run(lb_runner.cleanup())
        return count / seconds
    finally:
        loop.run(fake_runner.cleanup())
        loop.close()


async def _send_first(url: str, body: bytes) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
    async with ClientSession() as client, client.post(url, data=body, headers=headers) as r:
        assert r.status == 200, r.status


def run(quick: bool = False) -> None:
    """Print sustained `/log` throughput for one and three replicas, and their ratio."""
    count = 200 if quick else 2000
    one = _throughput(1, count)
    three = _throughput(3, count)
    if one is None or three is None:
        note("PostgreSQL not reachable: the replica benchmark needs it; skipped.")
        return
    print(f"/log sustained, {count} commands, {CONCURRENCY} at a time, PostgreSQL:")
    print(f"  1 replica   {one:8.1f} /log per second")
    print(f"  3 replicas  {three:8.1f} /log per second   ({three / one:.2f}x one replica)")
