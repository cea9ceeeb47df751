"""Report periods: uge, måned, kvartal, år or a from-to range, and the period before each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.parsing.dates import parse_date_token
from kernel.errors import UserError

Translate = Callable[..., str]  # t(key, **params) in the reader's language

UNITS: dict[str, str] = {
    "uge": "week", "ugen": "week", "week": "week",
    "måned": "month", "maaned": "month", "maned": "month", "måneden": "month",
    "month": "month",
    "kvartal": "quarter", "kvartalet": "quarter", "quarter": "quarter",
    "år": "year", "aar": "year", "ar": "year", "året": "year", "year": "year",
}  # fmt: skip
_RANGE_SEPARATORS = ("..", "–", "-")


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

    def contains(self, day: date) -> bool:
        """True if `day` lies in the period."""
        return self.start <= day <= self.end

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


def parse_period(word: str, today: date) -> Period | None:
    """`uge`, `måned`, `kvartal`, `år` or `1/9-30/11`; None if `word` is not a period."""
    low = word.casefold()
    if low in UNITS:
        return unit_period(UNITS[low], today)
    for sep in _RANGE_SEPARATORS:
        at = low.find(sep)
        while at > 0:
            left, right = low[:at], low[at + len(sep) :]
            start = _date_or_none(left, today)
            end = _date_or_none(right, today)
            if start and end and end < start:  # `1/9-30/11` in November: this year's 30/11
                end = _date_or_none(right, start + timedelta(days=365))
            if start and end:
                if end < start:
                    raise UserError("error.period_order")
                return Period("range", start, end)
            at = low.find(sep, at + 1)
    return None


def _date_or_none(token: str, today: date) -> date | None:
    try:
        return parse_date_token(token, today, "past")
    except UserError:
        return None


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
