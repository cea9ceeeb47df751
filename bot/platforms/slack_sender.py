"""Talking to Slack's Web API: the client, 429 handling, DM channels, and `SlackSender`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import async_default_handlers
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Inbound, Platform, Recipient, Reply
from bot.people import reach, remember_address
from bot.platforms.slack_blocks import message
from bot.runtime import Runtime
from kernel.i18n import t

MAX_RETRY_AFTER = 60.0  # seconds; a longer wait is Slack telling us to stop for now
EVENT_TYPE = "rampe_delivery"  # the metadata event type that carries a delivery key
LOOKBACK = timedelta(days=3)  # how far back a resumed delivery looks for itself
LOOKBACK_PAGES = 5


@dataclass
class RetryAfter(AsyncRetryHandler):
    """Retry a 429 after exactly the `Retry-After` Slack gave (slack_sdk's adds a random second).

    `waits` keeps every wait, so a benchmark can show how the rate limit was honoured.
    """

    max_retry_count: int = 5
    waits: list[float] = field(default_factory=list)
    pacer: Pacer | None = None  # a retry takes a paced slot too, not a free one

    def __post_init__(self) -> None:
        super().__init__(max_retry_count=self.max_retry_count)

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None
        wait = _retry_after(response.headers)
        self.waits.append(wait)
        state.next_attempt_requested = True
        await asyncio.sleep(wait)
        if self.pacer is not None:
            await self.pacer.wait("", request.url.rstrip("/").rsplit("/", 1)[-1])
        state.increment_current_attempt()


def _retry_after(headers: Mapping[str, list[str] | str]) -> float:
    for name, values in headers.items():
        if name.lower() == "retry-after" and values:
            value = values if isinstance(values, str) else values[0]
            try:
                return min(max(float(value), 0.0), MAX_RETRY_AFTER)
            except ValueError:
                break
    return 1.0


def make_client(rampe: Runtime, retry: RetryAfter | None = None) -> AsyncWebClient:
    """An async Web API client on `SLACK_API_URL` that honours 429s."""
    token = rampe.settings.slack_bot_token
    base_url = rampe.settings.slack_api_url.rstrip("/") + "/"
    return AsyncWebClient(
        token=token.get_secret_value() if token else None,
        base_url=base_url,
        retry_handlers=[*async_default_handlers(), retry or RetryAfter()],
    )


async def dm_channel(rampe: Runtime, client: AsyncWebClient, user: str, team: str) -> str:
    """The user's DM channel with the bot: remembered, or opened and then remembered."""
    who = Inbound(Platform.SLACK, user, "", workspace=team)
    _, address = await asyncio.to_thread(reach, rampe, who)
    if address and address.get("channel"):
        return str(address["channel"])
    opened = await client.conversations_open(users=user)
    channel = str(opened["channel"]["id"])
    await asyncio.to_thread(remember_address, rampe, who, {"channel": channel})
    return channel


class Pacer:
    """Keeps below Slack's limits instead of learning them from 429s.

    Two limits at once: every method has a rate for the whole workspace (`per_method`, calls
    per minute, spread evenly), and a channel takes about one message a second (`interval`).
    Each call books the next free slot of both, so concurrent senders queue instead of
    colliding. A 429 that still comes is retried after its `Retry-After` (see `RetryAfter`).
    """

    def __init__(
        self,
        interval: float,
        per_method: Mapping[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.spacing = {m: 60.0 / n for m, n in (per_method or {}).items() if n > 0}
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}

    def _book(self, slot: str, spacing: float, earliest: float) -> float:
        """The first free moment of `slot` at or after `earliest`; books it."""
        at = max(earliest, self._next.get(slot, 0.0))
        self._next[slot] = at + spacing
        return at

    async def wait(self, channel: str, method: str = "chat.postMessage") -> None:
        """Return when `method` may be called for `channel`, and book that moment."""
        now = self.clock()
        at = now
        if channel and self.interval:
            at = self._book("channel:" + channel, self.interval, now)
        spacing = self.spacing.get(method)
        if spacing:
            at = self._book("method:" + method, spacing, at)
        if at > now:
            await self.sleep(at - now)


class SlackSender:
    """Delivers replies to a person's Slack DM: paced per method and channel, 429s retried.

    Each message carries its delivery key as Slack message metadata, so a sweep that resumes
    an interrupted delivery can look in the channel's recent history and find out whether
    Slack already has it, instead of posting it twice.
    """

    platform = Platform.SLACK

    def __init__(self, rampe: Runtime, client: AsyncWebClient | None = None) -> None:
        self.rampe = rampe
        settings = rampe.settings
        limits = {"chat.postMessage": settings.slack_post_per_minute, "conversations.history": 40}
        self.pacer = Pacer(settings.slack_post_interval, limits)
        self.retry = RetryAfter(pacer=self.pacer)
        self.client = client or make_client(rampe, self.retry)

    async def _channel(self, recipient: Recipient) -> str:
        if self.client.session is None:  # one keep-alive session for a whole batch of nudges
            self.client.session = aiohttp.ClientSession()
        channel = str((recipient.address or {}).get("channel") or "")
        if not channel:
            channel = await dm_channel(
                self.rampe, self.client, recipient.external_id, recipient.workspace
            )
        return channel

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        """Post `reply` to the recipient's DM; raises if Slack refuses it."""
        channel = await self._channel(recipient)
        more = t(recipient.language or self.rampe.settings.language, "slack.more")
        body: dict[str, Any] = dict(message(reply, more=more))
        if reply.delivery_key:
            body["metadata"] = key_metadata(reply.delivery_key)
        await self.pacer.wait(channel)
        await self.client.chat_postMessage(channel=channel, **body)

    async def already_sent(self, recipient: Recipient, key: str) -> bool:
        """True if a message carrying delivery `key` is in the channel's recent history."""
        channel = await self._channel(recipient)

        async def paced() -> None:
            await self.pacer.wait("", "conversations.history")

        return await posted_with_key(self.client, channel, key, paced)

    async def close(self) -> None:
        """Close the HTTP session `send` opened (call it when the sender is done)."""
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None


def key_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata carrying `key`, so a resumed send can find what it posted."""
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


async def posted_with_key(
    client: AsyncWebClient,
    channel: str,
    key: str,
    before_each: Callable[[], Awaitable[None]] | None = None,
) -> bool:
    """True if a message carrying `key` (`key_metadata`) is in the channel's recent history."""
    oldest = f"{time.time() - LOOKBACK.total_seconds():.6f}"
    cursor = None
    for _ in range(LOOKBACK_PAGES):
        if before_each is not None:
            await before_each()
        page = await client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for found in page.get("messages") or []:
            meta = found.get("metadata") or {}
            if meta.get("event_type") == EVENT_TYPE and (
                (meta.get("event_payload") or {}).get("key") == key
            ):
                return True
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return False
