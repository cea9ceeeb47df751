"""Signed but malformed Slack requests get 400 and no traceback; only a real fault is 500.

Slack retries every 500 three times, and aiohttp logs an unhandled error's whole traceback
outside our log filter: both are wrong for a body that is simply not what Slack sends.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import Rampe
from bot.platforms.server import build_web_app
from kernel.clock import FixedClock
from store.db import make_engine
from tests.support_slack import SlackServer, slack
from tests.support_teams import serve_app

__all__ = ["slack"]

FORM = "application/x-www-form-urlencoded"
EVENT = {"type": "message", "channel": "DU1", "user": "U1", "text": "/hjælp", "channel_type": "im"}


def _payload(value: Any) -> tuple[bytes, str]:
    return urllib.parse.urlencode({"payload": json.dumps(value)}).encode(), FORM


def _view(**view: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1"},
        "view": {"type": "modal", "callback_id": "rampe_form:log", **view},
    }


LIST_OPTION = {"type": "external_select", "selected_option": ["BBB-0001"]}
LISTED = {"citizen": {"type": "external_select", "selected_option": ["BBB-0001"]}}
MALFORMED: dict[str, tuple[bytes, str]] = {
    "event is a list": (
        json.dumps({"type": "event_callback", "event_id": "Ev1", "event": [EVENT]}).encode(),
        "application/json",
    ),
    "body is a JSON string": (b'"event_callback"', "application/json"),
    "body is a JSON list": (b"[1, 2]", "application/json"),
    "body is not JSON": (b"{not json", "application/json"),
    "payload is not JSON": (b"payload=%7Bnot+json", FORM),
    "payload is a list": _payload([{"type": "block_actions"}]),
    "view without a type": _payload({**_view(), "view": {"callback_id": "rampe_form:log"}}),
    "view is a list": _payload({**_view(), "view": [{"callback_id": "rampe_form:log"}]}),
    "state.values is a list": _payload(_view(state={"values": [{"citizen": {}}]})),
    "a block's actions are a list": _payload(_view(state={"values": {"citizen": ["x"]}})),
    "a selected option is a list": _payload(_view(state={"values": {"citizen": LISTED}})),
    "user is a string": _payload({**_view(state={"values": {}}), "user": "U1"}),
    "actions are a dict": _payload(
        {"type": "block_actions", "user": {"id": "U1"}, "actions": {"value": "/hjælp"}}
    ),
    "options request without a user": _payload({"type": "block_suggestion", "value": "me"}),
}


def test_null_team_and_channel_as_slack_sends_them_are_well_formed(slack: SlackServer) -> None:
    body, content_type = _payload(
        {"type": "block_suggestion", "action_id": "citizen", "value": "me",
         "user": {"id": "U1"}, "team": None, "enterprise": None, "channel": None}
    )  # fmt: skip
    assert slack.post(body, content_type)[0] == 200


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_signed_malformed_body_gets_400_and_logs_no_traceback(
    slack: SlackServer, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body, content_type = MALFORMED[case]
    status, _ = slack.post(body, content_type)
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    assert slack.command("/hjaelp")[0] == 200  # the server is fine afterwards


def test_a_real_server_fault_is_500_logged_by_type_and_place_only(
    tmp_path: Path, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The database is gone (a file that is not a database): the options request fails."""
    caplog.set_level(logging.DEBUG)
    broken = tmp_path / "rampe.db"
    broken.write_bytes(b"Mette Hansen " * 1000)
    url = f"sqlite:///{broken}"
    server = SlackServer(url, make_engine(url), clock)
    try:
        suggestion = {"type": "block_suggestion", "action_id": "citizen", "value": "me"}
        status, _ = server.interactive(suggestion)
    finally:
        server.close()
    assert status == 500
    assert "DatabaseError" in caplog.text
    assert "Mette" not in caplog.text and "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]


def test_an_error_escaping_any_handler_is_500_without_a_traceback(
    app: Rampe, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    web_app = build_web_app(app)

    async def faulty(_request: web.Request) -> web.Response:
        raise KeyError("Mette Hansen")

    web_app.router.add_get("/faulty", faulty)
    with serve_app(web_app) as url:
        status = urllib.request.urlopen(url + "/healthz", timeout=10).status
        try:
            urllib.request.urlopen(url + "/faulty", timeout=10)
        except urllib.error.HTTPError as err:
            status = err.code
    assert status == 500
    assert "KeyError" in caplog.text and "Mette" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
