"""Renderings of a `ReportTable`: a text table, JSON, CSV, xlsx with definitions, PNG."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.periods import Translate
from reports.table import ReportTable

MIMES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
    "png": "image/png",
    "table": "text/plain",
}


def render_text(table: ReportTable) -> str:
    """An aligned plain-text table with the definitions under it."""
    cells: list[list[object]] = [list(table.columns)]
    cells.extend([_cell(v) for v in row] for row in table.rows)
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(table.columns))]
    lines = [table.title, ""]
    for n, row in enumerate(cells):
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.extend(f"{term}: {text}" for term, text in table.definitions)
    return "\n".join(lines) + "\n"


def _cell(value: object) -> object:
    return "" if value is None else value


def render_json(table: ReportTable) -> str:
    """The table as a JSON object: title, columns, rows, definitions, handles."""
    return json.dumps(
        {
            "report": table.name,
            "title": table.title,
            "columns": list(table.columns),
            "rows": [[_cell(v) for v in row] for row in table.rows],
            "definitions": dict(table.definitions),
            "handles": dict(table.handles),
        },
        ensure_ascii=False,
        indent=2,
        default=str,
    )


def render_csv(table: ReportTable) -> str:
    """The rows as CSV for Danish Excel: `;` between cells, a decimal comma, a header line.

    The BOM that tells Excel the file is UTF-8 is added when the file is written.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_danish(v) for v in row] for row in table.rows)
    return out.getvalue()


def _danish(value: object) -> object:
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return _cell(value)


XLSX_CELL = 32_767  # the most characters an Excel cell holds; a longer text is cut off


def _cell_parts(text: str, limit: int = XLSX_CELL) -> list[str]:
    """`text` in parts that each fit a cell, split after a comma (a whole cohort's handles run
    to 150,000 characters at 15,000 citizens)."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind(", ", 0, limit - 1)
        cut = limit if cut <= 0 else cut + 1  # keep the comma with the part before
        parts.append(text[:cut])
        text = text[cut:].lstrip()
    return [*parts, text]


def render_xlsx(table: ReportTable, t: Translate) -> bytes:
    """A workbook: the report, a sheet with the definitions, a sheet with the handles."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("sheet.report")
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    defs = book.create_sheet(t("sheet.definitions"))
    defs.append([t("col.figure"), t("col.definition")])
    for term, text in table.definitions:
        defs.append([term, text])
    behind = book.create_sheet(t("sheet.handles"))
    behind.append([t("col.figure"), t("col.handles")])
    for term, handles in table.handles:
        for n, part in enumerate(_cell_parts(handles)):  # a long list goes on in the rows below
            behind.append([term if n == 0 else "", part])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_file(table: ReportTable, fmt: str, t: Translate) -> tuple[str, str, bytes]:
    """(file name, MIME type, bytes) of the table in `fmt` (xlsx, csv, json, png, table)."""
    if fmt == "xlsx":
        data = render_xlsx(table, t)
    elif fmt == "png":
        from reports.charts import render_png

        data = render_png(table)
    elif fmt == "csv":
        data = render_csv(table).encode("utf-8-sig")
    elif fmt == "json":
        data = render_json(table).encode("utf-8")
    else:
        data = render_text(table).encode("utf-8")
    extension = "txt" if fmt == "table" else fmt
    return f"rampe-{table.name}.{extension}", MIMES[fmt], data
