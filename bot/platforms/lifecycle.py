"""Stopping `rampe serve` gracefully: on SIGTERM, finish what was started, within a set time.

aiohttp stops listening and waits for the requests in flight (`shutdown_timeout`). Slack's
listeners run after their ack, as tasks of their own, so those are awaited here before the
loop cancels what is left; the follow-up scheduler starts no new sweep and finishes the send in
progress. Everything shares one deadline, `RAMPE_STOP_SECONDS` after the stop began.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from aiohttp import web
from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger("rampe.server")


class GracefulStop:
    """One stop: when it began, the scheduler's shutdown, the deadline both share."""

    def __init__(self, scheduler: BaseScheduler, seconds: float) -> None:
        self.scheduler = scheduler
        self.seconds = seconds
        self.deadline: float | None = None
        self._scheduler_done = threading.Thread(
            target=scheduler.shutdown, kwargs={"wait": True}, daemon=True
        )

    def left(self) -> float:
        """Seconds until the deadline (all of them before the stop began)."""
        if self.deadline is None:
            return self.seconds
        return max(0.0, self.deadline - time.monotonic())

    def attach(self, app: web.Application) -> None:
        """Hook the stop into the web application's shutdown and cleanup."""
        app.on_shutdown.append(self._begin)
        app.on_cleanup.append(self._finish_listeners)

    async def _begin(self, _app: web.Application) -> None:
        self.deadline = time.monotonic() + self.seconds
        log.warning("stopping: finishing requests and sends (at most %.0f s)", self.seconds)
        self._scheduler_done.start()  # no new sweep from now; the running one may finish

    async def _finish_listeners(self, _app: web.Application) -> None:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task() and "run_ack_function" in repr(t.get_coro())
        ]
        if pending:
            _, late = await asyncio.wait(pending, timeout=self.left())
            if late:
                log.warning("stopping: %d Slack replies did not finish in time", len(late))

    def wait_for_scheduler(self) -> None:
        """After the server has stopped: give the send in progress what time is left."""
        if not self._scheduler_done.is_alive() and self.deadline is None:
            self.scheduler.shutdown(wait=False)
            return
        self._scheduler_done.join(self.left())
        if self._scheduler_done.is_alive():
            log.warning("stopping: the follow-up send in progress did not finish in time")
