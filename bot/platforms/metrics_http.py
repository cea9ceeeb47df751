"""`GET /metrics` in Prometheus' text format, and the middleware that counts requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from kernel.metrics import REQUESTS

PLATFORM_OF = {"/slack/events": "slack", "/api/messages": "teams"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count each answered request by platform and status class (2xx, 4xx, 5xx)."""
    platform = PLATFORM_OF.get(request.path, "other")
    try:
        response = await handler(request)
    except web.HTTPException as err:
        REQUESTS.labels(platform, f"{err.status // 100}xx").inc()
        raise
    except Exception:
        REQUESTS.labels(platform, "5xx").inc()
        raise
    REQUESTS.labels(platform, f"{response.status // 100}xx").inc()
    return response


async def metrics(_request: web.Request) -> web.Response:
    """Request, delivery and error counts, for Prometheus to scrape."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
