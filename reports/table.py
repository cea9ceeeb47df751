"""The one shape every file rendering starts from: a titled table with its definitions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chart:
    """A bar chart of one table: labels from column `label`, bars from columns `values`."""

    label: int
    values: tuple[int, ...]
    horizontal: bool = True


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
