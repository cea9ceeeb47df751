"""The Danish working calendar and the scheduler's triggers across daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from bot.app import Rampe
from bot.scheduler.calendar import WorkCalendar
from bot.scheduler.runner import build_scheduler, default_senders, nightly_job
from kernel.clock import FixedClock
from tests.conftest import CPH

CAL = WorkCalendar()
MARCH = (datetime(2026, 3, 28, tzinfo=CPH), datetime(2026, 3, 31, tzinfo=CPH))
OCTOBER = (datetime(2026, 10, 24, tzinfo=CPH), datetime(2026, 10, 27, tzinfo=CPH))


def test_christmas_and_easter_2026_are_not_working_days() -> None:
    for holiday in ("2026-04-02", "2026-04-03", "2026-04-06", "2026-12-25", "2026-12-26"):
        assert not CAL.is_working_day(date.fromisoformat(holiday)), holiday
    assert CAL.holiday_name(date(2026, 4, 3)) == "Langfredag"
    assert CAL.is_working_day(date(2026, 4, 1))
    assert CAL.is_working_day(date(2026, 12, 23))


def test_store_bededag_is_abolished_since_2024() -> None:
    assert CAL.is_holiday(date(2023, 5, 5))  # the last one
    assert CAL.is_working_day(date(2026, 5, 1))  # would have been Store Bededag 2026


def test_delivery_moves_past_weekends_and_holidays() -> None:
    assert CAL.delivery_moment(date(2026, 12, 25)) == datetime(2026, 12, 28, 8, 30, tzinfo=CPH)
    assert CAL.delivery_moment(date(2026, 4, 2)) == datetime(2026, 4, 7, 8, 30, tzinfo=CPH)
    assert CAL.delivery_moment(date(2026, 3, 27)) == datetime(2026, 3, 27, 8, 30, tzinfo=CPH)


def test_digest_time_is_local_on_both_sides_of_daylight_saving() -> None:
    before = CAL.delivery_moment(date(2026, 3, 27)).astimezone(UTC)
    after = CAL.delivery_moment(date(2026, 3, 30)).astimezone(UTC)
    assert (before.hour, before.minute) == (7, 30)
    assert (after.hour, after.minute) == (6, 30)
    autumn = CAL.delivery_moment(date(2026, 10, 26)).astimezone(UTC)
    assert (autumn.hour, autumn.minute) == (7, 30)
    assert CAL.digest_due(datetime(2026, 3, 30, 6, 29, tzinfo=UTC)) is None
    assert CAL.digest_due(datetime(2026, 3, 30, 6, 30, tzinfo=UTC)) == date(2026, 3, 30)
    assert CAL.digest_due(datetime(2026, 3, 29, 10, 0, tzinfo=CPH)) is None  # a Sunday


def _fires(trigger: Any, start: datetime, end: datetime) -> list[datetime]:
    fires: list[datetime] = []
    previous = None
    now = start
    while True:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None or nxt > end:
            return fires
        fires.append(nxt)
        previous, now = nxt, nxt + timedelta(microseconds=1)


def test_the_daily_trigger_fires_once_a_day_across_both_changes() -> None:
    trigger = CronTrigger(hour=8, minute=30, timezone=CPH)
    for start in (datetime(2026, 3, 27, tzinfo=CPH), datetime(2026, 10, 23, tzinfo=CPH)):
        fires = _fires(trigger, start, start + timedelta(days=5))
        days = [f.astimezone(CPH).date() for f in fires]
        assert days == [start.date() + timedelta(days=i) for i in range(5)]
        assert all((f.astimezone(CPH).hour, f.astimezone(CPH).minute) == (8, 30) for f in fires)


def test_a_plain_cron_trigger_would_run_the_nightly_job_twice_in_october() -> None:
    cron = CronTrigger(hour=2, minute=0, timezone=CPH)
    first = cron.get_next_fire_time(None, datetime(2026, 10, 25, tzinfo=CPH))
    assert first is not None
    second = cron.get_next_fire_time(first, first + timedelta(seconds=1))
    assert second is not None
    assert [first.astimezone(UTC).hour, second.astimezone(UTC).hour] == [0, 1]  # 02:00 twice


def test_every_scheduled_job_fires_once_a_day_on_both_transition_nights(app: Rampe) -> None:
    jobs = {job.id: job.trigger for job in build_scheduler(app, default_senders(app)).get_jobs()}
    for start in (datetime(2026, 3, 27, tzinfo=CPH), datetime(2026, 10, 23, tzinfo=CPH)):
        end = start + timedelta(days=5)
        nightly = _fires(jobs["retention"], start, end)
        assert [f.astimezone(CPH).date() for f in nightly] == [
            start.date() + timedelta(days=i) for i in range(5)
        ]
        digests = [f.astimezone(CPH) for f in _fires(jobs["digest"], start, end)]
        assert {(f.hour, f.minute) for f in digests} == {(8, 30)}
        assert [f.weekday() for f in digests] == [4, 0, 1]  # Friday, Monday, Tuesday
        (weekly,) = _fires(jobs["weekly"], start, end)
        assert weekly.astimezone(CPH).strftime("%a %H:%M") == "Mon 08:00"
    night = {f.astimezone(CPH).date(): f for f in _fires(jobs["retention"], *MARCH)}
    assert night[date(2026, 3, 29)].astimezone(UTC).hour == 1  # 02:00 does not exist: 03:00
    night = {f.astimezone(CPH).date(): f for f in _fires(jobs["retention"], *OCTOBER)}
    assert night[date(2026, 10, 25)].astimezone(UTC).hour == 0  # the first 02:00 only


def test_the_nightly_run_is_claimed_once_per_night_across_processes(
    app: Rampe, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))  # 02:00 summer time
    assert nightly_job(app)
    clock.set(datetime(2026, 10, 25, 1, 0, tzinfo=UTC))  # 02:00 winter time, same night
    assert not nightly_job(app)
    clock.set(datetime(2026, 10, 26, 1, 0, tzinfo=UTC))
    assert nightly_job(app)
