"""PNG bar charts of a report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from reports.table import ReportTable


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return 0.0


def _label(row: tuple[object, ...], at: int) -> str:
    """The label column, with a kind column beside it (status: "Kontakter telefon")."""
    kind = row[1] if at == 0 and len(row) > 1 and isinstance(row[1], str) else ""
    return f"{row[at]} {kind}".strip()


def render_png(table: ReportTable) -> bytes:
    """A bar chart of the table's chart columns, or of its first numeric column."""
    chart = table.chart
    label_at, value_at = (chart.label, chart.values) if chart else (0, (1,))
    horizontal = chart.horizontal if chart else True
    labels = [_label(row, label_at) for row in table.rows]
    figure, axes = plt.subplots(figsize=(8, max(3.0, 0.35 * len(labels) + 1.5)))
    try:
        width = 0.8 / len(value_at)
        for n, at in enumerate(value_at):
            values = [_number(row[at]) for row in table.rows]
            offsets = [i + n * width for i in range(len(labels))]
            if horizontal:
                axes.barh(offsets, values, height=width, label=table.columns[at])
            else:
                axes.bar(offsets, values, width=width, label=table.columns[at])
        ticks = [i + width * (len(value_at) - 1) / 2 for i in range(len(labels))]
        if horizontal:
            axes.set_yticks(ticks, labels)
            axes.invert_yaxis()
        else:
            axes.set_xticks(ticks, labels, rotation=45, ha="right")
        axes.set_title(table.title)
        if len(value_at) > 1:
            axes.legend()
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=100)
        return out.getvalue()
    finally:
        plt.close(figure)
