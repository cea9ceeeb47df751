"""Slack over real HTTP: a local fake Slack Web API, the real server, and signed requests.

`FakeSlack` is an aiohttp server on 127.0.0.1 that answers the Web API methods Rampe calls
(and the response_url webhooks), records every call, and can answer 429 with Retry-After.
`SlackServer` runs `build_web_app` for a Rampe pointed at the fake, on a free loopback port,
in a background event loop, and sends it requests signed exactly as Slack signs them.

For a cross-platform dialogue test: `slack_say(server, "U1", "/log mette tlf")` returns the
reply's text and the Web API calls it caused.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from aiohttp import web
from sqlalchemy import Engine

from bot.app import Rampe
from bot.platforms.server import build_web_app
from bot.platforms.slack import SLACK_KEY, SlackBot
from bot.platforms.slack_signature import signature
from kernel.clock import FixedClock
from tests.conftest import make_settings

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T1"
BOT_USER = "UBOT"
WAIT = 15.0  # seconds a test waits for an expected call before failing
T = TypeVar("T")


@dataclass
class Call:
    """One request the fake received: the Web API method (or "respond") and its arguments."""

    method: str
    args: dict[str, Any]
    status: int = 200
    at: float = 0.0


@dataclass
class FakeSlack:
    """A local Slack Web API that records every call."""

    users: dict[str, str] = field(default_factory=dict)  # user id -> display name
    calls: list[Call] = field(default_factory=list)
    channel_interval: float = 0.0  # >0: chat.postMessage to one channel faster gets a 429
    per_second: int = 0  # >0: more chat.postMessage calls than this in a second get a 429
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error to answer
    url: str = ""
    _fail: dict[str, list[str]] = field(default_factory=dict)
    _holds: dict[str, threading.Event] = field(default_factory=dict)
    _last_post: dict[str, float] = field(default_factory=dict)
    _window: list[float] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _socket_out: asyncio.Queue[Any] | None = None
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id -> the uploaded bytes
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> posts
    _after: dict[str, threading.Event] = field(default_factory=dict)
    _lost: dict[str, threading.Event] = field(default_factory=dict)
    via: list[tuple[str, str]] = field(default_factory=list)  # (method, caller) at /via/{caller}

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_route("*", "/via/{via}/api/{method}", self._api)  # who is calling
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        return app

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app (run it on the server's loop)."""
        assert self._socket_out is not None, "no Socket Mode connection"
        await self._socket_out.put(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's Socket Mode end: hello, then envelopes out and acknowledgements in."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket_out = asyncio.Queue()
        await ws.send_json({"type": "hello", "num_connections": 1})
        self._record("socket:hello", {}, 200)
        sender = asyncio.ensure_future(self._socket_pump(ws, self._socket_out))
        async for msg in ws:
            if msg.type == web.WSMsgType.TEXT:
                self._record("socket:ack", json.loads(msg.data), 200)
        sender.cancel()
        return ws

    async def _socket_pump(self, ws: web.WebSocketResponse, out: asyncio.Queue[Any]) -> None:
        while True:
            await ws.send_json(await out.get())

    def fail_next(self, method: str, *retry_after: str) -> None:
        """Answer the next calls of `method` with 429 and these Retry-After values."""
        self._fail.setdefault(method, []).extend(retry_after)

    def hold(self, method: str) -> threading.Event:
        """Keep calls of `method` waiting until the returned event is set."""
        gate = threading.Event()
        self._holds[method] = gate
        return gate

    def lose_next(self, method: str) -> threading.Event:
        """Hold the next call of `method` until the returned event is set, then drop it unread
        (answer 503): the request never reached Slack."""
        gate = threading.Event()
        self._lost[method] = gate
        return gate

    def hold_after(self, method: str) -> threading.Event:
        """Accept calls of `method` (recorded, kept in history) but hold back the answer until
        the returned event is set: the caller cannot know that Slack has the message."""
        gate = threading.Event()
        self._after[method] = gate
        return gate

    def of(self, method: str, status: int = 200) -> list[Call]:
        """Calls of `method` so far that got `status`."""
        with self._cond:
            return [c for c in self.calls if c.method == method and c.status == status]

    def wait(
        self, method: str, count: int = 1, status: int = 200, timeout: float = WAIT
    ) -> list[Call]:
        """Wait until `method` has had `count` calls with `status`; those calls."""
        self.wait_until(
            lambda: len(self._found(method, status)) >= count, f"{count} x {method}", timeout
        )
        return self.of(method, status)

    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
        """Wait until `predicate()` holds; it is checked whenever a call arrives."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    names = sorted({c.method for c in self.calls})
                    raise AssertionError(f"expected {what}; methods called: {names}")
                self._cond.wait(left)

    def _found(self, method: str, status: int) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == status]

    def _record(self, method: str, args: dict[str, Any], status: int) -> None:
        with self._cond:
            self.calls.append(Call(method, args, status, time.monotonic()))
            self._cond.notify_all()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = await request.json()
            return dict(data) if isinstance(data, dict) else {}
        form = await request.post()
        args: dict[str, Any] = dict(request.query)
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
        return args

    async def _upload(self, request: web.Request) -> web.Response:
        """Where files.getUploadURLExternal sends the bytes (Slack's own upload host)."""
        data = await request.read()
        self._record("upload", {"file_id": request.match_info["file_id"], "size": len(data)}, 200)
        self.uploads[request.match_info["file_id"]] = data
        return web.Response(text="OK")

    async def _respond(self, request: web.Request) -> web.Response:
        args = await self._args(request)
        args["key"] = request.match_info["key"]
        self._record("respond", args, 200)
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        if "via" in request.match_info:
            self.via.append((method, request.match_info["via"]))
        lost = self._lost.pop(method, None)
        if lost is not None:
            self._record(f"{method}:lost", args, 503)
            await asyncio.to_thread(lost.wait, WAIT * 4)
            return web.Response(status=503)
        gate = self._holds.get(method)
        if gate is not None:
            self._record(f"{method}:held", args, 200)
            await asyncio.to_thread(gate.wait, WAIT)
        retry_after = self._rate_limited(method, args)
        if retry_after is not None:
            self._record(method, args, 429)
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers={"Retry-After": retry_after})
        if method in self.errors:
            self._record(method, args, 200)
            return web.json_response({"ok": False, "error": self.errors[method]})
        answer = self._answer(method, args)
        self._record(method, args, 200)
        after = self._after.get(method)
        if after is not None:
            await asyncio.to_thread(after.wait, WAIT * 4)
        return web.json_response(answer)

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        """chat.postMessage: keep the message (and its metadata) in the channel's history."""
        channel = str(args.get("channel", ""))
        metadata = args.get("metadata")
        if isinstance(metadata, str):  # form-encoded calls send it as JSON text
            metadata = json.loads(metadata)
        ts = f"{time.time():.6f}"
        post = {"type": "message", "ts": ts, "text": args.get("text"), "metadata": metadata}
        self.history.setdefault(channel, []).insert(0, post)
        return {"channel": channel, "ts": ts}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: newest first, metadata only when asked for, as Slack does."""
        posts = self.history.get(str(args.get("channel", "")), [])
        oldest = float(args.get("oldest") or 0)
        with_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        limit = int(args.get("limit") or 100)
        found = [
            {k: v for k, v in p.items() if with_meta or k != "metadata"}
            for p in posts
            if float(p["ts"]) >= oldest
        ]
        return {"messages": found[:limit], "has_more": len(found) > limit}

    def _rate_limited(self, method: str, args: dict[str, Any]) -> str | None:
        pending = self._fail.get(method)
        if pending:
            return pending.pop(0)
        if method != "chat.postMessage":
            return None
        now = time.monotonic()
        channel = str(args.get("channel", ""))
        if self.channel_interval and now - self._last_post.get(channel, -1e9) < (
            self.channel_interval * 0.95
        ):
            return "1"
        if self.per_second:
            self._window = [t for t in self._window if now - t < 1.0]
            if len(self._window) >= self.per_second:
                return "1"
            self._window.append(now)
        self._last_post[channel] = now
        return None

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user") or args.get("users") or "")
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {"user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM, "team": "Test"},
            "users.info": {
                "user": {
                    "id": user,
                    "name": user.lower(),
                    "profile": {"display_name": self.users.get(user, ""), "real_name": user},
                }
            },
            "conversations.open": {"channel": {"id": "D" + user}},
            "files.getUploadURLExternal": {
                "upload_url": f"{self.url}/upload/F{len(self.uploads) + 1}",
                "file_id": f"F{len(self.uploads) + 1}",
            },
            "files.completeUploadExternal": {"files": [{"id": "F1", "title": args.get("title")}]},
            "chat.postMessage": self._post(args) if method == "chat.postMessage" else {},
            "conversations.history": self._history(args)
            if method == "conversations.history"
            else {},
            "chat.postEphemeral": {"message_ts": f"1.{next(self._ts)}"},
            "views.open": {"view": {"id": "V1"}},
            "views.publish": {"view": {"id": "V2"}},
            "apps.connections.open": {"url": self.url.replace("http", "ws", 1) + "/socket"},
        }
        return {"ok": True, **answers.get(method, {})}


SlackPayload = tuple[str, str, Any]  # (name, kind, value) as support_validators checks them
MESSAGE_BLOCKS, SURFACE_BLOCKS, SECTION_TEXT, ACTION_ELEMENTS = 50, 100, 3000, 25


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def slack_payloads(calls: list[Call]) -> list[SlackPayload]:
    """Every message, response, view and option list Rampe sent to the fake, by kind."""
    out: list[SlackPayload] = []
    for i, call in enumerate(calls):
        name = f"{i}:{call.method}"
        if call.method in ("chat.postMessage", "respond") and "blocks" in call.args:
            value = {"text": call.args.get("text", ""), "blocks": _decoded(call.args["blocks"])}
            out.append((name, "message", value))
        elif call.method in ("views.open", "views.publish"):
            out.append((name, "view", _decoded(call.args["view"])))
    return out


def limit_problems(payloads: list[SlackPayload]) -> list[str]:
    """Slack's limits no schema holds: 50 blocks a message (100 in a view), 3,000 characters a
    section's text, 25 elements an actions block."""
    problems = []
    for name, kind, value in payloads:
        blocks = value.get("blocks", [])
        most = MESSAGE_BLOCKS if kind == "message" else SURFACE_BLOCKS
        if len(blocks) > most:
            problems.append(f"{name}: {len(blocks)} blocks")
        for block in blocks:
            text = (block.get("text") or {}).get("text", "")
            if block.get("type") == "section" and len(text) > SECTION_TEXT:
                problems.append(f"{name}: a section of {len(text)} characters")
            if block.get("type") == "actions" and len(block["elements"]) > ACTION_ELEMENTS:
                problems.append(f"{name}: {len(block['elements'])} elements in one actions block")
    return problems


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text in `blocks`, in order: sections, fields, headers, context and buttons."""
    out: list[str] = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(f["text"] for f in block.get("fields", ()))
        for element in block.get("elements", ()):
            text = element.get("text")
            out.append(text["text"] if isinstance(text, dict) else str(text))
    return out


def delivery_key(call: Call) -> object:
    """The delivery key Rampe put in a posted message's metadata (None without one)."""
    return (call.args.get("metadata") or {}).get("event_payload", {}).get("key")


def reply_text(call: Call) -> str:
    """The visible text of a posted message or response_url answer."""
    return "\n".join(block_texts(call.args.get("blocks") or [])) or str(call.args.get("text"))


def signed_headers(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    """The headers Slack sends with `body`, signed with the test signing secret, now."""
    ts = timestamp or str(int(time.time()))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(SECRET, ts, body)}


class SlackServer:
    """The real server with Slack configured, on a free loopback port, against a FakeSlack."""

    def __init__(self, db_url: str, engine: Engine, clock: FixedClock, **settings: Any) -> None:
        self.fake = FakeSlack(users={"U1": "Anna Berg", "U2": "Bo Holm"})
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._runners: list[web.AppRunner] = []
        fake_url = self.run(self._serve(self.fake.app()))
        self.fake.url = fake_url
        values = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake_url + "/api/",
            "SLACK_POST_INTERVAL": 0,
            **settings,
        }
        self.rampe = Rampe(
            make_settings(db_url, **values), engine=engine, clock=clock, upgrade=False
        )
        self.web_app = build_web_app(self.rampe)
        self.url = self.run(self._serve(self.web_app)) + "/slack/events"
        self._ids = itertools.count(1)

    @property
    def bot(self) -> SlackBot:
        return self.web_app[SLACK_KEY]

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = WAIT * 4) -> T:
        """Run `coro` on the server's event loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _serve(self, app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self.run(self._drain())  # listeners still at work need the fake to finish
        for runner in reversed(self._runners):
            self.run(runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(WAIT)
        problems = limit_problems(slack_payloads(self.fake.calls))
        assert not problems, f"beyond Slack's limits: {problems[:3]}"

    async def _drain(self) -> None:
        """Let listeners still running after the last response finish (or cancel them).

        Bolt runs each listener after its ack as a task of `run_ack_function_asynchronously`.
        """
        tasks = [
            t
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task() and "run_ack_function" in repr(t.get_coro())
        ]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=WAIT)
            for task in pending:
                task.cancel()

    # --- Requests as Slack sends them --------------------------------------------------------

    def post(
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST `body` to /slack/events; signed unless `headers` are given. (status, body)."""
        sent = {"Content-Type": content_type, **(headers or signed_headers(body))}
        request = urllib.request.Request(self.url, data=body, headers=sent, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def response_url(self) -> str:
        return f"{self.fake.url}/respond/{next(self._ids)}"

    def command(
        self, command: str, text: str = "", user: str = "U1", channel: str = "C1"
    ) -> tuple[int, str]:
        """A slash command, form-encoded as Slack sends it."""
        fields = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": self.response_url(),
            "trigger_id": f"trigger-{next(self._ids)}",
        }
        body = urllib.parse.urlencode(fields).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> tuple[int, str]:
        """An Events API callback as JSON; `retry` adds X-Slack-Retry-Num as Slack's retries do."""
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids)}",
            "event_time": int(time.time()),
        }
        body = json.dumps(envelope).encode()
        headers = signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers)

    def dm(self, text: str, user: str = "U1", **extra: Any) -> tuple[int, str]:
        """A direct message to the bot."""
        event = {
            "type": "message",
            "channel": "D" + user,
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "channel_type": "im",
            **extra,
        }
        return self.event(event)

    def interactive(self, payload: dict[str, Any], user: str = "U1") -> tuple[int, str]:
        """An interactive payload (buttons, modals, shortcuts, suggestions), form-encoded."""
        payload = {
            "user": {"id": user, "team_id": TEAM, "name": user.lower()},
            "team": {"id": TEAM, "domain": "test"},
            "api_app_id": "A1",
            "token": "legacy",
            **payload,
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def click(self, call: Call, label: str, user: str = "U1") -> tuple[int, str]:
        """Click the button labelled `label` in a message the bot sent."""
        for block in call.args.get("blocks") or []:
            for element in block.get("elements", ()):
                if element.get("type") == "button" and element["text"]["text"] == label:
                    action = {**element, "block_id": "b", "action_ts": "1"}
                    return self.interactive(
                        {
                            "type": "block_actions",
                            "trigger_id": f"trigger-{next(self._ids)}",
                            "response_url": self.response_url(),
                            "container": {"type": "message", "is_ephemeral": True},
                            "channel": {"id": "C1"},
                            "actions": [action],
                        },
                        user,
                    )
        raise AssertionError(f"no button {label!r} in {block_texts(call.args.get('blocks', []))}")


@pytest.fixture
def slack(db_url: str, engine: Engine, clock: FixedClock) -> Iterator[SlackServer]:
    """The real server with Slack configured, and the fake Slack it talks to."""
    server = SlackServer(db_url, engine, clock)
    try:
        yield server
    finally:
        server.close()


def slack_say(server: SlackServer, user: str, text: str) -> tuple[str, list[Call]]:
    """Send `text` as a DM from `user`; the bot's reply text and the calls it caused.

    For cross-platform dialogue tests: `assert "Mette" in slack_say(slack, "U1", "/borger
    mette")[0]`. Waits for the bot's chat.postMessage to the user's DM channel.
    """
    fake = server.fake
    channel = "D" + user
    before = len(fake.calls)

    def replies() -> list[Call]:
        return [
            c
            for c in fake.calls[before:]
            if c.method == "chat.postMessage" and c.status == 200 and c.args["channel"] == channel
        ]

    status, _ = server.dm(text, user)
    assert status == 200
    fake.wait_until(lambda: bool(replies()), f"a reply to {user}")
    return reply_text(replies()[0]), fake.calls[before:]
