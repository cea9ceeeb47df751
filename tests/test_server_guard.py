"""The server's guard against slow clients: a deadline for headers, a cap on waiting ones."""

from __future__ import annotations

import asyncio
import socket
import time

from aiohttp import web

from bot.platforms.server_guard import start_guarded
from tests.support_teams import Loop

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


async def _ok(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


def _start(
    loop: Loop, timeout: float, max_pending: int
) -> tuple[web.AppRunner, asyncio.Server, int]:
    async def start() -> tuple[web.AppRunner, asyncio.Server, int]:
        app = web.Application()
        app.router.add_get("/healthz", _ok)
        runner = web.AppRunner(app)
        await runner.setup()
        server = await start_guarded(runner, "127.0.0.1", 0, timeout, max_pending)
        return runner, server, server.sockets[0].getsockname()[1]

    return loop.run(start())


def _stop(loop: Loop, runner: web.AppRunner, server: asyncio.Server) -> None:
    async def stop() -> None:
        server.close()
        await runner.cleanup()

    loop.run(stop())
    loop.close()


def _closed(sock: socket.socket, within: float) -> bool:
    """True if the server closes `sock` within `within` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(REQUEST)
        return sock.recv(1024)


def test_a_client_slow_with_its_headers_is_cut_off_and_others_are_served() -> None:
    loop = Loop()
    runner, server, port = _start(loop, timeout=0.5, max_pending=10)
    try:
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        started = time.monotonic()
        assert _get(port).startswith(b"HTTP/1.1 200")  # meanwhile others are served
        assert _closed(slow, 5.0)
        assert 0.4 < time.monotonic() - started < 5.0
        slow.close()
        quick = socket.create_connection(("127.0.0.1", port))
        quick.sendall(REQUEST)
        assert quick.recv(1024).startswith(b"HTTP/1.1 200")  # in time: answered, not cut off
        quick.close()
    finally:
        _stop(loop, runner, server)


def test_beyond_the_cap_the_oldest_waiting_connection_is_closed() -> None:
    loop = Loop()
    runner, server, port = _start(loop, timeout=30.0, max_pending=2)
    try:
        waiting = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        for sock in waiting:
            sock.sendall(b"GET / HTTP/1.1\r\n")
            time.sleep(0.1)
        assert _closed(waiting[0], 5.0)  # the oldest made room
        assert not _closed(waiting[2], 0.3)
        assert _get(port).startswith(b"HTTP/1.1 200")  # and a real request still gets through
        for sock in waiting:
            sock.close()
    finally:
        _stop(loop, runner, server)
