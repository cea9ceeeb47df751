"""While the database is away: answer platforms so that they deliver the message again."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.app import Rampe

log = logging.getLogger("rampe.server")


async def unavailable(rampe: Rampe) -> web.Response | None:
    """503 while the database is away, so Slack and Teams deliver the message again later
    (answering 200 would tell them it was handled, and it would be lost); None when ready."""
    if await asyncio.to_thread(rampe.database_reachable):
        return None
    log.warning("database unavailable: a platform request was answered 503 to be redelivered")
    return redeliver_later("database unavailable")


def redeliver_later(why: str) -> web.Response:
    """503: Slack and Teams take the request as not handled and deliver it again later."""
    return web.Response(status=503, text=why, headers={"Retry-After": "30"})
