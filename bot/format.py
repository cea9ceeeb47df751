"""Showing stored values in words, the same way in every reply."""

from __future__ import annotations

from datetime import date

from kernel.i18n import t
from store.course import named
from store.models import Citizen


def day(on: date, today: date, lang: str) -> str:
    """`i dag 22/11`, `i går 21/11`, `i forgårs 20/11`, `3/9`, or `3/9 2025` in another year."""
    short = f"{on.day}/{on.month}"
    offset = (today - on).days
    if offset in (0, 1, 2):
        return f"{t(lang, f'day.rel{offset}')} {short}"
    if offset == -1:
        return f"{t(lang, 'day.tomorrow')} {short}"
    return short if on.year == today.year else f"{short} {on.year}"


def citizen(c: Citizen) -> str:
    """`Mette Hansen (MH-0042)`."""
    return named(c)


def hours(value: float | None) -> str:
    """`10`, `7,5` (Danish decimal comma in both languages keeps it simple)."""
    if value is None:
        return "?"
    return f"{value:g}".replace(".", ",")
