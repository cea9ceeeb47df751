"""Report periods: uge, måned, kvartal, år or a from-to range, and the period before each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from kernel.errors import UserError

Translate = Callable[..., str]  # t(key, **params) in the reader's language


@dataclass(frozen=True)
class Period:
    """An inclusive range of days with the unit it was asked as."""

    unit: str  # week | month | quarter | year | range
    start: date
    end: date

    def previous(self) -> Period:
        """The period just before: the previous calendar unit, or as many days before."""
        if self.unit == "range":
            days = (self.end - self.start).days + 1
            return Period("range", self.start - timedelta(days=days), self.start - timedelta(1))
        return unit_period(self.unit, self.start - timedelta(days=1))

    def contains(self, day: date | None) -> bool:
        """True if `day` lies in the period (never for no day)."""
        return day is not None and self.start <= day <= self.end

    def until(self, as_of: date | None) -> Period:
        """The period ending no later than `as_of`: a report as of a day counts nothing after
        it, so a rerun later gives what that day gave. Unchanged without a day or if it ends
        first; a day before the period starts is refused, with a period that reaches it."""
        if as_of is None or as_of >= self.end:
            return self
        if as_of < self.start:
            raise UserError("error.report_as_of_before", day=_dmy(as_of), start=_dmy(self.start),
                            example=f"1/1/{as_of.year}-31/12/{as_of.year}")  # fmt: skip
        return Period("range", self.start, as_of)

    def word(self) -> str:
        """The command word that asks for this period again (`uge`, `1/9/2026-30/11/2026`)."""
        words = {"week": "uge", "month": "måned", "quarter": "kvartal", "year": "år"}
        if self.unit in words:
            return words[self.unit]
        return f"{_dmy(self.start)}-{_dmy(self.end)}"


def _dmy(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def unit_period(unit: str, today: date) -> Period:
    """The calendar week, month, quarter or year that holds `today`."""
    if unit == "week":
        start = today - timedelta(days=today.weekday())
        return Period(unit, start, start + timedelta(days=6))
    if unit == "month":
        start = today.replace(day=1)
        return Period(unit, start, _next_month(start) - timedelta(days=1))
    if unit == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = _next_month(_next_month(_next_month(start))) - timedelta(days=1)
        return Period(unit, start, end)
    if unit == "year":
        return Period(unit, date(today.year, 1, 1), date(today.year, 12, 31))
    raise ValueError(unit)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def period_label(period: Period, t: Translate) -> str:
    """`uge 48 2026`, `november 2026`, `4. kvartal 2026`, `2026` or `1/9–30/11 2026`."""
    start = period.start
    if period.unit == "week":
        iso = start.isocalendar()
        return t("period.week", week=iso.week, year=iso.year)
    if period.unit == "month":
        return f"{t(f'month.{start.month}')} {start.year}"
    if period.unit == "quarter":
        return t("period.quarter", quarter=(start.month - 1) // 3 + 1, year=start.year)
    if period.unit == "year":
        return str(start.year)
    return f"{_dmy(period.start)}–{_dmy(period.end)}"
