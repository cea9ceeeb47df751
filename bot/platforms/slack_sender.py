"""Talking to Slack's Web API: the client, 429 handling, DM channels, and `SlackSender`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import async_default_handlers
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Rampe
from bot.core import Platform, Recipient, Reply
from bot.platforms.slack_blocks import message
from kernel.i18n import t
from store.staff import set_address, staff_by_identity

MAX_RETRY_AFTER = 60.0  # seconds; a longer wait is Slack telling us to stop for now


@dataclass
class RetryAfter(AsyncRetryHandler):
    """Retry a 429 after exactly the `Retry-After` Slack gave (slack_sdk's adds a random second).

    `waits` keeps every wait, so a benchmark can show how the rate limit was honoured.
    """

    max_retry_count: int = 5
    waits: list[float] = field(default_factory=list)

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


def make_client(rampe: Rampe, retry: RetryAfter | None = None) -> AsyncWebClient:
    """An async Web API client on `SLACK_API_URL` that honours 429s."""
    token = rampe.settings.slack_bot_token
    base_url = rampe.settings.slack_api_url.rstrip("/") + "/"
    return AsyncWebClient(
        token=token.get_secret_value() if token else None,
        base_url=base_url,
        retry_handlers=[*async_default_handlers(), retry or RetryAfter()],
    )


def stored_dm(rampe: Rampe, user: str, team: str) -> str | None:
    """The DM channel remembered for a Slack user, if any."""
    with rampe.unit_of_work() as session:
        staff = staff_by_identity(session, Platform.SLACK, user, team)
        if staff is None:
            return None
        for identity in staff.identities:
            if identity.platform == Platform.SLACK and identity.address:
                return str(identity.address.get("channel") or "") or None
    return None


def remember_dm(rampe: Rampe, user: str, team: str, channel: str) -> None:
    """Keep the user's DM channel on their identity, for nudges later."""
    with rampe.unit_of_work() as session:
        staff = staff_by_identity(session, Platform.SLACK, user, team)
        if staff is not None:
            set_address(session, staff, Platform.SLACK, {"channel": channel})


async def dm_channel(rampe: Rampe, client: AsyncWebClient, user: str, team: str) -> str:
    """The user's DM channel with the bot: remembered, or opened and then remembered."""
    known = await asyncio.to_thread(stored_dm, rampe, user, team)
    if known:
        return known
    opened = await client.conversations_open(users=user)
    channel = str(opened["channel"]["id"])
    await asyncio.to_thread(remember_dm, rampe, user, team, channel)
    return channel


class Pacer:
    """At most one message per `interval` seconds to each channel (Slack's posting limit)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, channel: str) -> None:
        """Return when a message may be posted to `channel`, and book that slot."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            delay = self._next.get(channel, 0.0) - self.clock()
            if delay > 0:
                await self.sleep(delay)
            self._next[channel] = self.clock() + self.interval


class SlackSender:
    """Delivers replies to a person's Slack DM: paced per channel, 429s retried."""

    platform = Platform.SLACK

    def __init__(self, rampe: Rampe, client: AsyncWebClient | None = None) -> None:
        self.rampe = rampe
        self.retry = RetryAfter()
        self.client = client or make_client(rampe, self.retry)
        self.pacer = Pacer(rampe.settings.slack_post_interval)

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        """Post `reply` to the recipient's DM; raises if Slack refuses it."""
        if self.client.session is None:  # one keep-alive session for a whole batch of nudges
            self.client.session = aiohttp.ClientSession()
        address = recipient.address or {}
        channel = str(address.get("channel") or "")
        if not channel:
            channel = await dm_channel(
                self.rampe, self.client, recipient.external_id, recipient.workspace
            )
        more = t(self.rampe.settings.language, "slack.more")
        await self.pacer.wait(channel)
        await self.client.chat_postMessage(channel=channel, **message(reply, more=more))

    async def close(self) -> None:
        """Close the HTTP session `send` opened (call it when the sender is done)."""
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None
