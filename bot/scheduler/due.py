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
from store.followup_facts import citizens_at, company_scope, load_facts
from store.followups import Wanted, lock_reconcile, reconcile


def work_calendar(settings: Settings) -> WorkCalendar:
    """The programme's calendar: its time zone and digest time."""
    return WorkCalendar(settings.timezone, parse_clock(settings.digest_time))


def compute_wanted(
    session: Session,
    settings: Settings,
    now: datetime,
    citizen_ids: set[int] | None = None,
    company_ids: set[int] | None = None,
) -> list[Wanted]:
    """Every follow-up the rules want now (for everything, or the given citizens and companies)."""
    today = work_calendar(settings).local_date(now)
    with collector_paused():
        facts = load_facts(session, today, citizen_ids, company_ids)
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
    session: Session,
    settings: Settings,
    now: datetime,
    citizen_ids: set[int] | None = None,
    company_ids: set[int] | None = None,
) -> tuple[int, int] | None:
    """Reconcile stored rows with the rules: everything, or only what these citizens and
    companies concern (a few indexed queries: cheap enough after every recorded fact).

    Returns (offered, obsoleted), or None if another process runs a full one right now.
    """
    if citizen_ids is None and company_ids is None:
        if not lock_reconcile(session):
            return None
        wanted = compute_wanted(session, settings, now)
        return reconcile(session, wanted, now, work_calendar(settings).delivery_moment)
    # A company contact can be the praktik visit of the citizens placed there.
    citizens = set(citizen_ids or ()) | citizens_at(session, company_ids or set())
    companies = company_scope(session, citizens, company_ids)
    wanted = compute_wanted(session, settings, now, citizens, companies)
    return reconcile(
        session,
        wanted,
        now,
        work_calendar(settings).delivery_moment,
        citizen_ids=citizens,
        company_ids=companies,
    )
