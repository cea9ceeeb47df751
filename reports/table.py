"""The one shape every file rendering starts from: a titled table with its definitions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chart:
    """A bar chart of one table.

    Labels join the `label` columns of each row (a person and a week); bars come from the
    `values` columns. `rows` picks the rows to draw (all when empty), so counts and means never
    share an axis. A percent chart runs 0-100% with each row's target from `target` drawn as a
    line. `empty` is the text shown when there is nothing to draw.
    """

    label: tuple[int, ...]
    values: tuple[int, ...]
    horizontal: bool = True
    rows: tuple[int, ...] = ()
    percent: bool = False
    target: int | None = None  # the column holding each row's target, in percent
    target_label: str = ""
    empty: str = ""
    axis: str = ""  # the value axis' title
    series: int | None = None  # a column naming one line each (a person): labels become the x axis


@dataclass(frozen=True)
class ReportTable:
    """A report ready to render: rows of aggregates, definitions and the handles behind them."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    definitions: tuple[tuple[str, str], ...] = ()
    handles: tuple[tuple[str, str], ...] = ()  # (figure, "AB-0001, CD-0002")
    chart: Chart | None = field(default=None)

    def column(self, name: str) -> list[object]:
        """All values of one column."""
        at = self.columns.index(name)
        return [row[at] for row in self.rows]
