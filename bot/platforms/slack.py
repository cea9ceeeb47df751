"""Slack: bolt's async app behind our aiohttp server (or over Socket Mode).

Every listener acknowledges first and does the slow part after: the conversation runs in a
worker thread (`Rampe.receive`, one unit of work), replies go to the `response_url`
(ephemeral), the person's DM, a modal or the Home tab. What to answer, and whether a command
opens a form, is decided in the conversation; this module only translates and renders.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import traceback
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.app import Rampe, Redeliver
from bot.core import Action, FormCall, Inbound, Platform, Reply
from bot.forms import FORMS, FieldKind, FormErrors, note_form
from bot.forms import suggest as suggest_values
from bot.home import home_reply
from bot.people import is_known, language_of, remember_address
from bot.platforms import slack_blocks as blocks
from bot.platforms.outage import unavailable
from bot.platforms.slack_modals import (
    CALLBACK_PREFIX,
    error_response,
    form_of,
    form_view,
    submitted_values,
    suggestion_options,
)
from bot.platforms.slack_names import slack_spelling, slash_commands
from bot.platforms.slack_sender import dm_channel, key_metadata, make_client, posted_with_key
from bot.platforms.slack_shape import well_formed
from bot.platforms.slack_signature import is_valid
from kernel.i18n import t

log = logging.getLogger("rampe.slack")
EVENTS_PATH = "/slack/events"
LOG_SHORTCUT = "rampe_log_message"


class _NoBodies(logging.Filter):
    """Bolt puts request bodies (names, notes) in some warnings, and a Web API error's message
    holds Slack's answer: keep the message head and the error's type and place only."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "(" in text or "{" in text:
            text = re.split(r"[({]", text, maxsplit=1)[0].strip() + " (details withheld)"
        if record.exc_info and record.exc_info[1] is not None:
            err = record.exc_info[1]
            frames = traceback.extract_tb(err.__traceback__)
            where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
            text += f" [{type(err).__name__}{where}]"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = text, ()
        return True


def bolt_logger() -> logging.Logger:
    """The base logger bolt copies to its components: WARNING and no bodies."""
    logger = logging.getLogger("slack_bolt.rampe")
    logger.setLevel(max(logging.WARNING, logger.level))
    if not any(isinstance(f, _NoBodies) for f in logger.filters):
        logger.addFilter(_NoBodies())
    logging.getLogger("slack_sdk").setLevel(max(logging.WARNING, logging.getLogger().level))
    return logger


def unescape(text: str) -> str:
    """Slack sends `&`, `<` and `>` typed by a person as entities; store what they typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _team(body: dict[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    return str(body.get("team_id") or body.get("user", {}).get("team_id") or "")


class SlackBot:
    """The bolt app and its listeners, over one Rampe."""

    def __init__(self, rampe: Rampe) -> None:
        self.rampe = rampe
        self.client = make_client(rampe)
        self.known: set[tuple[str, str]] = set()  # (team, user) already staff
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=_secret(rampe.settings.slack_signing_secret) or "socket-mode",
            request_verification_enabled=False,  # `endpoint` checks signatures before bolt
            logger=bolt_logger(),
            process_before_response=False,
        )
        # Message events are acknowledged only once they are answered: if this process dies
        # on one, Slack gets no 200 and delivers it again (`X-Slack-Retry-Num`).
        self.messages = AsyncApp(
            client=self.client,
            signing_secret=_secret(rampe.settings.slack_signing_secret) or "socket-mode",
            request_verification_enabled=False,
            logger=bolt_logger(),
            process_before_response=True,
        )
        self.messages.event("message")(self.on_message)
        self.messages.error(_redeliver_or_fail)
        self._register()

    def t(self, key: str, **params: object) -> str:
        return t(self.rampe.settings.language, key, **params)

    def _register(self) -> None:
        bolt = self.bolt
        for name, _ in slash_commands(self.rampe.commands):
            bolt.command(f"/{name}")(self.on_command)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home)
        bolt.action(re.compile(rf"^{blocks.ACTION_ID}:\d+$"))(self.on_button)
        bolt.options(re.compile(r"^(citizen|company)$"))(self.on_suggest)
        bolt.view_submission(re.compile(rf"^{CALLBACK_PREFIX}"))(self.on_submit)
        bolt.shortcut(LOG_SHORTCUT)(self.on_log_shortcut)

    # --- HTTP --------------------------------------------------------------------------------

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/events: signature first (401 if anything is off), then the body's shape
        (400), then bolt."""
        body = await request.read()
        secret = _secret(self.rampe.settings.slack_signing_secret)
        if not secret or not is_valid(secret, request.headers, body, time.time()):
            return web.Response(status=401, text="invalid signature")
        if (down := await unavailable(self.rampe)) is not None:
            return down
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="not UTF-8")
        if not well_formed(request.content_type, text):
            return web.Response(status=400, text="not a Slack request")
        headers: dict[str, str | Sequence[str]] = {k.lower(): v for k, v in request.headers.items()}
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        app = self.messages if _is_message_event(request.content_type, text) else self.bolt
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    async def socket_mode(self, _app: web.Application) -> AsyncIterator[None]:
        """Connect over Socket Mode for the server's lifetime (no public URL needed)."""
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(self.bolt, _secret(self.rampe.settings.slack_app_token))
        await handler.connect_async()
        yield
        await handler.close_async()

    # --- People ------------------------------------------------------------------------------

    async def inbound(
        self, user: str, team: str, text: str = "", channel: str = "", **more: Any
    ) -> Inbound:
        """An `Inbound` from a Slack user; a new user's name comes from users.info."""
        who = Inbound(Platform.SLACK, user, unescape(text), workspace=team, channel=channel, **more)
        if (team, user) in self.known:
            return who
        if await asyncio.to_thread(is_known, self.rampe, who):
            self.known.add((team, user))
            return who
        return replace(who, display_name=await self._name_from_slack(user))

    async def _name_from_slack(self, user: str) -> str:
        """The person's display name in Slack (their real name, their id if Slack fails)."""
        try:
            info = await self.client.users_info(user=user)
        except SlackApiError:
            log.warning("users.info failed; the new staff member is named by their Slack id")
            return user
        person = info.get("user") or {}
        profile = person.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or ""
        return str(name or person.get("real_name") or person.get("name") or user)

    async def answer(self, who: Inbound, trigger_id: object = None) -> Reply | None:
        """The conversation's answer to render, in a worker thread. None when nothing is left
        to show: a repeated delivery, or a form opened as a modal (which needs a trigger)."""
        reply = await asyncio.to_thread(self.rampe.receive, who)
        if reply is None or reply.form is None:
            return reply
        if trigger_id:
            await self.open_form(str(trigger_id), reply.form, who)
            return None
        button = Action(self.t("form.open"), reply.form.command, primary=True)
        return replace(reply, actions=(*reply.actions, button))

    def message(self, reply: Reply) -> dict[str, Any]:
        return blocks.message(reply, more=self.t("slack.more"))

    async def send_files(self, reply: Reply, user: str, team: str) -> None:
        """Upload a reply's files (reports, charts) into the person's DM, never a channel."""
        if not reply.files:
            return
        channel = await dm_channel(self.rampe, self.client, user, team)
        for attachment in reply.files:
            await self.client.files_upload_v2(
                channel=channel, content=attachment.data, filename=attachment.name,
                title=attachment.name,
            )  # fmt: skip

    async def open_form(self, trigger_id: str, call: FormCall, who: Inbound) -> None:
        """The form as a modal, in the person's language, with its values filled in."""
        lang = await asyncio.to_thread(language_of, self.rampe, who)

        def text(key: str, **params: object) -> str:
            return t(lang, key, **params)

        view = form_view(FORMS[call.form], text, call.values, call.labels)
        await self.client.views_open(trigger_id=trigger_id, view=view)

    # --- Listeners ---------------------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """A slash command: the conversation's answer, or the form it asks for as a modal."""
        await ack()
        name = str(body.get("command", "")).lstrip("/").casefold()
        text = str(body.get("text") or "").strip()
        who = await self.inbound(
            str(body["user_id"]), _team(body), f"/{name} {text}".strip(), body.get("channel_id", "")
        )
        reply = await self.answer(who, body.get("trigger_id"))
        if reply is not None:
            await respond(response_type="ephemeral", **self.message(reply))
            await self.send_files(reply, who.user_id, who.workspace)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A direct message to the bot: the same text as a command, with or without a slash."""
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return  # our own messages, edits and joins are not for us
        if event.get("channel_type") != "im":
            return  # nor are channels: there, Rampe is a slash command
        if not isinstance(event.get("user"), str) or not isinstance(event.get("channel"), str):
            return  # not a person's message (Slack sends a few kinds without a user)
        user, team, channel = str(event["user"]), _team(body), str(event["channel"])
        who = await self.inbound(
            user, team, event.get("text") or "", channel,
            event_id=str(body.get("event_id") or ""), files=len(event.get("files") or []),
        )  # fmt: skip
        reply = await self.answer(who)  # no trigger here: a form comes as a button
        if reply is None:
            return
        await asyncio.to_thread(remember_address, self.rampe, who, {"channel": channel})
        key = f"reply:{who.event_id}"  # a resent answer looks for itself before posting
        if not (reply.resent and await posted_with_key(self.client, channel, key)):
            body = self.message(reply)
            if who.event_id:
                body["metadata"] = key_metadata(key)
            await self.client.chat_postMessage(channel=channel, **body)
            await self.send_files(reply, user, team)
        await asyncio.to_thread(self.rampe.replied, who)

    async def on_button(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """A button: the same as typing its command; the answer replaces the question."""
        await ack()
        who = await self.inbound(str(body["user"]["id"]), _team(body), str(action["value"]))
        reply = await self.answer(who, body.get("trigger_id"))
        if reply is not None:
            await respond(replace_original=True, **self.message(reply))

    async def on_suggest(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Type-ahead for a citizen or company field, scoped to the person."""
        who = await self.inbound(str(body["user"]["id"]), _team(body))
        kind = FieldKind(str(body["action_id"]))
        query = unescape(str(body.get("value") or ""))
        pairs = await asyncio.to_thread(suggest_values, self.rampe, who, kind, query)
        await ack(options=suggestion_options(pairs))

    async def on_submit(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A submitted modal: errors beside their fields, or the confirmation in the DM."""
        form = form_of(view)
        if form is None:
            await ack()
            return
        who = await self.inbound(str(body["user"]["id"]), _team(body))
        try:
            values = submitted_values(view)
            reply = await asyncio.to_thread(self.rampe.submit_form, who, form, values)
        except FormErrors as err:
            await ack(**error_response(err.errors))
            return
        await ack()
        channel = await dm_channel(self.rampe, self.client, who.user_id, who.workspace)
        await self.client.chat_postMessage(channel=channel, **self.message(reply))

    async def on_log_shortcut(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """ "Log som kontakt" on a message: the /log modal with the message as the note."""
        await ack()
        note = str((body.get("message") or {}).get("text") or "")
        who = await self.inbound(str((body.get("user") or {}).get("id", "")), _team(body), note)
        reply = await asyncio.to_thread(note_form, self.rampe, who)
        if reply.form is None:
            await respond(response_type="ephemeral", **self.message(reply))
            return
        await self.open_form(str(body.get("trigger_id", "")), reply.form, who)

    async def on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """The Home tab: caseload, follow-ups due, this week's contacts."""
        if event.get("tab", "home") != "home":
            return
        who = await self.inbound(str(event["user"]), _team(body))
        reply = await asyncio.to_thread(home_reply, self.rampe, who)
        view = {
            "type": "home",
            "blocks": blocks.reply_blocks(
                slack_spelling(reply), blocks.SURFACE_BLOCKS, self.t("slack.more")
            ),
        }
        await self.client.views_publish(user_id=who.user_id, view=view)


SLACK_KEY: web.AppKey[SlackBot] = web.AppKey("slack", SlackBot)


def _is_message_event(content_type: str, text: str) -> bool:
    """True for a `message` event callback (a DM to the bot, among others)."""
    if content_type != "application/json":
        return False
    body = json.loads(text)
    event = body.get("event") if isinstance(body, dict) else None
    return body.get("type") == "event_callback" and (event or {}).get("type") == "message"


async def _redeliver_or_fail(error: Exception) -> BoltResponse:
    """A message event that could not be answered: 503 (Slack delivers it again)."""
    if not isinstance(error, Redeliver):
        log.error("a Slack message event failed: %s", type(error).__name__)
    return BoltResponse(status=503, body="not answered yet", headers={"Retry-After": "30"})


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def add_slack_routes(app: web.Application, rampe: Rampe) -> None:
    """Slack at /slack/events (HTTP mode) and/or over Socket Mode when an app token is set."""
    bot = SlackBot(rampe)
    app[SLACK_KEY] = bot
    if rampe.settings.slack_signing_secret is not None:
        app.router.add_post(EVENTS_PATH, bot.endpoint)
    if rampe.settings.slack_app_token is not None:
        app.cleanup_ctx.append(bot.socket_mode)
