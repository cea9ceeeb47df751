"""Teams with an app id, against tokens signed the way Bot Framework signs them.

A local key server publishes an OpenID metadata document and an RSA key (endorsed for
msteams); TEAMS_OPENID_METADATA_URL points Rampe at it. A token signed with that key, for our
app id and the activity's serviceUrl, runs the turn; every other token is refused with no turn.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import Engine

from bot.app import Rampe
from bot.platforms.teams import add_teams_routes
from kernel.clock import FixedClock
from store.models import Staff
from tests.conftest import make_settings
from tests.support import count
from tests.support_teams import (
    APP_ID,
    FakeConnector,
    Loop,
    RecordingCredentialsFactory,
    TeamsServer,
    _serve,
    activity,
    posted_text,
)

ISSUER = "https://api.botframework.com"
KID = "rampe-test-key"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_server(endorsements: list[str]) -> web.Application:
    """OpenID metadata at /openid, its key set at /keys (one RSA key, `KID`)."""
    app = web.Application()
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    jwk.update(kid=KID, use="sig", endorsements=endorsements)

    async def metadata(request: web.Request) -> web.Response:
        base = f"{request.scheme}://{request.host}"
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{base}/keys"})

    async def keys(_request: web.Request) -> web.Response:
        return web.json_response({"keys": [jwk]})

    app.router.add_get("/openid", metadata)
    app.router.add_get("/keys", keys)
    return app


@contextmanager
def signed_teams(
    db_url: str, engine: Engine, clock: FixedClock, endorsements: list[str]
) -> Iterator[TeamsServer]:
    """Rampe with MICROSOFT_APP_ID set, checking tokens against the local key server."""
    loop = Loop()
    keys_loop = Loop()  # its own thread: Bot Framework fetches keys with a blocking call
    connector = FakeConnector()
    try:
        keys_runner, keys_url = keys_loop.run(_serve(key_server(endorsements)))
        connector_runner, connector.url = loop.run(_serve(connector.app()))
        settings = make_settings(
            db_url,
            MICROSOFT_APP_ID=APP_ID,
            TEAMS_SERVICE_HOSTS="127.0.0.1",
            TEAMS_OPENID_METADATA_URL=f"{keys_url}/openid",
        )
        rampe = Rampe(settings, engine=engine, clock=clock, upgrade=False)
        app = web.Application()
        add_teams_routes(app, rampe, RecordingCredentialsFactory(APP_ID))
        runner, url = loop.run(_serve(app))
        try:
            yield TeamsServer(loop, url, connector, rampe)
        finally:
            for r in (runner, connector_runner):
                loop.run(r.cleanup())
            keys_loop.run(keys_runner.cleanup())
    finally:
        loop.close()
        keys_loop.close()


def token(service_url: str, *, key: Any = KEY, **claims: Any) -> str:
    """A Bot Framework-shaped bearer token; `claims` override the valid defaults."""
    now = int(time.time())
    body = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60,
            "exp": now + 3600, **claims}  # fmt: skip
    return "Bearer " + jwt.encode(body, key, algorithm="RS256", headers={"kid": KID})


def test_a_properly_signed_token_runs_the_turn(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    with signed_teams(db_url, engine, clock, ["msteams"]) as teams:
        body = activity(teams.connector.url, "/borger ny Mette Hansen")
        assert teams.post(body, auth=token(body["serviceUrl"])) == 201
        (reply,) = teams.connector.posts
        assert posted_text(reply).startswith("Oprettet: Mette Hansen (BBB-0001)")
        assert count(teams.rampe, Staff) == 1


@pytest.mark.parametrize(
    ("endorsements", "wrong"),
    [
        (["msteams"], {"key": OTHER_KEY}),  # signed by someone else under our key's id
        (["msteams"], {"aud": "00000000-0000-0000-0000-0000000000ff"}),  # for another bot
        (["msteams"], {"iss": "https://issuer.example"}),  # not Bot Framework
        (["msteams"], {"exp": int(time.time()) - 3600}),  # expired an hour ago
        (["msteams"], {"serviceurl": "https://attacker.example/"}),  # for another connector
        (["webchat"], {}),  # a right token, but the key is not endorsed for Teams
    ],
    ids=["other-key", "other-app", "other-issuer", "expired", "other-service-url", "not-teams"],
)
def test_any_other_token_gets_401_and_runs_no_turn(
    db_url: str, engine: Engine, clock: FixedClock, endorsements: list[str], wrong: dict[str, Any]
) -> None:
    with signed_teams(db_url, engine, clock, endorsements) as teams:
        body = activity(teams.connector.url, "/borger ny Mette Hansen")
        assert teams.post(body, auth=token(body["serviceUrl"], **wrong)) == 401
        assert teams.connector.posts == [] and count(teams.rampe, Staff) == 0
