"""The Danish working calendar: Europe/Copenhagen, weekends and public holidays skipped.

Holidays come from the `holidays` package (Store Bededag is gone since 2024; it knows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import holidays


@cache
def danish_holidays() -> holidays.HolidayBase:
    """Denmark's public holidays 2015-2044, built once per process (it takes milliseconds, and
    every follow-up refresh after a recorded fact asks for a calendar)."""
    return holidays.country_holidays("DK", years=range(2015, 2045), language="da")


def parse_clock(text: str) -> time:
    """`08:30` -> time(8, 30)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and delivery moments in one time zone."""

    timezone: str = "Europe/Copenhagen"
    digest_at: time = time(8, 30)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def _holidays(self) -> holidays.HolidayBase:
        return danish_holidays()

    def is_holiday(self, day: date) -> bool:
        """True on a Danish public holiday."""
        return day in self._holidays

    def holiday_name(self, day: date) -> str | None:
        """The holiday's Danish name, if `day` is one."""
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday."""
        return day.weekday() < 5 and not self.is_holiday(day)

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def local_date(self, moment: datetime) -> date:
        """The calendar date of `moment` in the programme's time zone."""
        return moment.astimezone(self.tz).date()

    def at(self, day: date, clock: time) -> datetime:
        """`clock` o'clock local time on `day`, as an aware datetime (DST handled by zoneinfo)."""
        return datetime.combine(day, clock, tzinfo=self.tz)

    def delivery_moment(self, due: date) -> datetime:
        """When an item due on `due` is delivered: digest time on that or the next working day."""
        return self.at(self.next_working_day(due), self.digest_at)

    def digest_due(self, now: datetime) -> date | None:
        """Today's local date if today's digest time has come on a working day, else None."""
        today = self.local_date(now)
        if self.is_working_day(today) and now >= self.at(today, self.digest_at):
            return today
        return None
