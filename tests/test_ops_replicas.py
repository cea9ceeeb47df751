"""Three `rampe serve` replicas on one PostgreSQL database, Slack and Teams at once.

Every message is delivered twice at the same moment (Slack and Teams both deliver at least
once), through a loopback balancer that spreads them over the replicas; whatever is not answered
2xx is delivered again, as the platforms do (Slack with `X-Slack-Retry-Num`). In the middle of
the second wave, while every replica has answers on their way to Slack and Teams (the fakes hold
them: Slack has taken its posts, Teams has not yet), the replica with the most requests in hand
is killed with SIGKILL. Every message is still answered once and stored once.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession
from botbuilder.schema import Activity
from sqlalchemy import func, select

from bot.app import Rampe
from bot.core import Platform
from bot.platforms.teams import reference_of
from store.db import make_engine
from store.followup_items import add_custom
from store.models import Citizen, Contact, Delivery, FollowUp, InboundEvent, Role, Staff
from store.staff import get_or_create_staff, set_address
from tests.conftest import empty_pg_database, make_settings
from tests.support_followups import cph
from tests.support_ops import start_rampe, wait_until_serving
from tests.support_replicas import Balancer, Replica, replicas
from tests.support_slack import SECRET, TEAM, FakeSlack, delivery_key, signed_headers
from tests.support_teams import TENANT, FakeConnector, Loop, _serve, activity, posted_text

SLACK_PEOPLE = {"U1": ("Anna Berg", "Anne Andersen"), "U2": ("Bo Holm", "Bent Bertelsen"),
                "U3": ("Cia Lund", "Carl Christensen")}  # fmt: skip
TEAMS_PEOPLE = {"dorte": "Dorte Dahl", "erik": "Erik Eriksen", "frida": "Frida Frost"}
MESSAGES = len(SLACK_PEOPLE) + len(TEAMS_PEOPLE)
ATTEMPTS = 60  # deliveries of one message at most, half a second apart
REPLY_LEASE = "2"  # seconds before a dead replica's unsent answer may be sent by another
Send = Callable[[int], tuple[bytes, dict[str, str]]]  # attempt -> body and headers


def _slack_delivery(user: str, text: str, event_id: str) -> Send:
    event = {"type": "message", "channel": f"D{user}", "user": user, "text": text,
             "ts": f"{time.time():.6f}", "channel_type": "im"}  # fmt: skip
    envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time())}  # fmt: skip
    body = json.dumps(envelope).encode()

    def attempt(n: int) -> tuple[bytes, dict[str, str]]:
        retry = {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_error"} if n else {}
        return body, {"Content-Type": "application/json", **signed_headers(body), **retry}

    return attempt


def _teams_delivery(connector_url: str, user: str, text: str) -> Send:
    body = json.dumps(activity(connector_url, text, user=user)).encode()
    return lambda _n: (body, {"Content-Type": "application/json"})


async def _deliver(url: str, delivery: Send) -> list[int]:
    """Deliver until the answer is 2xx, as the platforms do; every status seen (0: no answer)."""
    statuses: list[int] = []
    async with ClientSession() as client:
        for n in range(ATTEMPTS):
            body, headers = delivery(n)
            try:
                async with client.post(url, data=body, headers=headers) as answer:
                    statuses.append(answer.status)
            except ClientError:
                statuses.append(0)
            if statuses[-1] in (200, 201):
                return statuses
            await asyncio.sleep(0.5)
    raise AssertionError(f"never answered: {statuses}")


async def _wave(base: str, connector_url: str, wave: int, texts: dict[str, str]) -> list[int]:
    """One message from every Slack and Teams person at once, each delivered twice at once."""
    calls = []
    for user in SLACK_PEOPLE:
        slack = _slack_delivery(user, texts[user], f"Ev{wave}{user}")
        calls += [_deliver(base + "/slack/events", slack) for _ in range(2)]
    for user in TEAMS_PEOPLE:
        teams = _teams_delivery(connector_url, user, texts[user])
        calls += [_deliver(base + "/api/messages", teams) for _ in range(2)]
    return [status for statuses in await asyncio.gather(*calls) for status in statuses]


def _answered(fake: FakeSlack, connector: FakeConnector, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(fake.of("chat.postMessage")) >= 3 * count and len(connector.posts) >= 3 * count:
            time.sleep(1.0)  # a duplicate answer would come now, if it came at all
            break
        time.sleep(0.1)
    assert len(fake.of("chat.postMessage")) == 3 * count, fake.of("chat.postMessage")
    assert len(connector.posts) == 3 * count, [p.body.get("text") for p in connector.posts]


def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(0.05)


def _kill_busiest(running: list[Replica], balancer: Balancer) -> Replica:
    """SIGKILL the replica with the most requests in hand (it must have some)."""
    victim = max(running, key=lambda r: balancer.inflight.get(r.url, 0))
    assert balancer.inflight.get(victim.url, 0) >= 1, balancer.inflight
    victim.process.kill()
    victim.process.wait(timeout=10)
    return victim


@contextmanager
def _platforms(users: dict[str, str]) -> Iterator[tuple[Loop, FakeSlack, FakeConnector]]:
    """A fake Slack Web API and a fake Teams connector on a loop of their own, stopped after."""
    loop = Loop()
    fake = FakeSlack(users=users)
    connector = FakeConnector()
    fake_runner, fake.url = loop.run(_serve(fake.app()))
    connector_runner, connector.url = loop.run(_serve(connector.app()))
    try:
        yield loop, fake, connector
    finally:
        loop.run(fake_runner.cleanup())
        loop.run(connector_runner.cleanup())
        loop.close()


def _replica_settings(**extra: str) -> dict[str, str]:
    """What every replica is configured with: Slack and Teams on loopback, test handles."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_POST_INTERVAL": "0",
        "TEAMS_ALLOW_UNAUTHENTICATED": "true",
        "TEAMS_SERVICE_HOSTS": "127.0.0.1",
        "RAMPE_HANDLE_ORDER": "sequential",
        **extra,
    }


def test_three_replicas_one_killed_mid_wave_every_message_once(tmp_path: Path) -> None:
    users = {u: names[0] for u, names in SLACK_PEOPLE.items()}
    with _platforms(users) as (loop, fake, connector):
        settings = _replica_settings(
            SLACK_API_URL=fake.url + "/api/", RAMPE_REPLY_LEASE_SECONDS=REPLY_LEASE
        )
        with empty_pg_database() as url, replicas(3, url, tmp_path, settings) as running:
            balancer = Balancer([r.url for r in running])
            lb_runner, base = loop.run(_serve(balancer.app()))
            first: dict[str, Any] = {u: f"borger ny {n[1]}" for u, n in SLACK_PEOPLE.items()}
            first |= {u: f"borger ny {n}" for u, n in TEAMS_PEOPLE.items()}
            assert set(loop.run(_wave(base, connector.url, 1, first))) <= {200, 201, 503}
            _answered(fake, connector, 1, timeout=60)

            slack_gate = fake.hold_after("chat.postMessage")  # Slack takes them, answers later
            connector.gate = threading.Event()  # Teams takes nothing until the gate opens
            second = {u: f"log {n[1].split()[0]} tlf 20m" for u, n in SLACK_PEOPLE.items()}
            second |= {u: f"log {n.split()[0]} tlf 20m" for u, n in TEAMS_PEOPLE.items()}
            wave = asyncio.run_coroutine_threadsafe(
                _wave(base, connector.url, 2, second), loop.loop
            )
            _wait(
                lambda: len(fake.of("chat.postMessage")) == 3 + 3 and connector.held == 3,
                "every second-wave answer on its way to Slack or Teams",
            )
            victim = _kill_busiest(running, balancer)  # in the middle of requests
            slack_gate.set()
            connector.gate.set()
            statuses = wave.result(timeout=120)
            assert statuses.count(502) >= 1  # the victim's requests, delivered again
            # the victim had answers in hand: Teams never got them (sent again once), Slack had
            # them (found in the DM's history by the replica that took over, not posted again)
            assert len(connector.lost) + len(fake.of("conversations.history")) >= 1
            _answered(fake, connector, 2, timeout=60)
            loop.run(lb_runner.cleanup())
            assert victim.process.returncode == -9
            assert len([b for b, n in balancer.served.items() if n]) == 3  # all took part
            engine = make_engine(url)
            with engine.connect() as conn:
                count = lambda q: conn.execute(q).scalar_one()  # noqa: E731
                assert count(select(func.count(Citizen.id))) == 6
                assert count(select(func.count(Contact.id))) == 6
                assert count(select(func.count(Staff.id))) == 6
                assert count(select(func.count(Staff.id)).where(Staff.role == Role.ADMIN)) == 1
                assert count(select(func.count(InboundEvent.id))) == 2 * MESSAGES
                owed = select(func.count(InboundEvent.id)).where(InboundEvent.reply.is_not(None))
                assert count(owed) == 0  # every answer sent, none kept
            engine.dispose()
        texts = [str(c.args.get("text", "")) for c in fake.of("chat.postMessage")]
        assert sum("Logget" in t for t in texts) == 3
        keys = {delivery_key(c) for c in fake.of("chat.postMessage")}
        assert len(keys) == 6  # one answer per Slack message, none posted twice
        teams_texts = [posted_text(p) for p in connector.posts]
        assert sum("Logget" in t for t in teams_texts) == 3, teams_texts


# --- Nudges: the replicas' schedulers share the database ------------------------------------

WHEN = cph(2026, 11, 24, 8, 30)  # a Tuesday, at the morning digest
SLACK_STAFF = {"U1": "Anna Berg", "U2": "Bo Holm"}
TEAMS_STAFF = {"dorte": "Dorte Dahl", "erik": "Erik Eriksen", "frida": "Frida Frost"}
LEASE = 5  # seconds before a dead replica's claimed delivery may be taken over


def _seed_nudges(url: str, connector_url: str) -> None:
    """The schema, and everyone on Slack or Teams with one reminder due at `WHEN`."""
    rampe = Rampe(make_settings(url))
    now = WHEN - timedelta(days=2)
    with rampe.unit_of_work() as session:
        people = [(Platform.SLACK, TEAM, user, name, {"channel": f"D{user}"})
                  for user, name in SLACK_STAFF.items()]  # fmt: skip
        for user, name in TEAMS_STAFF.items():
            hello = Activity().deserialize(activity(connector_url, "hej", user=user))
            address = reference_of(hello)
            people.append((Platform.TEAMS, TENANT, f"aad-{user}", name, address))
        for platform, workspace, external, name, address in people:
            staff, _ = get_or_create_staff(
                session, platform=platform, workspace=workspace, external_id=external,
                display_name=name, language="da", now=now, name_folded=name.casefold(),
            )  # fmt: skip
            set_address(session, staff, platform, address)
            add_custom(
                session, staff_id=staff.id, citizen_id=None, company_id=None, due_at=WHEN,
                note=f"ring til jobcentret om {name}", now=now,
            )  # fmt: skip
    rampe.engine.dispose()


def _deliveries(url: str) -> tuple[list[str], set[str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        states = [str(s) for s in conn.execute(select(Delivery.state)).scalars()]
        items = {str(s) for s in conn.execute(select(FollowUp.state)).scalars()}
    engine.dispose()
    return states, items


def test_three_replicas_one_killed_mid_sweep_every_nudge_once(tmp_path: Path) -> None:
    with _platforms(SLACK_STAFF) as (_loop, fake, connector):
        _mid_sweep(tmp_path, fake, connector)


def _mid_sweep(tmp_path: Path, fake: FakeSlack, connector: FakeConnector) -> None:
    settings = _replica_settings(RAMPE_CLAIM_LEASE_SECONDS=str(LEASE))
    own = lambda i: {"SLACK_API_URL": f"{fake.url}/via/r{i}/api/"}  # noqa: E731
    restarted = None
    try:
        with empty_pg_database() as url:
            _seed_nudges(url, connector.url)
            gate = fake.hold_after("chat.postMessage")  # Slack takes the post, answers later
            at = ("--at", WHEN.isoformat())
            with replicas(3, url, tmp_path, settings, at, own) as running:
                fake.wait("chat.postMessage", timeout=60)  # a sweep is sending a digest ...
                caller = next(v for m, v in fake.via if m == "chat.postMessage")
                victim = running[int(caller.removeprefix("r"))]
                victim.process.kill()  # ... and its replica dies before it can mark it sent
                victim.process.wait(timeout=10)
                gate.set()
                _wait(
                    lambda: (
                        len(connector.posts) == len(TEAMS_STAFF)
                        and len(fake.of("chat.postMessage")) == len(SLACK_STAFF)
                    ),
                    "every digest sent by the sweeps of the replicas left",
                )
                # A replica marks a digest sent just after the fake took it: wait for that.
                _wait(
                    lambda: sorted(_deliveries(url)[0]) == ["sending"] + ["sent"] * 4,
                    "every digest but the victim's marked sent; the victim's stuck in sending",
                )
                time.sleep(LEASE)  # as an orchestrator restarts it, once its claim has lapsed
                later = (WHEN + timedelta(minutes=10)).isoformat()
                restarted = start_rampe(["serve", "--at", later], victim.env, tmp_path)
                wait_until_serving(victim.url, restarted)
                _wait(lambda: _deliveries(url)[0] == ["sent"] * 5, "the stuck digest finished")
                assert _deliveries(url)[1] == {"sent"}
                time.sleep(1.0)  # a repeated post would come now, if it came at all
        assert len(fake.of("conversations.history")) >= 1  # it looked before posting again
        keys = [delivery_key(c) for c in fake.of("chat.postMessage")]
        assert len(keys) == len(set(keys)) == len(SLACK_STAFF), keys
        teams = [posted_text(p) for p in connector.posts]
        assert len(teams) == len(TEAMS_STAFF), teams
        for name in TEAMS_STAFF.values():
            assert sum(f"om {name}" in text for text in teams) == 1, teams
        assert len({v for _m, v in fake.via}) >= 2  # more than one replica talked to Slack
    finally:
        if restarted is not None and restarted.poll() is None:
            restarted.kill()
            restarted.communicate(timeout=30)
