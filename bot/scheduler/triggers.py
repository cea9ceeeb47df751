"""A trigger that fires once per local day at a wall-clock time, whatever daylight saving does.

APScheduler's `CronTrigger(hour=2)` fires twice in Europe/Copenhagen on the October night
(02:00 summer time, then 02:00 winter time an hour later) and computes the second one again
and again after it ran. `LocalTimeTrigger` takes each local date once: on the October night
the first 02:00 (summer time), and on the March night, when 02:00 to 03:00 does not exist, the
same instant one hour on (03:00 summer time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

EVERY_DAY = frozenset(range(7))
WORKING_WEEK = frozenset(range(5))


def wall_clock(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`at` on `day` in `tz`: the first of two on the night back, shifted past the gap forward."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


class LocalTimeTrigger(BaseTrigger):  # type: ignore[misc]
    """Once per local date at `at` on `weekdays` (0 = Monday)."""

    def __init__(self, at: time, tz: ZoneInfo, weekdays: frozenset[int] = EVERY_DAY) -> None:
        self.at = at
        self.tz = tz
        self.weekdays = weekdays

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first moment at or after `now` on a local date after the previous fire's."""
        day = now.astimezone(self.tz).date()
        if previous_fire_time is not None:
            day = max(day, previous_fire_time.astimezone(self.tz).date() + timedelta(days=1))
        for _ in range(8):
            if day.weekday() in self.weekdays:
                moment = wall_clock(day, self.at, self.tz)
                if moment >= now:
                    return moment
            day += timedelta(days=1)
        return None

    def __str__(self) -> str:
        return f"local {self.at:%H:%M} {self.tz.key} on {sorted(self.weekdays)}"
