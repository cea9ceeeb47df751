"""A database that goes away and comes back: on a PostgreSQL cluster of the test's own.

The chat says so and keeps going; `rampe serve` answers Slack and Teams 503 so they deliver the
message again, stores it once when they do, and reports readiness apart from liveness; all of
it recovers without a restart.
"""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Engine, func, select

from bot.app import Rampe
from bot.platforms.console import run_console
from kernel.clock import FixedClock
from store.db import make_engine, upgrade_schema
from store.models import Citizen, Contact, OutboxMessage
from tests.conftest import make_settings
from tests.support_pgcluster import Cluster, own_cluster
from tests.support_slack import SlackServer, reply_text
from tests.support_teams import activity, posted_text, serve_teams

UNAVAILABLE = "Databasen svarer ikke lige nu"


class Script(io.StringIO):
    """Lines for the chat, with actions (stop or start the server) run between them."""

    def __init__(self, steps: list[str | Callable[[], None]]) -> None:
        super().__init__()
        self.steps: Iterator[str | Callable[[], None]] = iter(steps)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        for step in self.steps:
            if isinstance(step, str):
                return step + "\n"
            step()
        return ""


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def _dm(text: str, ts: str) -> dict[str, Any]:
    return {"type": "message", "channel": "DU1", "user": "U1", "text": text, "ts": ts,
            "channel_type": "im"}  # fmt: skip


def _contacts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count(Contact.id))).scalar_one())


def _chat_keeps_going(cluster: Cluster, engine: Engine, clock: FixedClock) -> None:
    app = Rampe(make_settings(cluster.url), engine=engine, clock=clock, upgrade=False)
    out = io.StringIO()
    script = Script(
        [
            "/borger ny Mette Hansen",
            cluster.stop,
            "/caseload",
            "/log mette tlf 20m",
            cluster.start,
            "/caseload",
        ]
    )
    assert run_console(app, "anna", stdin=script, stdout=out, interactive=False) == 0
    replies = out.getvalue().split("\n\n")
    assert replies[0].startswith("Oprettet: Mette Hansen")
    assert sum(UNAVAILABLE in r for r in replies) == 2, replies
    assert sum("Ventende beskeder kan ikke hentes" in r for r in replies) == 1, replies
    assert "Mette Hansen" in replies[-2] and "Dine aktive borgere (1)" in replies[-2], replies


def _slack_redelivers(cluster: Cluster, engine: Engine, clock: FixedClock) -> None:
    slack = SlackServer(cluster.url, engine, clock)
    base = slack.url.rsplit("/slack/", 1)[0]
    try:
        assert _status(base + "/readyz") == 200
        assert slack.dm("borger ny Lise Holm")[0] == 200
        slack.fake.wait("chat.postMessage")
        event = _dm("/log lise tlf 25m aftalte møde", f"{time.time():.6f}")
        cluster.stop()
        assert _status(base + "/healthz") == 200  # alive: no restart wanted
        assert _status(base + "/readyz") == 503  # not ready: send traffic elsewhere
        assert slack.event(event, event_id="EvOUT")[0] == 503  # Slack will deliver it again
        cluster.start()
        assert _status(base + "/readyz") == 200
        assert slack.event(event, event_id="EvOUT", retry=1)[0] == 200
        reply = slack.fake.wait("chat.postMessage", 2)[1]
        assert "Logget: telefon med Lise Holm" in reply_text(reply)
        assert slack.event(event, event_id="EvOUT", retry=2)[0] == 200  # a late duplicate
        slack.run(slack._drain())
        assert len(slack.fake.of("chat.postMessage")) == 2
        assert _contacts(engine) == 1
    finally:
        slack.close()


def _teams_redelivers(cluster: Cluster, engine: Engine, clock: FixedClock) -> None:
    settings = make_settings(
        cluster.url, TEAMS_ALLOW_UNAUTHENTICATED=True, TEAMS_SERVICE_HOSTS="127.0.0.1"
    )
    rampe = Rampe(settings, engine=engine, clock=clock, upgrade=False)
    with serve_teams(rampe) as teams:
        body = activity(teams.connector.url, "borger ny Tove Lind", user="bo")
        cluster.stop()
        assert teams.post(body) == 503  # Teams will deliver it again
        assert teams.connector.posts == []
        cluster.start()
        assert teams.post(body) == 201
        assert "Oprettet: Tove Lind" in posted_text(teams.connector.posts[-1])
        assert teams.post(body) == 201  # a late duplicate: no second effect, no second answer
        assert len(teams.connector.posts) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count(Citizen.id))).scalar_one() == 3  # Mette, Lise, Tove


def test_database_goes_away_and_comes_back(clock: FixedClock) -> None:
    with own_cluster() as cluster:
        engine = make_engine(cluster.url)
        try:
            upgrade_schema(engine)
            _chat_keeps_going(cluster, engine, clock)
            _slack_redelivers(cluster, engine, clock)
            _teams_redelivers(cluster, engine, clock)
        finally:
            engine.dispose()


def test_a_waiting_message_sealed_with_another_key_does_not_end_the_chat(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = Rampe(make_settings(db_url, RAMPE_ENCRYPTION_KEY=old), engine=engine, clock=clock,
                   upgrade=False)  # fmt: skip
    out = io.StringIO()
    run_console(before, "anna", stdin=Script(["/hjælp"]), stdout=out, interactive=False)
    with before.unit_of_work() as session:
        session.add(OutboxMessage(key="digest:1", staff_id=1, external_id="anna",
                                  body="Mette Hansen venter", created_at=clock()))  # fmt: skip
    engine.dispose()
    after = Rampe(make_settings(db_url, RAMPE_ENCRYPTION_KEY=new), engine=make_engine(db_url),
                  clock=clock, upgrade=False)  # fmt: skip
    out = io.StringIO()
    code = run_console(after, "anna", stdin=Script(["/hjælp", "/hjælp"]), stdout=out,
                       interactive=False)  # fmt: skip
    after.engine.dispose()
    assert code == 0
    text = out.getvalue()
    assert text.count("kan ikke læses med den nuværende RAMPE_ENCRYPTION_KEY") == 1
    assert text.count("Det kan jeg") == 2 and "Mette Hansen venter" not in text
