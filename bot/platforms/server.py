"""`rampe serve`: one aiohttp server for Slack (/slack/events), Teams (/api/messages), and
liveness, readiness and metrics (/healthz, /readyz, /metrics). Each platform adds its own
routes; this module only wires them."""

from __future__ import annotations

import asyncio
import logging
import signal
import traceback
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.app import Rampe
from bot.core import Platform, Sender
from bot.platforms.lifecycle import GracefulStop
from bot.platforms.metrics_http import count_requests, metrics
from bot.platforms.server_guard import KEEPALIVE_TIMEOUT, start_guarded

log = logging.getLogger("rampe.server")
RAMPE_KEY: web.AppKey[Rampe] = web.AppKey("rampe", Rampe)
MAX_BODY = 1024 * 1024


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process serves requests (a load balancer restarts it when this fails)."""
    return web.json_response({"ok": True})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: 503 while the database does not answer (send traffic elsewhere meanwhile)."""
    rampe = request.app[RAMPE_KEY]
    if not await asyncio.to_thread(rampe.database_ready):
        return web.json_response({"ok": False, "database": "unavailable"}, status=503)
    return web.json_response({"ok": True, "database": "ok"})


@web.middleware
async def contain_faults(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A fault escaping a handler becomes a bare 500, logged by its type and place only:
    aiohttp would log the whole traceback, and an exception's text may quote a name or a note."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as err:
        frames = traceback.extract_tb(err.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error("%s %s failed: %s at %s", request.method, request.path, type(err).__name__, where)
        return web.Response(status=500, text="internal error")


def build_web_app(rampe: Rampe) -> web.Application:
    """The aiohttp application with every configured platform's routes."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[contain_faults, count_requests])
    app[RAMPE_KEY] = rampe
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    if rampe.settings.slack_configured:
        from bot.platforms.slack import add_slack_routes

        add_slack_routes(app, rampe)
    if rampe.settings.teams_configured:
        from bot.platforms.teams import add_teams_routes

        add_teams_routes(app, rampe)
    return app


def platform_senders(rampe: Rampe) -> dict[Platform, Sender]:
    """Where nudges and digests can go: the local chat's outbox, Slack and Teams if configured."""
    from bot.scheduler.runner import default_senders

    senders = default_senders(rampe)
    if rampe.settings.slack_configured:
        from bot.platforms.slack_sender import SlackSender

        senders[Platform.SLACK] = SlackSender(rampe)
    if rampe.settings.teams_configured:
        from bot.platforms.teams import TeamsSender

        senders[Platform.TEAMS] = TeamsSender.from_settings(rampe.settings)
    return senders


def run_server(rampe: Rampe, senders: dict[Platform, Sender] | None = None) -> None:
    """Serve until interrupted, with the follow-up scheduler running beside the server."""
    from bot.scheduler.runner import start_scheduler

    settings = rampe.settings
    web_app = build_web_app(rampe)  # refuses a configuration it must not serve, before anything
    scheduler = start_scheduler(rampe, senders or platform_senders(rampe))
    stop = GracefulStop(scheduler, settings.stop_seconds)
    stop.attach(web_app)
    log.warning("Rampe listening on http://%s:%s", settings.host, settings.port)
    try:
        asyncio.run(serve(web_app, settings.host, settings.port, settings.stop_seconds))
    except KeyboardInterrupt:
        pass
    finally:
        stop.wait_for_scheduler()


async def serve(web_app: web.Application, host: str, port: int, stop_seconds: float = 20.0) -> None:
    """Serve `web_app` on host:port behind the slow-client guard until SIGTERM or SIGINT (or
    cancelled); then stop listening and give requests in flight `stop_seconds` to finish."""
    runner = web.AppRunner(
        web_app, keepalive_timeout=KEEPALIVE_TIMEOUT, shutdown_timeout=stop_seconds
    )
    await runner.setup()
    listener = await start_guarded(runner, host, port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        listener.close()
        await runner.cleanup()
