"""Slow clients: a deadline for a request's headers and a cap on connections still sending them.

aiohttp has no timeout for reading request headers, so a client that opens a connection and
sends its headers a byte at a time holds the connection (and a file descriptor) as long as it
likes, and a few hundred such clients fill the server. Each connection here must deliver its
first request's headers within `header_timeout`; while more than `max_pending` connections are
still waiting for theirs, the oldest is closed. Idle keep-alive connections are aiohttp's to
close (`keepalive_timeout`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from aiohttp import web

log = logging.getLogger("rampe.server")
HEADER_TIMEOUT = 10.0  # seconds from connecting to the end of the first request's headers
MAX_PENDING = 64  # connections still sending their first headers
KEEPALIVE_TIMEOUT = 15.0  # seconds an idle keep-alive connection stays open
MAX_HEAD = 64 * 1024  # bytes; aiohttp refuses larger headers itself


class HeaderGuard(asyncio.Protocol):
    """Wraps aiohttp's protocol for one connection and closes it if its headers are late."""

    def __init__(self, inner: Any, pending: PendingConnections) -> None:
        self.inner = inner
        self.pending = pending
        self.head = b""
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start the header deadline, count the connection as waiting, hand it to aiohttp."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.timer = asyncio.get_running_loop().call_later(
            self.pending.header_timeout, self.close, "headers not received in time"
        )
        self.pending.add(self)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        """Watch for the end of the first request's headers; aiohttp parses as always."""
        if self.timer is not None:
            self.head = (self.head + data)[-MAX_HEAD:]
            if b"\r\n\r\n" in self.head:
                self.headers_done()
        self.inner.data_received(data)

    def headers_done(self) -> None:
        """The headers arrived (or the connection ends): no deadline, no longer waiting."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.head = b""
        self.pending.remove(self)

    def close(self, why: str) -> None:
        """Close a connection whose headers are late (or that was crowded out)."""
        log.info("closing a slow connection: %s", why)
        self.headers_done()
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection and tell aiohttp."""
        self.headers_done()
        self.inner.connection_lost(exc)

    def eof_received(self) -> bool | None:
        """Passed on to aiohttp."""
        result: bool | None = self.inner.eof_received()
        return result

    def pause_writing(self) -> None:
        """Passed on to aiohttp."""
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        """Passed on to aiohttp."""
        self.inner.resume_writing()


class PendingConnections:
    """The connections still sending their first headers, oldest first."""

    def __init__(self, header_timeout: float, max_pending: int) -> None:
        self.header_timeout = header_timeout
        self.max_pending = max_pending
        self.waiting: OrderedDict[int, HeaderGuard] = OrderedDict()

    def add(self, guard: HeaderGuard) -> None:
        """Count a new connection; beyond the cap, close the oldest still waiting."""
        self.waiting[id(guard)] = guard
        while len(self.waiting) > self.max_pending:
            _, oldest = self.waiting.popitem(last=False)
            oldest.close("too many connections still sending headers")

    def remove(self, guard: HeaderGuard) -> None:
        """A connection no longer waiting for its headers."""
        self.waiting.pop(id(guard), None)


async def start_guarded(
    runner: web.AppRunner,
    host: str,
    port: int,
    header_timeout: float = HEADER_TIMEOUT,
    max_pending: int = MAX_PENDING,
) -> asyncio.Server:
    """Listen on host:port with `runner`'s application behind the header guard."""
    pending = PendingConnections(header_timeout, max_pending)
    server = runner.server
    assert server is not None, "call runner.setup() first"
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: HeaderGuard(server(), pending), host or None, port, reuse_address=True
    )
