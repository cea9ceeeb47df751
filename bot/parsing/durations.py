"""Durations as people type them: 20m, 45 min, 1t, 1,5t, 1.5h, 1t30, 1:30."""

from __future__ import annotations

import re

from kernel.errors import UserError

_MINUTES = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutter|minutes)$")
_HOURS = re.compile(r"^(\d{1,2})(?:[.,](\d{1,2}))?\s*(t|time|timer|h|hr|hrs|hour|hours)$")
_HOURS_MINUTES = re.compile(r"^(\d{1,2})\s*(?:t|h|:)\s*(\d{1,2})(?:m|min)?$")
MAX_MINUTES = 24 * 60


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


def format_minutes(minutes: int, lang: str = "da") -> str:
    """`20 min`, `1 t`, `1 t 30 min` (`1 h 30 min` in English)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    unit = "t" if lang == "da" else "h"
    return f"{hours} {unit}" + (f" {rest} min" if rest else "")
