"""Report periods as typed: `uge`, `måned`, `kvartal`, `år` or a from-to range."""

from __future__ import annotations

from datetime import date, timedelta

from bot.parsing.dates import parse_date_token
from kernel.errors import UserError
from reports.periods import Period, unit_period

UNITS: dict[str, str] = {
    "uge": "week", "ugen": "week", "week": "week",
    "måned": "month", "maaned": "month", "maned": "month", "måneden": "month",
    "month": "month",
    "kvartal": "quarter", "kvartalet": "quarter", "quarter": "quarter",
    "år": "year", "aar": "year", "ar": "year", "året": "year", "year": "year",
}  # fmt: skip
_RANGE_SEPARATORS = ("..", "–", "-")


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
