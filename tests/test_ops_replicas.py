"""Three `rampe serve` replicas on one PostgreSQL database, Slack and Teams at once.

Every message is delivered twice at the same moment (Slack and Teams both deliver at least
once), through a loopback balancer that spreads them over the replicas. Halfway, one replica
is killed with SIGKILL; the balancer sends the rest to the two left. Every message is answered
once and stored once.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from sqlalchemy import func, select

from store.db import make_engine
from store.models import Citizen, Contact, InboundEvent, Role, Staff
from tests.support_ops import empty_pg_database
from tests.support_replicas import Balancer, replicas
from tests.support_slack import SECRET, TEAM, FakeSlack, signed_headers
from tests.support_teams import FakeConnector, Loop, _serve, activity

SLACK_PEOPLE = {"U1": ("Anna Berg", "Anne Andersen"), "U2": ("Bo Holm", "Bent Bertelsen"),
                "U3": ("Cia Lund", "Carl Christensen")}  # fmt: skip
TEAMS_PEOPLE = {"dorte": "Dorte Dahl", "erik": "Erik Eriksen", "frida": "Frida Frost"}


def _slack_envelope(user: str, text: str, event_id: str) -> bytes:
    event = {"type": "message", "channel": f"D{user}", "user": user, "text": text,
             "ts": f"{time.time():.6f}", "channel_type": "im"}  # fmt: skip
    envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time())}  # fmt: skip
    return json.dumps(envelope).encode()


async def _twice(url: str, body: bytes, headers: dict[str, str]) -> list[int]:
    """The same delivery twice at the same moment, as a platform retrying early would."""

    async def post() -> int:
        async with ClientSession() as client, client.post(url, data=body, headers=headers) as r:
            return r.status

    return list(await asyncio.gather(post(), post()))


async def _wave(base: str, connector_url: str, wave: int, texts: dict[str, str]) -> list[int]:
    """One message from every Slack and Teams person at once, each delivered twice."""
    calls = []
    for user in SLACK_PEOPLE:
        body = _slack_envelope(user, texts[user], f"Ev{wave}{user}")
        headers = {"Content-Type": "application/json", **signed_headers(body)}
        calls.append(_twice(base + "/slack/events", body, headers))
    for user in TEAMS_PEOPLE:
        body = json.dumps(activity(connector_url, texts[user], user=user)).encode()
        calls.append(_twice(base + "/api/messages", body, {"Content-Type": "application/json"}))
    return [status for pair in await asyncio.gather(*calls) for status in pair]


def _answered(fake: FakeSlack, connector: FakeConnector, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(fake.of("chat.postMessage")) >= 3 * count and len(connector.posts) >= 3 * count:
            time.sleep(1.0)  # a duplicate answer would come now, if it came at all
            break
        time.sleep(0.1)
    assert len(fake.of("chat.postMessage")) == 3 * count, fake.of("chat.postMessage")
    assert len(connector.posts) == 3 * count, [p.body.get("text") for p in connector.posts]


def test_three_replicas_one_killed_every_message_once(tmp_path: Path) -> None:
    loop = Loop()
    fake = FakeSlack(users={u: names[0] for u, names in SLACK_PEOPLE.items()})
    connector = FakeConnector()
    fake_runner, fake.url = loop.run(_serve(fake.app()))
    connector_runner, connector.url = loop.run(_serve(connector.app()))
    settings = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url + "/api/",
        "SLACK_POST_INTERVAL": "0",
        "TEAMS_ALLOW_UNAUTHENTICATED": "true",
        "TEAMS_SERVICE_HOSTS": "127.0.0.1",
    }
    try:
        with empty_pg_database() as url, replicas(3, url, tmp_path, **settings) as running:
            balancer = Balancer([r.url for r in running])
            lb_runner, base = loop.run(_serve(balancer.app()))
            first: dict[str, Any] = {u: f"borger ny {n[1]}" for u, n in SLACK_PEOPLE.items()}
            first |= {u: f"borger ny {n}" for u, n in TEAMS_PEOPLE.items()}
            assert set(loop.run(_wave(base, connector.url, 1, first))) <= {200, 201}
            _answered(fake, connector, 1, timeout=60)
            running[1].process.send_signal(signal.SIGKILL)  # halfway: one replica dies
            running[1].process.wait(timeout=10)
            second = {u: f"log {n[1].split()[0]} tlf 20m" for u, n in SLACK_PEOPLE.items()}
            second |= {u: f"log {n.split()[0]} tlf 20m" for u, n in TEAMS_PEOPLE.items()}
            assert set(loop.run(_wave(base, connector.url, 2, second))) <= {200, 201}
            _answered(fake, connector, 2, timeout=60)
            loop.run(lb_runner.cleanup())
            assert len([b for b, n in balancer.served.items() if n]) == 3  # all took part
            engine = make_engine(url)
            with engine.connect() as conn:
                count = lambda q: conn.execute(q).scalar_one()  # noqa: E731
                assert count(select(func.count(Citizen.id))) == 6
                assert count(select(func.count(Contact.id))) == 6
                assert count(select(func.count(Staff.id))) == 6
                assert count(select(func.count(Staff.id)).where(Staff.role == Role.ADMIN)) == 1
                assert count(select(func.count(InboundEvent.id))) == 12
            engine.dispose()
        texts = [str(c.args.get("text", "")) for c in fake.of("chat.postMessage")]
        assert sum("Logget" in t for t in texts) == 3
    finally:
        loop.run(fake_runner.cleanup())
        loop.run(connector_runner.cleanup())
        loop.close()
