"""Teams endpoint security: tokens, content types, serviceUrl allowlist, unauthenticated mode."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import jwt
import pytest
from sqlalchemy import Engine, func, select

from bot.app import Rampe
from bot.platforms.server import MAX_BODY, build_web_app
from bot.platforms.teams_hosts import url_allowed
from kernel.clock import FixedClock
from store.models import Staff
from tests.conftest import make_settings
from tests.support_teams import (  # noqa: F401
    TeamsServer,
    activity,
    serve_teams,
    teams_say,
    teams_server,
    teams_settings,
)

MICROSOFT = ("smba.trafficmanager.net", "*.botframework.com")


def staff_count(app: Rampe) -> int:
    with app.unit_of_work() as session:
        return int(session.scalar(select(func.count(Staff.id))) or 0)


@pytest.fixture
def secured(db_url: str, engine: Engine, clock: FixedClock) -> Iterator[TeamsServer]:
    """The server with MICROSOFT_APP_ID set: every request needs a Bot Framework token."""
    settings = make_settings(
        db_url,
        MICROSOFT_APP_ID="00000000-0000-0000-0000-0000000000a1",
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        TEAMS_SERVICE_HOSTS="127.0.0.1",
    )
    with serve_teams(Rampe(settings, engine=engine, clock=clock, upgrade=False)) as server:
        yield server


def foreign_token() -> str:
    """A well-formed JWT that no Bot Framework issuer signed."""
    claims = {"iss": "https://issuer.example", "aud": "00000000-0000-0000-0000-0000000000a1"}
    return jwt.encode(claims, "someone-elses-key-of-32-bytes-or-more", algorithm="HS256")


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer eyJhbGciOi.!!!.***",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
        "FOREIGN",
    ],
)
def test_with_an_app_id_requests_without_a_valid_token_get_401_and_run_no_turn(
    secured: TeamsServer, auth: str | None
) -> None:
    if auth == "FOREIGN":
        auth = "Bearer " + foreign_token()
    body = activity(secured.connector.url, "/borger ny Mette Hansen")
    assert secured.post(body, auth=auth) == 401
    assert secured.connector.posts == []
    assert staff_count(secured.rampe) == 0  # no turn: nobody was even created


def test_non_json_gets_415_and_bad_json_400(teams: TeamsServer) -> None:
    body = activity(teams.connector.url, "/hjælp")
    assert teams.post("text=/hjælp", content_type="text/plain") == 415
    assert teams.post("text=/hjælp", content_type="application/x-www-form-urlencoded") == 415
    assert teams.post(b"{not json", content_type="application/json") == 400
    assert teams.post([body], content_type="application/json") == 400  # JSON, not an Activity
    assert teams.post({"text": "no type"}) == 400
    assert teams.connector.posts == [] and staff_count(teams.rampe) == 0
    assert teams.post(body) == 201 and len(teams.connector.posts) == 1  # the same, well formed


def test_a_body_over_the_limit_gets_413(teams: TeamsServer) -> None:
    body = activity(teams.connector.url, "/log mette -- " + "x" * (MAX_BODY + 1))
    assert teams.post(body) == 413
    assert staff_count(teams.rampe) == 0


def test_an_activity_naming_a_foreign_service_url_is_refused(teams: TeamsServer) -> None:
    body = activity("https://attacker.example/", "/hjælp")
    assert teams.post(body) == 403
    assert staff_count(teams.rampe) == 0


def test_unauthenticated_mode_warns_loudly_and_is_off_by_default(
    db_url: str, engine: Engine, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    loose = make_settings(db_url, TEAMS_ALLOW_UNAUTHENTICATED=True)
    with caplog.at_level(logging.WARNING, logger="rampe.teams"):
        build_web_app(Rampe(loose, engine=engine, clock=clock, upgrade=False))
    assert any("UNAUTHENTICATED" in r.getMessage() for r in caplog.records)
    closed = Rampe(make_settings(db_url), engine=engine, clock=clock, upgrade=False)
    routes = {r.resource.canonical for r in build_web_app(closed).router.routes() if r.resource}
    assert "/api/messages" not in routes


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://smba.trafficmanager.net/emea/", True),
        ("https://europe.webchat.botframework.com/", True),
        ("https://SMBA.trafficmanager.net/amer/", True),
        ("http://smba.trafficmanager.net/emea/", False),  # a token over plain http
        ("https://smba.trafficmanager.net.attacker.example/", False),
        ("https://attacker.example/smba.trafficmanager.net/", False),
        ("https://botframework.com.attacker.example/", False),
        ("https://xbotframework.com/", False),
        ("https://user@attacker.example/", False),
        ("http://127.0.0.1:3978/", False),  # loopback is allowed only when listed
        ("", False),
        (None, False),
        ("https://[::1/", False),
    ],
)
def test_service_url_allowlist(url: str | None, allowed: bool) -> None:
    assert url_allowed(url, MICROSOFT) is allowed
