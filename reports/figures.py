"""The typed result of the programme reports: named figures with their spread and handles.

A figure is a count, a share (part of whole), or a distribution (n, mean, median, range); its
definition is the text `fdef.<key>` beside it, so every renderer shows the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from reports.numbers import half_up, pct
from reports.periods import Period


@dataclass(frozen=True)
class Spread:
    """A distribution: how many values, their mean, median, lowest and highest (1 decimal)."""

    n: int
    mean: Decimal | None = None
    median: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


def spread(values: Iterable[float | int | Decimal]) -> Spread:
    """The spread of `values`, rounded half up to one decimal; empty gives n=0.

    Whole numbers (days, months: tens of thousands in a year) are summed and ordered as they
    are, and only the results made decimal; anything else is made decimal from its shortest
    text first. Both give the same figures."""
    found = list(values)
    data: list[int] | list[Decimal]
    if all(type(v) is int for v in found):
        data = sorted(cast(list[int], found))
        total = Decimal(sum(data))
    else:
        data = sorted(Decimal(str(v)) for v in found)
        total = sum(data, Decimal(0))
    if not data:
        return Spread(0)
    n = len(data)
    middle = Decimal(data[n // 2]) if n % 2 else (Decimal(data[n // 2 - 1]) + data[n // 2]) / 2
    return Spread(
        n,
        half_up(total / n, 1),
        half_up(middle, 1),
        half_up(Decimal(data[0]), 1),
        half_up(Decimal(data[-1]), 1),
    )


@dataclass(frozen=True)
class Measure:
    """One figure: `key` names its label (`fig.<key>`) and definition (`fdef.<key>`).

    `unit` says how to read `value`: days, weeks, months, hours, count, share, kr.
    A share has `part` of `whole` and `value` the whole percent, rounded half up.
    """

    key: str
    unit: str
    value: Decimal | int | None
    spread: Spread | None = None
    part: int | None = None
    whole: int | None = None
    handles: tuple[str, ...] = ()
    label: str = ""  # a name that is data (a contact person, a form): shown after the label


def count(key: str, value: int, handles: Iterable[str] = ()) -> Measure:
    """A plain count."""
    return Measure(key, "count", value, handles=_sorted(handles))


def share(key: str, part: int, whole: int, handles: Iterable[str] = (), label: str = "") -> Measure:
    """`part` of `whole` as a whole percentage (None when `whole` is 0)."""
    return Measure(key, "share", pct(part, whole), None, part, whole, _sorted(handles), label)


def distribution(
    key: str, unit: str, values: Sequence[float | int | Decimal], handles: Iterable[str] = (),
    label: str = "",
) -> Measure:  # fmt: skip
    """A distribution's mean as the value, with its spread."""
    found = spread(values)
    return Measure(key, unit, found.mean, found, handles=_sorted(handles), label=label)


def amount(key: str, unit: str, value: Decimal | None, places: int = 1, label: str = "") -> Measure:
    """A computed amount (kroner, hours, a ratio), rounded half up."""
    return Measure(key, unit, None if value is None else half_up(value, places), label=label)


def _sorted(handles: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({h for h in handles if h}))


@dataclass(frozen=True)
class FigureReport:
    """A programme report: its name, the period, and its figures in display order."""

    name: str
    period: Period
    measures: tuple[Measure, ...]

    def get(self, key: str, label: str = "") -> Measure:
        """The figure named `key` (and `label`, for per-person or per-form figures)."""
        for m in self.measures:
            if m.key == key and m.label == label:
                return m
        raise KeyError((key, label))
