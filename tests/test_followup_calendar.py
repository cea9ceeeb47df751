"""The Danish working calendar and the scheduler's triggers across daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.scheduler.calendar import WorkCalendar
from tests.conftest import CPH

CAL = WorkCalendar()


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


def _fires(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
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
