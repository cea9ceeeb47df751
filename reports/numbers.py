"""Rounding as the evaluation reports do it: half up (82.5% -> 83%), never half to even; and how
many handles are listed behind one figure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MAX_HANDLES = 30  # handles listed behind one figure; the rest as a count, "(+12)"


def half_up(value: Decimal | float | int, places: int = 0) -> Decimal:
    """`value` rounded half up to `places` decimals (floats go through their repr)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct(numerator: int, denominator: int) -> int | None:
    """A whole percentage rounded half up; None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return int(half_up(Decimal(numerator) * 100 / Decimal(denominator)))


def pct_text(value: int | None) -> str:
    """`83%`, or `–` for no denominator."""
    return "–" if value is None else f"{value}%"


def kroner(value: Decimal) -> str:
    """`52.197 kr.`-style whole kroner with a Danish thousands point."""
    whole = int(half_up(value))
    return f"{whole:,}".replace(",", ".") + " kr."
