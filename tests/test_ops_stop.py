"""SIGTERM on a real `rampe serve`: the reply being written is finished, then the process exits."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from subprocess import Popen

from tests.support_ops import rampe_env, start_rampe, wait_until_serving
from tests.support_pgcluster import free_port
from tests.support_slack import SECRET, TEAM, FakeSlack, reply_text, signed_headers
from tests.support_teams import Loop, _serve

STOP_SECONDS = 10


def _post_dm(base: str, text: str) -> int:
    envelope = {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "EvSTOP1",
        "event_time": int(time.time()),
        "event": {"type": "message", "channel": "DU1", "user": "U1", "text": text,
                  "ts": f"{time.time():.6f}", "channel_type": "im"},
    }  # fmt: skip
    body = json.dumps(envelope).encode()
    headers = {"Content-Type": "application/json", **signed_headers(body)}
    request = urllib.request.Request(base + "/slack/events", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except (urllib.error.URLError, ConnectionError):
        return 0  # no answer at all: Slack delivers the message again


@contextmanager
def _serving(tmp_path: Path, stop_seconds: float) -> Iterator[tuple[Popen[str], str, FakeSlack]]:
    """`rampe serve` as a process of its own against a fake Slack; killed if still running."""
    loop = Loop()
    fake = FakeSlack(users={"U1": "Anna Berg"})
    runner, fake.url = loop.run(_serve(fake.app()))
    port = free_port()
    env = rampe_env(
        f"sqlite:///{tmp_path / 'rampe.db'}",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.url + "/api/",
        SLACK_POST_INTERVAL="0",
        RAMPE_PORT=str(port),
        RAMPE_STOP_SECONDS=str(stop_seconds),
    )
    process = start_rampe(["serve"], env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield process, base, fake
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)
        loop.run(runner.cleanup())
        loop.close()


def test_sigterm_finishes_the_reply_in_progress_and_exits_in_time(tmp_path: Path) -> None:
    with _serving(tmp_path, STOP_SECONDS) as (process, base, fake):
        gate = fake.hold("users.info")  # the reply is under way: Rampe is asking Slack a name
        with ThreadPoolExecutor(1) as pool:
            delivery = pool.submit(_post_dm, base, "hjælp")  # answered once it is answered
            fake.wait("users.info:held")
            process.send_signal(signal.SIGTERM)
            stopped_at = time.monotonic()
            time.sleep(1.0)
            assert process.poll() is None  # still finishing the reply
            gate.set()
            assert delivery.result() == 200
        process.wait(timeout=STOP_SECONDS + 10)
        took = time.monotonic() - stopped_at
        [reply] = fake.wait("chat.postMessage")
        assert "Det kan jeg" in reply_text(reply)
        assert process.returncode == 0
        assert took < STOP_SECONDS + 5


def test_sigterm_exits_within_the_set_time_when_a_reply_hangs(tmp_path: Path) -> None:
    with _serving(tmp_path, 2) as (process, base, fake):
        gate = fake.hold("users.info")  # released only at the end: Slack hangs
        try:
            with ThreadPoolExecutor(1) as pool:
                delivery = pool.submit(_post_dm, base, "hjælp")
                fake.wait("users.info:held")
                started = time.monotonic()
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=15)
                assert time.monotonic() - started < 2 + 4
                assert fake.of("chat.postMessage") == []
                assert delivery.result() != 200  # not acknowledged: Slack delivers it again
        finally:
            gate.set()
