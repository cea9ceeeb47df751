"""Teams test kit: a local fake Bot Framework connector, the real server on a loopback port,
Activity JSON as Teams sends it, and `teams_say` for dialogue tests.

The server is `build_web_app(rampe)` under an aiohttp runner, started in a background event
loop; replies go to the fake connector because every activity's `serviceUrl` points at it.
Import the fixtures `teams_settings` (named `settings`: Teams settings on both databases) and
`teams_server` (named `teams`) into a test module to use them.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from aiohttp import ClientSession, web
from botframework.connector.auth import MicrosoftAppCredentials, ServiceClientCredentialsFactory
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Platform, Recipient, Sender
from bot.platforms.server import build_web_app
from bot.platforms.teams import TeamsSender
from bot.platforms.teams_size import MESSAGE_LIMIT, utf16_size
from bot.scheduler.delivery import recipient_for
from kernel.settings import Settings
from store.db import make_engine, make_session_factory, unit_of_work
from store.models import StaffIdentity
from tests import support_validators as validators
from tests.conftest import make_settings

T = TypeVar("T")
APP_ID = "00000000-0000-0000-0000-0000000000b2"
BOT_ID = "28:rampe-bot"
TENANT = "tenant-1"
_ids = itertools.count(1)


@pytest.fixture(name="settings")
def teams_settings(db_url: str) -> Settings:
    """Teams in local-development mode, accepting only the loopback fake connector."""
    return make_settings(
        db_url,
        TEAMS_ALLOW_UNAUTHENTICATED=True,
        TEAMS_SERVICE_HOSTS="127.0.0.1,localhost",
        TEAMS_UPLOAD_HOSTS="127.0.0.1",  # the fake's uploads; `localhost` is a host refused
    )


class Loop:
    """An asyncio loop in a daemon thread, so synchronous tests can drive async servers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@dataclass
class Post:
    """One request the fake connector received."""

    path: str
    body: dict[str, Any]
    authorization: str | None


@dataclass
class Upload:
    """One PUT into the fake's OneDrive upload session."""

    path: str
    headers: dict[str, str]
    data: bytes


@dataclass
class FakeConnector:
    """Answers like the Bot Framework connector and records every POST; also stands in for the
    OneDrive upload session a file consent opens (`PUT /upload/{name}`, recorded in `uploads`)."""

    posts: list[Post] = field(default_factory=list)
    url: str = ""
    blocked: set[str] = field(default_factory=set)  # conversation ids answered 403
    lookups: list[str] = field(default_factory=list)  # member ids asked for by GET
    uploads: list[Upload] = field(default_factory=list)
    upload_status: int = 201  # what OneDrive answers a completed upload
    gate: threading.Event | None = None  # while set up and not set, activities wait for it
    held: int = 0  # activities that waited at the gate
    lost: list[Post] = field(default_factory=list)  # whose sender went away while they waited

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._activity)
        app.router.add_post("/v3/conversations/{cid}/activities", self._activity)
        app.router.add_post("/v3/conversations", self._conversation)
        app.router.add_get("/v3/conversations/{cid}/members/{mid}", self._member)
        app.router.add_put("/upload/{name}", self._upload)
        return app

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        self.uploads.append(Upload(request.path, dict(request.headers), data))
        item = {"id": f"item-{len(self.uploads)}", "name": request.match_info["name"]}
        return web.json_response({**item, "size": len(data)}, status=self.upload_status)

    async def _member(self, request: web.Request) -> web.Response:
        """A member as Teams describes one: `29:anna` is Anna, as in `activity()`."""
        member_id = request.match_info["mid"]
        self.lookups.append(member_id)
        user = member_id.removeprefix("29:")
        return web.json_response(
            {"id": member_id, "name": user.title(), "aadObjectId": f"aad-{user}"}
        )

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.gate is not None and not self.gate.is_set():
            self.held += 1
            await asyncio.to_thread(self.gate.wait, 60)
            if request.transport is None or request.transport.is_closing():
                # the sender died while it waited: the connector never took the message
                self.lost.append(Post(request.path, body, request.headers.get("Authorization")))
                return web.Response(status=503)
        self._record(request, body)
        if utf16_size(body) > MESSAGE_LIMIT:  # as the connector answers a message too large
            error = {"code": "MessageSizeTooBig", "message": "Activity body too large"}
            return web.json_response({"error": error}, status=413)
        if request.match_info["cid"] in self.blocked:  # as when a user has blocked the bot
            error = {"code": "ConversationBlockedByUser", "message": "User blocked the bot"}
            return web.json_response({"error": error}, status=403)
        return web.json_response({"id": f"sent-{len(self.posts)}"})

    async def _conversation(self, request: web.Request) -> web.Response:
        self._record(request, await request.json())
        return web.json_response({"id": "a:new-conversation", "activityId": "sent-0"})

    def _record(self, request: web.Request, body: dict[str, Any]) -> None:
        self.posts.append(Post(request.path, body, request.headers.get("Authorization")))


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)  # port 0: the OS picks a free port
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@dataclass
class TeamsServer:
    """The running Rampe server and its fake connector."""

    loop: Loop
    url: str
    connector: FakeConnector
    rampe: Rampe

    def post(
        self, body: Any, *, content_type: str = "application/json", auth: str | None = None
    ) -> int:
        """POST to /api/messages; the HTTP status."""
        return self.loop.run(self._post(body, content_type, auth))

    async def _post(self, body: Any, content_type: str, auth: str | None) -> int:
        import json

        data = body if isinstance(body, bytes | str) else json.dumps(body)
        headers = {"Content-Type": content_type}
        if auth is not None:
            headers["Authorization"] = auth
        async with (
            ClientSession() as client,
            client.post(f"{self.url}/api/messages", data=data, headers=headers) as resp,
        ):
            return resp.status


@contextmanager
def serve_app(app: web.Application) -> Iterator[str]:
    """Serve any aiohttp application on a free loopback port until exit; its base URL."""
    loop = Loop()
    try:
        runner, url = loop.run(_serve(app))
        try:
            yield url
        finally:
            loop.run(runner.cleanup())
    finally:
        loop.close()


@contextmanager
def serve_teams(rampe: Rampe) -> Iterator[TeamsServer]:
    """Run `build_web_app(rampe)` and a fake connector on free loopback ports until exit."""
    loop = Loop()
    connector = FakeConnector()
    try:
        connector_runner, connector.url = loop.run(_serve(connector.app()))
        runner, url = loop.run(_serve(build_web_app(rampe)))
        try:
            yield TeamsServer(loop, url, connector, rampe)
        finally:
            loop.run(runner.cleanup())
            loop.run(connector_runner.cleanup())
    finally:
        loop.close()
    check_cards(connector.posts)


def check_cards(posts: list[Post]) -> None:
    """Every Adaptive Card Rampe sent, parsed and validated by Microsoft's `adaptivecards` with
    Teams' limit of 6 actions: run after every test that serves Teams."""
    if not validators.installed():
        return  # test_platform_validators says why, and fails under CI
    sent = [card for post in posts for card in cards(post)]
    problems = [(c, e) for c, e in zip(sent, validators.card_errors(sent), strict=True) if e]
    assert not problems, f"adaptivecards refuses {len(problems)} card(s): {problems[0]}"


@pytest.fixture(name="teams")
def teams_server(app: Rampe) -> Iterator[TeamsServer]:
    """The real server (build_web_app) and a fake connector, both on free loopback ports."""
    with serve_teams(app) as server:
        yield server


def activity(
    service_url: str,
    text: str | None = None,
    *,
    user: str = "anna",
    value: dict[str, Any] | None = None,
    channel: bool = False,
) -> dict[str, Any]:
    """A message Activity as Teams posts it: 1:1 by default, or in a channel with an @mention."""
    if channel:
        conversation = {
            "id": "19:general@thread.tacv2;messageid=1700000000000",
            "conversationType": "channel",
            "tenantId": TENANT,
        }
    else:
        conversation = {
            "id": f"a:personal-{user}",
            "conversationType": "personal",
            "tenantId": TENANT,
        }
    body: dict[str, Any] = {
        "type": "message",
        "id": f"in-{next(_ids)}",
        "timestamp": "2026-11-23T08:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url.rstrip("/") + "/",
        "from": {"id": f"29:{user}", "name": user.title(), "aadObjectId": f"aad-{user}"},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": "Rampe"},
        "locale": "da-DK",
        "channelData": {"tenant": {"id": TENANT}},
    }
    if text is not None:
        body["text"] = f"<at>Rampe</at> {text}" if channel else text
        body["textFormat"] = "plain"
    if channel:
        mention = {"id": BOT_ID, "name": "Rampe"}
        body["entities"] = [{"type": "mention", "mentioned": mention, "text": "<at>Rampe</at>"}]
    if value is not None:
        body["value"] = value
    return body


def install_activity(
    service_url: str,
    action: str = "add",
    *,
    user: str = "anna",
    channel: bool = False,
    kind: str = "installationUpdate",
) -> dict[str, Any]:
    """The app installed or removed, as Teams announces it: `installationUpdate` with an action,
    or `conversationUpdate` with the bot in `membersAdded`. Like Teams, `from` has no name."""
    body = activity(service_url, user=user, channel=channel)
    body.pop("entities", None)
    body["type"] = kind
    del body["from"]["name"]
    if kind == "installationUpdate":
        body["action"] = action
    else:
        body["membersAdded"] = [{"id": BOT_ID}]
    if channel:  # the team itself, not one message's thread in it
        team = body["conversation"]["id"].split(";")[0]
        body["conversation"]["id"] = team
        body["channelData"]["team"] = {"id": team}
    return body


FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


def attachments_of(post: Post, content_type: str) -> list[dict[str, Any]]:
    """The attachments of one content type that a posted activity carries."""
    return [a for a in post.body.get("attachments") or [] if a.get("contentType") == content_type]


def consent_invoke(
    service_url: str,
    card: dict[str, Any],
    action: str = "accept",
    *,
    upload_url: str = "",
    user: str = "anna",
) -> dict[str, Any]:
    """The invoke Teams sends when `user` accepts or declines a consent card `card` (the
    attachment as posted): the card's context back and, on accept, where to upload."""
    body = activity(service_url, user=user)
    body.update(type="invoke", name="fileConsent/invoke")
    content = card["content"]
    value: dict[str, Any] = {"type": "fileUpload", "action": action}
    value["context"] = content["acceptContext" if action == "accept" else "declineContext"]
    if action == "accept":
        name = card["name"]
        value["uploadInfo"] = {
            "name": name,
            "uploadUrl": upload_url or f"{service_url.rstrip('/')}/upload/{name}",
            "contentUrl": f"https://contoso-my.sharepoint.com/personal/anna/Documents/{name}",
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "fileType": name.rsplit(".", 1)[-1],
        }
    body["value"] = value
    return body


def cards(post: Post) -> list[dict[str, Any]]:
    """The Adaptive Cards a posted activity carries."""
    return [a["content"] for a in attachments_of(post, "application/vnd.microsoft.card.adaptive")]


_UNESCAPE = re.compile(r"\\([\\`*_~\[\]{}<>|\-+#=.)])")


def unescape(text: str) -> str:
    """Undo the card renderer's markdown escapes: what a person reads."""
    return _UNESCAPE.sub(r"\1", text)


def posted_text(post: Post) -> str:
    """A posted reply read as plain text, laid out like `Reply.as_text()` (cards included)."""
    if not cards(post):
        return str(post.body.get("text") or "")
    out: list[str] = []
    for card in cards(post):
        out.extend(_card_lines(card))
    return "\n".join(out)


def _card_lines(card: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for item in card.get("body", []):
        kind = item.get("type")
        text = unescape(item.get("text", ""))
        if kind == "TextBlock" and item.get("separator"):
            out.append(f"{text}:")
        elif kind == "TextBlock":
            out.append(f"  {text}" if item.get("spacing") == "small" else text)
        elif kind == "FactSet":
            facts = [(unescape(f["title"]), unescape(f["value"])) for f in item["facts"]]
            width = max(len(label) for label, _ in facts)
            out.extend(f"  {label.ljust(width)}  {value}" for label, value in facts)
        elif kind and kind.startswith("Input."):
            out.append(f"[{item['id']}: {item.get('label', '')}]")
    buttons = [a["title"] for a in card.get("actions", []) if a.get("type") == "Action.Submit"]
    if buttons and "data" in card["actions"][0] and "command" in card["actions"][0]["data"]:
        out.append("  ".join(f"[{b}]" for b in buttons))
    return out


def teams_say(
    server: TeamsServer,
    user: str,
    text: str | None = None,
    *,
    value: dict[str, Any] | None = None,
    channel: bool = False,
) -> tuple[str, list[Post]]:
    """Send one Teams message (or card submit) as `user` over HTTP to the running server.

    Returns the reply read as plain text (see `posted_text`) and every connector POST the turn
    caused. For the cross-platform dialogue test: `teams_say(teams, "anna", "/caseload")[0]`
    reads like `chat("/caseload")` in the local chat.
    """
    body = activity(server.connector.url, text, user=user, value=value, channel=channel)
    posts = deliver(server, body)
    return "\n".join(posted_text(p) for p in posts), posts


def deliver(server: TeamsServer, body: dict[str, Any], status: int = 201) -> list[Post]:
    """POST one activity to the running server; every connector POST the turn caused."""
    before = len(server.connector.posts)
    answered = server.post(body)
    assert answered == status, f"/api/messages answered {answered}"
    return server.connector.posts[before:]


class FixedTokenCredentials(MicrosoftAppCredentials):
    """App credentials whose token is a fixed string (no login.microsoftonline.com here)."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "test-token"


class RecordingCredentialsFactory(ServiceClientCredentialsFactory):
    """Bot Framework's credentials hook, recording every time a token is asked for."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.requests: list[str] = []

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> MicrosoftAppCredentials:
        self.requests.append(oauth_scope)
        return FixedTokenCredentials(app_id, "", oauth_scope=oauth_scope)


def stored_recipient(db_url: str) -> Recipient:
    """Anna's Teams recipient, read through a new engine: nothing is shared with the server."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            identity = session.scalars(
                select(StaffIdentity).where(StaffIdentity.platform == "teams")
            ).one()
            found = recipient_for(identity.staff, {Platform.TEAMS})  # as the scheduler finds it
            assert found is not None
            return found
    finally:
        engine.dispose()


def fresh_sender(db_url: str) -> tuple[TeamsSender, RecordingCredentialsFactory]:
    """A sender as the scheduler process builds it, with an app id: tokens would be sent."""
    credentials = RecordingCredentialsFactory(APP_ID)
    settings = make_settings(
        db_url, MICROSOFT_APP_ID=APP_ID, TEAMS_SERVICE_HOSTS="127.0.0.1,smba.trafficmanager.net"
    )
    sender: Sender = TeamsSender.from_settings(settings, credentials)  # mypy checks the protocol
    assert isinstance(sender, TeamsSender) and sender.platform is Platform.TEAMS
    return sender, credentials
