"""Bring the stored follow-ups up to date with the facts: facts -> rules -> reconcile."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from bot.scheduler.calendar import WorkCalendar, parse_clock
from bot.scheduler.rules import RuleConfig, wanted_follow_ups
from kernel.settings import Settings
from store.followups import Wanted, load_facts, lock_reconcile, reconcile


def work_calendar(settings: Settings) -> WorkCalendar:
    """The programme's calendar: its time zone and digest time."""
    return WorkCalendar(settings.timezone, parse_clock(settings.digest_time))


def compute_wanted(
    session: Session, settings: Settings, now: datetime, citizen_ids: set[int] | None = None
) -> list[Wanted]:
    """Every follow-up the rules want now (for all courses, or the given citizens)."""
    today = work_calendar(settings).local_date(now)
    with collector_paused():
        facts = load_facts(session, today, citizen_ids, companies=citizen_ids is None)
        return wanted_follow_ups(facts, today, RuleConfig.from_settings(settings))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of small rows are built.

    The objects are not cyclic garbage, yet each collection walks them all: at 100,000
    citizens the collector took a third of the time. Reference counting still frees as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refresh(
    session: Session, settings: Settings, now: datetime, citizen_ids: set[int] | None = None
) -> tuple[int, int] | None:
    """Reconcile stored rows with the rules; None if another process is doing it right now."""
    if citizen_ids is None and not lock_reconcile(session):
        return None
    wanted = compute_wanted(session, settings, now, citizen_ids)
    calendar = work_calendar(settings)
    return reconcile(
        session,
        wanted,
        now,
        calendar.delivery_moment,
        citizen_ids=citizen_ids,
        company_ids=None if citizen_ids is None else set(),
    )
