"""Observability: request, delivery and error counts at /metrics; JSON logs; no personal data."""

from __future__ import annotations

import json
import logging
import urllib.request

import pytest
from prometheus_client import REGISTRY

from bot.logs import configure_logging
from bot.platforms.server import platform_senders
from kernel.clock import FixedClock
from tests.support_followups import cph, sweep_at
from tests.support_slack import SlackServer, slack

__all__ = ["slack"]


def _count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_requests_and_deliveries_without_names(slack: SlackServer) -> None:
    requests_before = _count("rampe_requests_total", platform="slack", status="2xx")
    refused_before = _count("rampe_requests_total", platform="slack", status="4xx")
    sent_before = _count("rampe_deliveries_total", kind="digest", result="sent")
    assert slack.dm("borger ny Mette Kragelund")[0] == 200
    slack.fake.wait("chat.postMessage")
    assert slack.post(b"{}", "application/json", {"X-Slack-Signature": "v0=bad"})[0] == 401
    clock = slack.rampe.clock
    assert isinstance(clock, FixedClock)
    senders = platform_senders(slack.rampe)
    sweep_at(slack.rampe, clock, cph(2026, 12, 1, 8, 30), senders)  # a morning digest for Anna
    base = slack.url.rsplit("/slack/", 1)[0]
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        kind = response.headers["Content-Type"]
        text = response.read().decode()
    assert kind.startswith("text/plain; version=")  # Prometheus text exposition format
    assert _count("rampe_requests_total", platform="slack", status="2xx") == requests_before + 1
    assert _count("rampe_requests_total", platform="slack", status="4xx") == refused_before + 1
    assert _count("rampe_deliveries_total", kind="digest", result="sent") == sent_before + 1
    assert 'rampe_requests_total{platform="slack",status="2xx"}' in text
    assert "rampe_deliveries_total" in text and "rampe_errors_total" in text
    assert "Kragelund" not in text and "U1" not in text and "Anna" not in text


def test_json_logs_and_counted_errors(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    errors_before = _count("rampe_errors_total", logger="rampe.test")
    try:
        configure_logging("INFO", "json")
        log = logging.getLogger("rampe.test")
        log.info("sweep done: %d sent", 3)
        try:
            raise KeyError("Mette Kragelund")
        except KeyError:
            log.exception("lookup failed")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["level"], e["logger"], e["message"]) for e in lines] == [
        ("INFO", "rampe.test", "sweep done: 3 sent"),
        ("ERROR", "rampe.test", "lookup failed"),
    ]
    assert lines[1]["error"] == "KeyError" and "Kragelund" not in json.dumps(lines)
    assert _count("rampe_errors_total", logger="rampe.test") == errors_before + 1
