"""Danish and English dates: i dag, i går, weekday names, 3/12, 3.12.2026, 2026-12-03.

Day comes before month, always. A date without a year is the nearest such date: for a past
event (`prefer="past"`) the latest one not after today, for a plan (`prefer="future"`) the
next one not before today, for a start that may lie either side (`prefer="nearest"`) the one
closest to today. A plan date that passed within the last `RECENTLY_PASSED_DAYS` days is a slip,
not a plan for next year: it is refused with the year to add if next year was meant.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from kernel.errors import UserError

Prefer = Literal["past", "future", "nearest"]

# Multi-word relative days are matched token by token; each entry maps a token tuple to days.
RELATIVE_DAYS: dict[tuple[str, ...], int] = {
    ("i", "dag"): 0,
    ("idag",): 0,
    ("today",): 0,
    ("i", "går"): -1,
    ("igår",): -1,
    ("i", "gaar"): -1,
    ("yesterday",): -1,
    ("i", "forgårs"): -2,
    ("iforgårs",): -2,
    ("i", "forgaars"): -2,
    ("i", "morgen"): 1,
    ("imorgen",): 1,
    ("tomorrow",): 1,
}

WEEKDAYS: dict[str, int] = {
    "mandag": 0, "man": 0, "monday": 0, "mon": 0,
    "tirsdag": 1, "tirs": 1, "tir": 1, "tuesday": 1, "tue": 1,
    "onsdag": 2, "ons": 2, "wednesday": 2, "wed": 2,
    "torsdag": 3, "tors": 3, "tor": 3, "thursday": 3, "thu": 3,
    "fredag": 4, "fre": 4, "friday": 4, "fri": 4,
    "lørdag": 5, "lør": 5, "saturday": 5, "sat": 5,
    "søndag": 6, "søn": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

RECENTLY_PASSED_DAYS = 92
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$")


def _make(year: int, month: int, day: int, token: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("error.bad_date", token=token) from None


def parse_date_token(token: str, today: date, prefer: Prefer = "past") -> date | None:
    """A single-token date, or None if the token is not a date at all.

    Raises `UserError` when the token is shaped like a date but impossible (31/2).
    """
    low = token.casefold()
    if (low,) in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[(low,)])
    if low in WEEKDAYS:
        back = (today.weekday() - WEEKDAYS[low]) % 7
        ahead = (WEEKDAYS[low] - today.weekday()) % 7
        if prefer == "past" or (prefer == "nearest" and back < ahead):
            return today - timedelta(days=back)
        return today + timedelta(days=ahead)
    if m := _ISO.match(low):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), token)
    if m := _DMY.match(low):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            return _make(year + 2000 if year < 100 else year, month, day, token)
        return _nearest(day, month, today, prefer, token)
    return None


def _nearest(day: int, month: int, today: date, prefer: Prefer, token: str) -> date:
    """The date day/month closest to today in the preferred direction (29/2: up to 4 years)."""
    candidates = []
    for year in range(today.year - 4, today.year + 5):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 31/4, or 29/2 outside leap years
            continue
    if not candidates:
        raise UserError("error.bad_date", token=token)
    if prefer == "nearest":
        return min(candidates, key=lambda d: (abs((d - today).days), d < today))
    if prefer == "past":
        past = [d for d in candidates if d <= today]
        return max(past) if past else min(candidates)
    future = [d for d in candidates if d >= today]
    passed = [d for d in candidates if d < today]
    if future and passed and (today - max(passed)).days <= RECENTLY_PASSED_DAYS:
        nxt = min(future)
        raise UserError("error.date_passed", token=token, next=f"{nxt.day}/{nxt.month}/{nxt.year}")
    return min(future) if future else max(candidates)


def take_date(
    tokens: list[str], i: int, today: date, prefer: Prefer = "past"
) -> tuple[date, int] | None:
    """A date starting at tokens[i]: the date and how many tokens it used, or None."""
    for words, offset in RELATIVE_DAYS.items():
        n = len(words)
        if tuple(t.casefold() for t in tokens[i : i + n]) == words:
            return today + timedelta(days=offset), n
    found = parse_date_token(tokens[i], today, prefer) if i < len(tokens) else None
    return (found, 1) if found else None


def parse_date(text: str, today: date, prefer: Prefer = "past") -> date:
    """A whole string as one date, or a `UserError` that shows the accepted forms."""
    tokens = text.split()
    got = take_date(tokens, 0, today, prefer) if tokens else None
    if got is None or got[1] != len(tokens):
        raise UserError("error.bad_date", token=text)
    return got[0]
