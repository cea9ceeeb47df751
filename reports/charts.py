"""PNG bar charts of a report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from reports.table import Chart, ReportTable


def number(value: object) -> float | None:
    """A cell as a number: `25,3` and `55%` read too; None for an empty cell."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().rstrip("%")
    if "," in text:  # Danish: a thousands point and a decimal comma
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _label(row: tuple[object, ...], columns: tuple[int, ...]) -> str:
    return " ".join(str(row[at]) for at in columns if row[at] not in (None, "")).strip()


def render_png(table: ReportTable) -> bytes:
    """A bar chart of the table's chart columns (the first numeric column if none is given)."""
    chart = table.chart or Chart((0,), (1,))
    rows = [table.rows[i] for i in chart.rows] if chart.rows else list(table.rows)
    values = [[number(row[at]) or 0.0 for row in rows] for at in chart.values]
    tall = chart.horizontal and chart.series is None
    figure, axes = plt.subplots(figsize=(8, max(3.0, 0.4 * len(rows) + 1.8) if tall else 4.5))
    try:
        axes.set_title(table.title)
        if not rows or not any(v for series in values for v in series):
            _nothing(axes, chart.empty or "–")
        elif chart.series is not None:
            _lines(axes, chart, rows)
        else:
            _bars(axes, table, chart, rows, values)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=100)
        return out.getvalue()
    finally:
        plt.close(figure)


def _nothing(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, transform=axes.transAxes)
    axes.set_axis_off()


def _bars(
    axes: Axes, table: ReportTable, chart: Chart, rows: list[tuple[object, ...]],
    values: list[list[float]],
) -> None:  # fmt: skip
    labels = [_label(row, chart.label) for row in rows]
    width = 0.8 / len(chart.values)
    for n, series in enumerate(values):
        offsets = [i + n * width for i in range(len(labels))]
        name = table.columns[chart.values[n]]
        if chart.horizontal:
            axes.barh(offsets, series, height=width, label=name)
        else:
            axes.bar(offsets, series, width=width, label=name)
    ticks = [i + width * (len(chart.values) - 1) / 2 for i in range(len(labels))]
    value_axis = axes.xaxis if chart.horizontal else axes.yaxis
    if chart.horizontal:
        axes.set_yticks(ticks, labels)
        axes.invert_yaxis()
    else:
        axes.set_xticks(ticks, labels, rotation=45, ha="right")
    if all(v == int(v) for series in values for v in series):  # counts: no 2.5 citizens
        value_axis.set_major_locator(MaxNLocator(integer=True))
    if chart.percent:
        (axes.set_xlim if chart.horizontal else axes.set_ylim)(0, 100)
        value_axis.set_major_formatter(PercentFormatter(100))
    if chart.target is not None:
        _targets(axes, chart, rows, ticks)
    if chart.axis:
        (axes.set_xlabel if chart.horizontal else axes.set_ylabel)(chart.axis)
    if len(chart.values) > 1 or chart.target is not None:
        axes.legend()


def _lines(axes: Axes, chart: Chart, rows: list[tuple[object, ...]]) -> None:
    """One line per series (a person) over the label column (distinct weeks, in order)."""
    assert chart.series is not None
    at = chart.label[-1]
    xs = sorted({str(row[at]) for row in rows})
    place = {x: i for i, x in enumerate(xs)}
    for name in sorted({str(row[chart.series]) for row in rows}):
        points = sorted((place[str(r[at])], number(r[chart.values[0]]) or 0.0) for r in rows
                        if str(r[chart.series]) == name)  # fmt: skip
        axes.plot([p for p, _ in points], [v for _, v in points], marker="o", label=name)
    step = max(1, len(xs) // 20)  # at most about 20 week labels, each one distinct
    axes.set_xticks(range(0, len(xs), step), xs[::step], rotation=45, ha="right")
    axes.set_ylim(bottom=0)
    if chart.axis:
        axes.set_ylabel(chart.axis)
    axes.legend(fontsize="small", ncols=2)


def _targets(axes: Axes, chart: Chart, rows: list[tuple[object, ...]], ticks: list[float]) -> None:
    assert chart.target is not None
    drawn = False
    for row, at in zip(rows, ticks, strict=True):
        goal = number(row[chart.target])
        if goal is None:
            continue
        label = "_" if drawn else chart.target_label
        if chart.horizontal:
            axes.vlines(goal, at - 0.45, at + 0.45, colors="red", linestyles="--", label=label)
        else:
            axes.hlines(goal, at - 0.45, at + 0.45, colors="red", linestyles="--", label=label)
        drawn = True
