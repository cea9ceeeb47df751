"""Words with their positions, so the free-text note keeps exactly what was typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.errors import UserError

_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")
_HOURS_WORD = {"t/uge", "t/u", "timer/uge", "h/week", "h/w", "hours/week", "t", "timer", "h",
               "hours", "hrs", "t/ugen"}  # fmt: skip
_HOURS_GLUED = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)(t/uge|t/u|h/week|h/w|t|h)$")
_WEEKS_WORD = {"uger", "uge", "weeks", "week", "u", "w"}
_WEEKS_GLUED = re.compile(r"^(\d{1,2})(uger|uge|u|weeks|week|w)$")
MAX_HOURS = 60.0


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold()


def tokenize(text: str) -> list[Token]:
    """The words of `text` with their character positions."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def rest_of(text: str, tokens: list[Token], i: int) -> str:
    """Everything typed from token `i` on, exactly as typed."""
    return text[tokens[i].start :].strip() if i < len(tokens) else ""


def number(token: str) -> float | None:
    """`10`, `7,5` or `7.5` as a number; None if the token is not one."""
    if not _NUMBER.match(token):
        return None
    return float(token.replace(",", "."))


def _check_hours(value: float, token: str) -> float:
    if not 0 < value <= MAX_HOURS:
        raise UserError("error.bad_hours", token=token)
    return value


def take_hours(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """Weekly hours at tokens[i]: `10 t/uge`, `10t`, `7,5 timer`. Returns (hours, used)."""
    if i >= len(tokens):
        return None
    if m := _HOURS_GLUED.match(tokens[i].low):
        return _check_hours(float(m.group(1).replace(",", ".")), tokens[i].text), 1
    value = number(tokens[i].text)
    if value is not None and i + 1 < len(tokens) and tokens[i + 1].low in _HOURS_WORD:
        return _check_hours(value, tokens[i].text), 2
    return None


def take_weeks(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """A number of weeks at tokens[i]: `8 uger`, `8u`. Returns (weeks, used)."""
    if i >= len(tokens):
        return None
    if m := _WEEKS_GLUED.match(tokens[i].low):
        return _check_weeks(int(m.group(1)), tokens[i].text), 1
    if tokens[i].text.isdigit() and i + 1 < len(tokens) and tokens[i + 1].low in _WEEKS_WORD:
        return _check_weeks(int(tokens[i].text), tokens[i].text), 2
    return None


def _check_weeks(weeks: int, token: str) -> int:
    if not 1 <= weeks <= 104:
        raise UserError("error.bad_weeks", token=token)
    return weeks
