"""Danish and English dates: i dag, i går, weekday names, 3/12, 3.12.2026, 2026-12-03.

Day comes before month, always. A date without a year is the nearest such date: for a past
event (`prefer="past"`) the latest one not after today, for a plan (`prefer="future"`) the
next one not before today, for a start that may lie either side (`prefer="nearest"`) the one
closest to today. A plan date that passed within the last `RECENTLY_PASSED_DAYS` days is a slip,
not a plan for next year: it is refused with the year to add if next year was meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kernel.errors import UserError

Prefer = Literal["past", "future", "nearest"]

# Multi-word relative days are matched token by token; each entry maps a token tuple to days.
# Without æøå too (`i gar`, `igaar`), as typed on a phone or a foreign keyboard.
RELATIVE_DAYS: dict[tuple[str, ...], int] = {
    ("i", "dag"): 0, ("idag",): 0, ("today",): 0,
    ("i", "går"): -1, ("igår",): -1, ("i", "gaar"): -1, ("igaar",): -1, ("i", "gar"): -1,
    ("igar",): -1, ("yesterday",): -1,
    ("i", "forgårs"): -2, ("iforgårs",): -2, ("i", "forgaars"): -2, ("iforgaars",): -2,
    ("i", "forgars"): -2, ("iforgars",): -2, ("forgårs",): -2, ("forgaars",): -2,
    ("forgars",): -2,
    ("i", "morgen"): 1, ("imorgen",): 1, ("tomorrow",): 1,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "mandag": 0, "man": 0, "monday": 0, "mon": 0,
    "tirsdag": 1, "tirs": 1, "tir": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "onsdag": 2, "ons": 2, "wednesday": 2, "wed": 2,
    "torsdag": 3, "tors": 3, "tor": 3, "thursday": 3, "thu": 3, "thurs": 3,
    "fredag": 4, "fre": 4, "friday": 4, "fri": 4,
    "lørdag": 5, "lør": 5, "lordag": 5, "loerdag": 5, "saturday": 5, "sat": 5,
    "søndag": 6, "søn": 6, "sondag": 6, "soendag": 6, "sunday": 6, "sun": 6,
}  # fmt: skip
# `i fredags`: the latest Friday before today.
PAST_WEEKDAYS: dict[str, int] = {
    "mandags": 0, "tirsdags": 1, "onsdags": 2, "torsdags": 3, "fredags": 4, "lørdags": 5,
    "lordags": 5, "søndags": 6, "sondags": 6,
}  # fmt: skip
LAST_WORDS = {"sidste", "forrige", "last"}
DATE_PREFIXES = {"den", "d.", "d", "on", "the"}
MONTHS: dict[str, int] = {
    "jan": 1, "januar": 1, "january": 1, "feb": 2, "februar": 2, "february": 2,
    "mar": 3, "mar.": 3, "marts": 3, "march": 3, "apr": 4, "april": 4,
    "maj": 5, "may": 5, "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

RECENTLY_PASSED_DAYS = 92
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$")
_DAY = re.compile(r"^(\d{1,2})(?:\.|st|nd|rd|th)?$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class DateWords:
    """A date read from words: the value, how many words it used, and whether a year was given.

    `ahead` is True when a day and month written without a year fall after today this year,
    so the value is last year's: a question, never a silent choice, where that matters.
    """

    value: date
    used: int
    ahead: bool = False


def _make(year: int, month: int, day: int, token: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("error.bad_date", token=token) from None


def _weekday(low: str) -> int | None:
    """The weekday a word names (`fre`, `fre.`, `Fredag`), or None."""
    return WEEKDAYS.get(low[:-1] if low.endswith(".") else low)


def parse_date_token(token: str, today: date, prefer: Prefer = "past") -> date | None:
    """A single-token date, or None if the token is not a date at all.

    Raises `UserError` when the token is shaped like a date but impossible (31/2).
    """
    got = _one_token(token, today, prefer)
    return got.value if got else None


def _one_token(token: str, today: date, prefer: Prefer) -> DateWords | None:
    low = token.casefold()
    if (low,) in RELATIVE_DAYS:
        return DateWords(today + timedelta(days=RELATIVE_DAYS[(low,)]), 1)
    weekday = _weekday(low)
    if weekday is not None:
        back = (today.weekday() - weekday) % 7
        ahead = (weekday - today.weekday()) % 7
        if prefer == "past" or (prefer == "nearest" and back < ahead):
            return DateWords(today - timedelta(days=back), 1)
        return DateWords(today + timedelta(days=ahead), 1)
    if m := _ISO.match(low):
        return DateWords(_make(int(m.group(1)), int(m.group(2)), int(m.group(3)), token), 1)
    if m := _DMY.match(low):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            return DateWords(_make(year + 2000 if year < 100 else year, month, day, token), 1)
        return _day_month(day, month, today, prefer, token, 1)
    return None


def _day_month(
    day: int, month: int, today: date, prefer: Prefer, token: str, used: int
) -> DateWords:
    value = _nearest(day, month, today, prefer, token)
    try:
        ahead = date(today.year, month, day) > today and value < today
    except ValueError:  # 29/2 outside a leap year
        ahead = False
    return DateWords(value, used, ahead)


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


def _month(low: str) -> int | None:
    return MONTHS.get(low.rstrip(".,"))


def _named_month(words: list[str], i: int, today: date, prefer: Prefer) -> DateWords | None:
    """`3. dec`, `3 december`, `3. dec 2026`, `dec 3`: a day and a month written as a word."""
    if i + 1 >= len(words):
        return None
    first, second = words[i].casefold(), words[i + 1].casefold()
    day_m, month = _DAY.match(first), _month(second)
    if not (day_m and month):
        day_m, month = _DAY.match(second.rstrip(",")), _month(first)
        if not (day_m and month) or first.endswith("."):
            return None
    day = int(day_m.group(1))
    typed = f"{words[i]} {words[i + 1]}"
    if i + 2 < len(words) and (y := _YEAR.match(words[i + 2])):
        return DateWords(_make(int(y.group(1)), month, day, typed), 3)
    return _day_month(day, month, today, prefer, typed, 2)


def _weekday_before(today: date, weekday: int) -> date:
    """The latest `weekday` strictly before today."""
    return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


def read_date(words: list[str], i: int, today: date, prefer: Prefer = "past") -> DateWords | None:
    """A date starting at words[i] (`den 3/12`, `i fredags`, `3. dec`, `i går`), or None."""
    if i >= len(words):
        return None
    low = words[i].casefold()
    if low in DATE_PREFIXES and i + 1 < len(words):
        nxt = words[i + 1].casefold()
        if nxt in DATE_PREFIXES and (low, nxt) != ("on", "the"):
            return None  # one prefix (`den 3/12`, `on the 3rd`): `Den den 3/12` is Den on 3/12
        inner = read_date(words, i + 1, today, prefer)
        return DateWords(inner.value, inner.used + 1, inner.ahead) if inner else None
    for relative, offset in RELATIVE_DAYS.items():
        n = len(relative)
        if tuple(w.casefold().rstrip(",:.") for w in words[i : i + n]) == relative:
            return DateWords(today + timedelta(days=offset), n)
    if i + 1 < len(words):
        nxt = words[i + 1].casefold().rstrip(",")
        if low == "i" and nxt in PAST_WEEKDAYS:
            return DateWords(_weekday_before(today, PAST_WEEKDAYS[nxt]), 2)
        if low in LAST_WORDS and (weekday := _weekday(nxt)) is not None:
            return DateWords(_weekday_before(today, weekday), 2)
    named = _named_month(words, i, today, prefer)
    if named is not None:
        return named
    return _one_token(words[i].rstrip(","), today, prefer)


def take_date(
    tokens: list[str], i: int, today: date, prefer: Prefer = "past"
) -> tuple[date, int] | None:
    """A date starting at tokens[i]: the date and how many tokens it used, or None."""
    got = read_date(tokens, i, today, prefer)
    return (got.value, got.used) if got else None


def parse_date(text: str, today: date, prefer: Prefer = "past") -> date:
    """A whole string as one date, or a `UserError` that shows the accepted forms."""
    tokens = text.split()
    got = read_date(tokens, 0, today, prefer) if tokens else None
    if got is None or got.used != len(tokens):
        raise UserError("error.bad_date", token=text)
    return got.value
