"""The alarm clock: APScheduler only wakes the sweep; the database decides what is sent.

A sweep reconciles the stored follow-ups with the rules and delivers what is due. It runs on an
interval and at the digest times (Europe/Copenhagen, so daylight saving moves nothing), and
once at start, so whatever was missed while the bot was down goes out once, coalesced.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import astuple, dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core import Platform, Sender
from bot.runtime import Runtime
from bot.scheduler.calendar import parse_clock
from bot.scheduler.delivery import ConsoleOutbox, DeliveryReport, deliver_due
from bot.scheduler.due import refresh
from bot.scheduler.replies import send_kept_replies
from bot.scheduler.triggers import WORKING_WEEK, LocalTimeTrigger
from store.erasure import erase_expired, scrub_file
from store.housekeeping import prune
from store.inbound import claim_event

log = logging.getLogger("rampe.scheduler")
RETENTION_AT = time(2, 0)  # at night, when nobody is logging


@dataclass
class SweepReport:
    offered: int
    obsoleted: int
    delivery: DeliveryReport


async def sweep(
    rampe: Runtime, senders: dict[Platform, Sender], now: datetime | None = None
) -> SweepReport:
    """Reconcile follow-ups with the facts, then deliver what is due at `now`."""
    now = now or rampe.clock()
    with rampe.unit_of_work() as session:
        changed = refresh(session, rampe.settings, now)
    offered, obsoleted = changed or (0, 0)
    try:
        delivery = await deliver_due(rampe, senders, now)
        delivery.replies = await send_kept_replies(rampe, senders, now)
    finally:
        for sender in senders.values():  # a sender's HTTP session belongs to this event loop
            close = getattr(sender, "close", None)
            if close is not None:
                await close()
    return SweepReport(offered, obsoleted, delivery)


def default_senders(rampe: Runtime) -> dict[Platform, Sender]:
    """The senders available without any platform configured: the local chat's outbox."""
    return {Platform.CONSOLE: ConsoleOutbox(rampe.sessions, rampe.clock)}


class Sweeper:
    """The job APScheduler calls: one sweep at a time per process, errors logged, never raised."""

    def __init__(self, rampe: Runtime, senders: dict[Platform, Sender]) -> None:
        self.rampe = rampe
        self.senders = senders
        self._lock = threading.Lock()

    def __call__(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # the interval and a cron fired together; one sweep is enough
        try:
            report = asyncio.run(sweep(self.rampe, self.senders))
            log.info(
                "sweep: %d offered, %d obsolete, %d sent, %d failed",
                report.offered, report.obsoleted, report.delivery.sent, report.delivery.failed,
            )  # fmt: skip
        except Exception:
            log.exception("sweep failed; the next one retries")
        finally:
            self._lock.release()


def build_scheduler(
    rampe: Runtime, senders: dict[Platform, Sender], blocking: bool = False
) -> BaseScheduler:
    """A scheduler with the sweep on an interval and at the digest times (not started)."""
    settings = rampe.settings
    tz = ZoneInfo(settings.timezone)
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=tz, job_defaults=defaults
    )
    job = Sweeper(rampe, senders)
    scheduler.add_job(
        job, IntervalTrigger(minutes=settings.sweep_minutes, timezone=tz), id="sweep",
        next_run_time=datetime.now(tz),
    )  # fmt: skip
    daily = LocalTimeTrigger(parse_clock(settings.digest_time), tz, WORKING_WEEK)
    scheduler.add_job(job, daily, id="digest")
    weekly = parse_clock(settings.lead_digest_time)
    weekday = frozenset({settings.lead_digest_weekday})
    scheduler.add_job(job, LocalTimeTrigger(weekly, tz, weekday), id="weekly")
    nightly = LocalTimeTrigger(RETENTION_AT, tz)
    scheduler.add_job(_retention_job, nightly, args=(rampe,), id="retention")
    return scheduler


def run_retention(rampe: Runtime, platform: str = "scheduler") -> int:
    """Erase the courses that ended longer ago than the retention time; how many were erased.

    Old event ids and expired questions go in the same run (store/housekeeping.py).
    """
    with rampe.unit_of_work() as session:
        now = rampe.clock()
        count = erase_expired(session, now, rampe.settings.retention_months, platform)
        pruned = prune(session, now)
    log.info("retention: %d event ids, %d expired questions pruned", *astuple(pruned))
    if count:
        # After the commit: no erased bytes left in the file.
        if not scrub_file(rampe.engine):
            log.warning("retention: a long transaction kept erased rows; the next run rewrites")
        rampe.directory.invalidate()
    return count


def nightly_job(rampe: Runtime) -> bool:
    """The retention run, once per local night across every scheduler process; True if it ran."""
    night = rampe.clock().astimezone(ZoneInfo(rampe.settings.timezone)).date()
    with rampe.unit_of_work() as session:
        if not claim_event(session, "scheduler", f"nightly:{night.isoformat()}", rampe.clock()):
            return False
    log.info("retention: %d courses erased", run_retention(rampe))
    return True


def _retention_job(rampe: Runtime) -> None:
    try:
        nightly_job(rampe)
    except Exception:  # another replica may be erasing the same courses; tomorrow retries
        log.exception("retention run failed")


def start_scheduler(rampe: Runtime, senders: dict[Platform, Sender] | None = None) -> BaseScheduler:
    """Run the sweep in a background thread (inside `rampe serve`); returns the scheduler."""
    scheduler = build_scheduler(rampe, senders or default_senders(rampe))
    scheduler.start()
    return scheduler
