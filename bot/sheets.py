"""The import/export layout: six sheets, their columns (Danish and English headers), and
reading and validating a workbook or CSV file into typed rows, with every error located."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from bot.parsing.safety import has_control_characters, looks_like_cpr
from bot.parsing.words import CONTACT_FORMS, JOB_KINDS, OUTCOMES, PLACEMENT_ENDS
from kernel.fold import fold
from kernel.vocabulary import ContactForm, JobKind, Outcome, PlacementEnd


@dataclass(frozen=True)
class Column:
    key: str
    da: str
    en: str
    kind: str  # text | date | int | float | yesno | form | jobkind | outcome | praktikend | phase
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str
    da: str
    en: str
    columns: tuple[Column, ...]


def _c(key: str, da: str, en: str, kind: str = "text", required: bool = False) -> Column:
    return Column(key, da, en, kind, required)


SHEETS: tuple[Sheet, ...] = (
    Sheet("citizens", "borgere", "citizens", (
        _c("ref", "borger", "citizen", required=True),
        _c("name", "navn", "name", required=True),
        _c("municipality", "kommune", "municipality"),
        _c("owner", "kontaktperson", "contact person", required=True),
        _c("team", "team", "team"),
        _c("referred_on", "henvist", "referred", "date", True),
        _c("started_on", "startet", "started", "date"),
        _c("paused_on", "pause fra", "paused from", "date"),
        _c("paused_until", "pause til", "paused until", "date"),
        _c("employed_at_start", "ansat ved start", "employed at start", "yesno"),
        _c("employed_at_start_hours", "timer ved start", "hours at start", "float"),
    )),
    Sheet("contacts", "kontakter", "contacts", (
        _c("citizen", "borger", "citizen"),
        _c("company", "virksomhed", "company"),
        _c("staff", "kontaktperson", "contact person", required=True),
        _c("form", "form", "form", "form", True),
        _c("occurred_on", "dato", "date", "date", True),
        _c("minutes", "minutter", "minutes", "int"),
        _c("note", "note", "note"),
    )),
    Sheet("placements", "praktikker", "placements", (
        _c("citizen", "borger", "citizen", required=True),
        _c("company", "virksomhed", "company", required=True),
        _c("start_on", "start", "start", "date", True),
        _c("planned_end_on", "planlagt slut", "planned end", "date"),
        _c("hours_per_week", "timer pr. uge", "hours per week", "float"),
        _c("ended_on", "slut", "end", "date"),
        _c("end_reason", "slutårsag", "end reason", "praktikend"),
    )),
    Sheet("jobs", "job", "jobs", (
        _c("citizen", "borger", "citizen", required=True),
        _c("company", "virksomhed", "company"),
        _c("kind", "art", "kind", "jobkind", True),
        _c("hours_per_week", "timer pr. uge", "hours per week", "float"),
        _c("start_on", "start", "start", "date", True),
        _c("ended_on", "slut", "end", "date"),
    )),
    Sheet("outcomes", "udfald", "outcomes", (
        _c("citizen", "borger", "citizen", required=True),
        _c("ended_on", "dato", "date", "date", True),
        _c("outcome", "udfald", "outcome", "outcome", True),
    )),
    Sheet("measurements", "målinger", "measurements", (
        _c("citizen", "borger", "citizen", required=True),
        _c("phase", "fase", "phase", "phase"),
        _c("score", "who5", "who5", "int", True),
        _c("measured_on", "dato", "date", "date", True),
    )),
)  # fmt: skip
BY_NAME = {fold(name): s for s in SHEETS for name in (s.da, s.en, s.key)}
PHASES = {"start": "start", "slut": "end", "end": "end"}
YES_NO = {"ja": True, "j": True, "yes": True, "y": True, "1": True, "true": True,
          "nej": False, "n": False, "no": False, "0": False, "false": False}  # fmt: skip
ENUMS: dict[str, tuple[dict[str, Any], type]] = {
    "form": (CONTACT_FORMS, ContactForm),
    "jobkind": (JOB_KINDS, JobKind),
    "outcome": (OUTCOMES, Outcome),
    "praktikend": (PLACEMENT_ENDS, PlacementEnd),
}
LIMITS = {"minutes": (0, 1440), "score": (0, 100), "hours_per_week": (0, 60),
          "employed_at_start_hours": (0, 60)}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One invalid cell: where it is and what is wrong (an i18n key and its parameters)."""

    sheet: str
    row: int  # as numbered in the spreadsheet (headers are row 1)
    column: str
    key: str
    params: tuple[tuple[str, str], ...] = ()


class InvalidFile(Exception):
    """The file cannot be imported; `problems` says exactly where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


Rows = dict[str, list[tuple[int, dict[str, Any]]]]  # sheet key -> (row number, values)


def read_file(path: Path) -> Rows:
    """Every sheet's rows as raw values keyed by column, from an .xlsx or a .csv file."""
    if path.suffix.casefold() == ".csv":
        return _read_csv(path)
    book = load_workbook(path, read_only=True, data_only=True)
    out: Rows = {}
    problems: list[Problem] = []
    for ws in book.worksheets:
        sheet = BY_NAME.get(fold(ws.title))
        if sheet is None:
            continue  # a guide or notes sheet
        out[sheet.key] = _table(sheet, ws.title, list(ws.iter_rows(values_only=True)), problems)
    if problems:
        raise InvalidFile(problems)
    if not out:
        raise InvalidFile([Problem(path.name, 0, "", "import.no_sheets")])
    return out


def _read_csv(path: Path) -> Rows:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    rows = [tuple(r) for r in csv.reader(io.StringIO(text), dialect)]
    sheet = BY_NAME.get(fold(path.stem)) or _sheet_by_headers(rows[0] if rows else ())
    if sheet is None:
        raise InvalidFile([Problem(path.name, 1, "", "import.no_sheets")])
    problems: list[Problem] = []
    table = _table(sheet, sheet.da, rows, problems)
    if problems:
        raise InvalidFile(problems)
    return {sheet.key: table}


def _sheet_by_headers(headers: tuple[Any, ...]) -> Sheet | None:
    names = {fold(str(h)) for h in headers if h}
    scored = [(sum(fold(c.da) in names or fold(c.en) in names for c in s.columns), s)
              for s in SHEETS]  # fmt: skip
    best = max(scored, key=lambda pair: pair[0])
    return best[1] if best[0] >= 2 else None


def _table(
    sheet: Sheet, title: str, rows: list[tuple[Any, ...]], problems: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    if not rows:
        return []
    by_header = {fold(n): c for c in sheet.columns for n in (c.da, c.en, c.key)}
    keys = [by_header.get(fold(str(h))) if h is not None else None for h in rows[0]]
    found = {c.key for c in keys if c is not None}
    for column in sheet.columns:
        if column.required and column.key not in found:
            problems.append(Problem(title, 1, column.da, "import.missing_column"))
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        values = {c.key: v for c, v in zip(keys, row, strict=False) if c is not None}
        out.append((number, values))
    return out


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for sep in ("-", ".", "/"):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            try:
                return date(a, b, c) if len(parts[0]) == 4 else date(c, b, a)
            except ValueError:
                return None
    return None


def convert(sheet: Sheet, column: Column, value: Any, row: int, problems: list[Problem]) -> Any:
    """One cell as its typed value, or None with a problem recorded."""
    where = (sheet.da, row, column.da)
    empty = value is None or str(value).strip() == ""
    if empty:
        if column.required:
            problems.append(Problem(*where, "import.required"))
        return None
    if column.kind != "date" and not isinstance(value, int | float):
        text = str(value)
        if looks_like_cpr(text):
            problems.append(Problem(*where, "import.cpr"))
            return None
        if has_control_characters(text):
            problems.append(Problem(*where, "import.control"))
            return None
    if column.kind == "text":
        return str(value).strip()
    if column.kind == "date":
        day = _date(value)
        if day is None:
            problems.append(Problem(*where, "import.bad_date", (("value", str(value)),)))
        return day
    if column.kind in ("int", "float"):
        return _number(column, value, where, problems)
    if column.kind == "yesno":
        answer = YES_NO.get(fold(str(value)).strip())
        if answer is None:
            shown = (("value", str(value)), ("allowed", "ja, nej"))
            problems.append(Problem(*where, "import.bad_value", shown))
        return answer
    if column.kind == "phase":
        phase = PHASES.get(fold(str(value)))
        if phase is None:
            shown = (("value", str(value)), ("allowed", "start, slut"))
            problems.append(Problem(*where, "import.bad_value", shown))
        return phase
    words, enum = ENUMS[column.kind]
    text = str(value).strip()
    stored = {e.value for e in enum}  # type: ignore[attr-defined]
    found = text if text in stored else words.get(text.casefold())
    if found is None:
        allowed = ", ".join(sorted({k for k in words if "-" not in k})[:20])
        problems.append(Problem(*where, "import.bad_value",
                                (("value", text), ("allowed", allowed))))  # fmt: skip
        return None
    return str(getattr(found, "value", found))


def _number(
    column: Column, value: Any, where: tuple[str, int, str], problems: list[Problem]
) -> Any:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        problems.append(Problem(*where, "import.bad_number", (("value", str(value)),)))
        return None
    low, high = LIMITS.get(column.key, (0, 10**6))
    if not low <= number <= high:
        limits = (("value", str(value)), ("low", str(low)), ("high", str(high)))
        problems.append(Problem(*where, "import.out_of_range", limits))
        return None
    return int(number) if column.kind == "int" else number
