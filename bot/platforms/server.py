"""`rampe serve`: one aiohttp server for Slack (/slack/events), Teams (/api/messages), and
liveness and readiness checks (/healthz, /readyz). Each platform adds its own routes; this
module only wires them."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.app import Rampe
from bot.core import Platform, Sender
from bot.platforms.lifecycle import GracefulStop
from bot.platforms.metrics_http import count_requests, metrics
from store.db import database_ready

log = logging.getLogger("rampe.server")
RAMPE_KEY: web.AppKey[Rampe] = web.AppKey("rampe", Rampe)
MAX_BODY = 1024 * 1024


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process serves requests (a load balancer restarts it when this fails)."""
    return web.json_response({"ok": True})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: 503 while the database does not answer (send traffic elsewhere meanwhile)."""
    rampe = request.app[RAMPE_KEY]
    if not await asyncio.to_thread(database_ready, rampe.engine):
        return web.json_response({"ok": False, "database": "unavailable"}, status=503)
    return web.json_response({"ok": True, "database": "ok"})


def build_web_app(rampe: Rampe) -> web.Application:
    """The aiohttp application with every configured platform's routes."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[count_requests])
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
    scheduler = start_scheduler(rampe, senders or platform_senders(rampe))
    stop = GracefulStop(scheduler, settings.stop_seconds)
    app = build_web_app(rampe)
    stop.attach(app)
    log.warning("Rampe listening on http://%s:%s", settings.host, settings.port)
    try:
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=None,
            shutdown_timeout=settings.stop_seconds,
        )
    finally:
        stop.wait_for_scheduler()
