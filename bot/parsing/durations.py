"""Durations as people type them: 20m, 45 min, 1t, 1,5t, 1.5h, 1t30, 1:30, en halv time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.errors import UserError

_MINUTES = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutter|minutes)$")
_HOURS = re.compile(r"^(\d{1,2})(?:[.,](\d{1,2}))?\s*(t|time|timer|h|hr|hrs|hour|hours)$")
_HOURS_MINUTES = re.compile(r"^(\d{1,2})\s*(?:t|h|:)\s*(\d{1,2})(?:m|min)?$")
MAX_MINUTES = 24 * 60
_NUMBER = re.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")
UNITS = {"m", "min", "mins", "minut", "minutter", "minutes", "minute", "t", "time",
         "timer", "h", "hr", "hrs", "hour", "hours"}  # fmt: skip
# A duration said in words, token by token: `en halv time`, `et kvarter`, `halvanden time`.
WORD_DURATIONS: dict[tuple[str, ...], int] = {
    ("en", "halv", "time"): 30, ("halv", "time"): 30, ("½", "time"): 30, ("en", "time"): 60,
    ("én", "time"): 60, ("et", "kvarter"): 15, ("ét", "kvarter"): 15, ("kvarter",): 15,
    ("tre", "kvarter"): 45, ("halvanden", "time"): 90, ("halvanden", "timer"): 90,
    ("en", "og", "en", "halv", "time"): 90, ("1½", "time"): 90, ("1½", "timer"): 90,
    ("1/2", "time"): 30, ("to", "timer"): 120, ("tre", "timer"): 180, ("half", "an", "hour"): 30,
    ("an", "hour"): 60, ("one", "hour"): 60, ("two", "hours"): 120,
    ("a", "quarter", "of", "an", "hour"): 15, ("quarter", "of", "an", "hour"): 15,
    ("an", "hour", "and", "a", "half"): 90,
}  # fmt: skip
_COLON = re.compile(r"^(\d{1,2}):(\d{2})$")
MAX_COLON_HOURS = 4  # `14:30` is a time of day, `1:30` a duration


@dataclass(frozen=True)
class DurationWords:
    """A duration read from words: minutes, words used, and whether it was written as one."""

    minutes: int
    used: int
    glued: bool  # `20m`, `1t30`: a single token, unmistakably a duration


def parse_duration(token: str) -> int | None:
    """Minutes for a duration token, None if it is not one; UserError if it is absurd."""
    low = token.casefold()
    minutes: int | None = None
    if m := _MINUTES.match(low):
        minutes = int(m.group(1))
    elif m := _HOURS.match(low):
        fraction = m.group(2) or "0"
        minutes = round((int(m.group(1)) + int(fraction) / 10 ** len(fraction)) * 60)
    elif m := _HOURS_MINUTES.match(low):
        if int(m.group(2)) >= 60:
            raise UserError("error.bad_duration", token=token)
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    if minutes is None:
        return None
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise UserError("error.bad_duration", token=token)
    return minutes


def read_duration(words: list[str], i: int) -> DurationWords | None:
    """A duration starting at words[i] (`20m`, `20 min`, `en halv time`), or None."""
    if i >= len(words):
        return None
    low = words[i].casefold().rstrip(",;:.")
    for phrase, said in WORD_DURATIONS.items():
        n = len(phrase)
        if tuple(w.casefold().rstrip(",;:.") for w in words[i : i + n]) == phrase:
            return DurationWords(said, n, False)
    if (m := _COLON.match(low)) and int(m.group(1)) > MAX_COLON_HOURS:
        return None
    minutes = parse_duration(low)
    if minutes is not None:
        return DurationWords(minutes, 1, True)
    unit = words[i + 1].casefold().rstrip(",;.") if i + 1 < len(words) else ""
    if unit in UNITS and _NUMBER.match(low):
        try:
            apart = parse_duration(low + unit)
        except UserError:  # `30 timer` apart is a number in a sentence, not an absurd call
            return None
        if apart is not None:
            return DurationWords(apart, 2, False)
    return None


def format_minutes(minutes: int, lang: str = "da") -> str:
    """`20 min`, `1 t`, `1 t 30 min` (`1 h 30 min` in English)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    unit = "t" if lang == "da" else "h"
    return f"{hours} {unit}" + (f" {rest} min" if rest else "")
