"""`rampe import` and `rampe export`: every registration in the layout of `bot.sheets`.

Import validates every row first and writes nothing while any row is invalid; the caller's
unit of work makes it one transaction. Courses are written through `store.course`, so an
imported course obeys the same rules as a typed one (a job ends with its course). Export writes
the same layout, so export then import into an empty database gives the same reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.sheets import SHEETS, InvalidFile, Problem, Rows, Sheet, convert, read_file
from kernel.errors import UserError
from kernel.fold import fold
from kernel.vocabulary import CitizenStatus, EventKind, Role
from store import course
from store.audit import audit
from store.handles import Draw, random_handle
from store.models import (
    Citizen,
    CitizenEvent,
    Company,
    Contact,
    Job,
    Measurement,
    Placement,
    Staff,
    Team,
)
from store.staff import ensure_team

Progress = Callable[[int], None]
Typed = dict[str, list[tuple[int, dict[str, Any]]]]
SHEET = {s.key: s for s in SHEETS}


def validate(rows: Rows) -> Typed:
    """Typed rows, or `InvalidFile` naming the sheet, row and column of every problem."""
    problems: list[Problem] = []
    typed: Typed = {}
    for key, table in rows.items():
        sheet = SHEET[key]
        typed[key] = [
            (n, {c.key: convert(sheet, c, raw.get(c.key), n, problems) for c in sheet.columns})
            for n, raw in table
        ]
    _check_links(typed, problems)
    if problems:
        raise InvalidFile(problems)
    return typed


def _check_links(typed: Typed, problems: list[Problem]) -> None:
    refs: dict[str, int] = {}
    referred: dict[str, date] = {}
    sheet = SHEET["citizens"]
    for n, row in typed.get("citizens", []):
        ref = row["ref"]
        if ref is not None and ref in refs:
            problems.append(Problem(sheet.da, n, "borger", "import.duplicate",
                                    (("value", ref), ("first", str(refs[ref]))),))  # fmt: skip
        refs.setdefault(ref, n)
        if row["referred_on"]:
            referred.setdefault(ref, row["referred_on"])
        if row["started_on"] and row["referred_on"] and row["started_on"] < row["referred_on"]:
            problems.append(Problem(sheet.da, n, "startet", "import.before_referral"))
        if row["employed_at_start"] is False and row["employed_at_start_hours"] is not None:
            problems.append(Problem(sheet.da, n, "timer ved start", "import.hours_not_employed"))
    for key, table in typed.items():
        if key == "citizens":
            continue
        name = SHEET[key].da
        for n, row in table:
            ref = row.get("citizen")
            if ref is not None and ref not in refs:
                problems.append(Problem(name, n, "borger", "import.unknown_citizen",
                                        (("value", str(ref)),)))  # fmt: skip
            if key == "contacts" and ref is None and row.get("company") is None:
                problems.append(Problem(name, n, "borger", "import.need_subject"))
            start, end = row.get("start_on"), row.get("ended_on")
            if start and end and end < start:
                problems.append(Problem(name, n, "slut", "import.end_before_start"))
            first = start or (end if key == "outcomes" else None)
            if first and ref in referred and first < referred[ref]:
                column = "start" if start else "dato"
                problems.append(Problem(name, n, column, "import.before_referral"))


def import_file(
    session: Session,
    path: Path,
    now: datetime,
    progress: Progress | None = None,
    draw: Draw = random_handle,
) -> dict[str, int]:
    """Validate `path` completely, then add everything; returns rows imported per sheet."""
    typed = validate(read_file(path))
    return apply(session, typed, now, progress or (lambda n: None), draw)


def total_rows(path: Path) -> int:
    """How many data rows a file holds (for a progress bar)."""
    return sum(len(t) for t in read_file(path).values())


class _Names:
    """Staff, teams and companies by name, created on first use."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self.staff = {s.name_folded: s for s in session.scalars(select(Staff))}
        self.companies = {c.name_folded: c for c in session.scalars(select(Company))}

    def person(self, name: str) -> Staff:
        key = fold(name)
        if key not in self.staff:
            found = Staff(display_name=name, name_folded=key, role=Role.CONTACT, language="da",
                          active=True, created_at=self.now)  # fmt: skip
            self.session.add(found)
            self.session.flush()
            self.staff[key] = found
        return self.staff[key]

    def company(self, name: str | None, owner: Staff) -> Company | None:
        if name is None:
            return None
        key = fold(name)
        if key not in self.companies:
            found = Company(name=name, name_folded=key, owner_id=owner.id, created_at=self.now)
            self.session.add(found)
            self.session.flush()
            self.companies[key] = found
        return self.companies[key]


def apply(
    session: Session, typed: Typed, now: datetime, progress: Progress, draw: Draw = random_handle
) -> dict[str, int]:
    """Add validated rows: citizens first, then their praktik, jobs, contacts, measurements and
    outcomes, courses through the domain. Nothing is committed here."""
    names = _Names(session, now)
    citizens: dict[str, Citizen] = {}
    for n, row in typed.get("citizens", []):
        owner = names.person(row["owner"])
        if row["team"]:
            owner.team_id = owner.team_id or ensure_team(session, row["team"], now).id
        with _located("citizens", n):
            person = course.register(
                session, full_name=row["name"], name_folded=fold(row["name"]), owner=owner,
                municipality=row["municipality"], referred_on=row["referred_on"], by=owner,
                now=now, draw=draw,
            )  # fmt: skip
            if row["team"]:
                person.team_id = ensure_team(session, row["team"], now).id
            if row["started_on"]:
                course.start(session, person, row["started_on"], owner, now)
            if row["employed_at_start"] is not None or row["employed_at_start_hours"] is not None:
                employed = row["employed_at_start"]
                course.set_employed_at_start(
                    session, person, True if employed is None else employed,
                    row["employed_at_start_hours"], now,
                )  # fmt: skip
            if row["paused_on"]:
                course.pause(
                    session, person, row["paused_on"], row["paused_until"], None, owner, now
                )
        citizens[row["ref"]] = person
        progress(1)
    _add_courses(session, typed, citizens, names, now, progress)
    _add_contacts(session, typed, citizens, names, now, progress)
    for n, row in typed.get("outcomes", []):
        person = citizens[row["citizen"]]
        owner = names.staff[fold(person.owner.display_name)]
        with _located("outcomes", n):
            course.close(session, person, row["outcome"], row["ended_on"], owner, now, now.date())
        progress(1)
    for person in citizens.values():
        audit(session, at=now, staff_id=None, platform="cli", action="create", entity="citizen",
              entity_id=person.id, citizen=person, detail="import")  # fmt: skip
    session.flush()
    return {key: len(rows) for key, rows in typed.items()}


@contextmanager
def _located(sheet: str, row: int) -> Iterator[None]:
    """A row the course rules refuse makes the file invalid, with the rule's own words."""
    try:
        yield
    except UserError as err:
        params = tuple((k, str(v)) for k, v in err.params.items())
        raise InvalidFile([Problem(SHEET[sheet].da, row, "", err.key, params)]) from None


def _by_start(table: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    return sorted(table, key=lambda item: (item[1]["start_on"], item[0]))


def _add_courses(
    session: Session, typed: Typed, citizens: dict[str, Citizen], names: _Names,
    now: datetime, progress: Progress,
) -> None:  # fmt: skip
    for n, row in _by_start(typed.get("placements", [])):
        person = citizens[row["citizen"]]
        owner = session.get(Staff, person.owner_id)
        where = names.company(row["company"], person.owner)
        assert where is not None and owner is not None
        with _located("placements", n):
            course.start_praktik(
                session, citizen=person, company=where, start_on=row["start_on"],
                planned_end_on=row["planned_end_on"], hours_per_week=row["hours_per_week"],
                by=owner, now=now,
            )  # fmt: skip
            if row["ended_on"] is not None:
                reason = row["end_reason"] or "ended"
                course.end_praktik(session, person, reason, None, row["ended_on"])
        progress(1)
    for n, row in _by_start(typed.get("jobs", [])):
        person = citizens[row["citizen"]]
        owner = session.get(Staff, person.owner_id)
        assert owner is not None
        with _located("jobs", n):
            course.start_job(
                session, citizen=person, company=names.company(row["company"], person.owner),
                kind=row["kind"], hours_per_week=row["hours_per_week"],
                start_on=row["start_on"], by=owner, now=now,
            )  # fmt: skip
            if row["ended_on"] is not None:
                course.end_job(session, person, None, row["ended_on"])
        progress(1)
    for _, row in typed.get("measurements", []):
        person = citizens[row["citizen"]]
        owner = session.get(Staff, person.owner_id)
        assert owner is not None
        course.measure(
            session, citizen=person, score=row["score"], items=None, phase=row["phase"],
            on=row["measured_on"], by=owner, now=now,
        )  # fmt: skip
        progress(1)
    session.flush()


def _add_contacts(
    session: Session, typed: Typed, citizens: dict[str, Citizen], names: _Names,
    now: datetime, progress: Progress,
) -> None:  # fmt: skip
    batch: list[dict[str, Any]] = []
    for _, row in typed.get("contacts", []):
        by = names.person(row["staff"])
        where = names.company(row["company"], by)
        person = citizens.get(row["citizen"]) if row["citizen"] else None
        batch.append({
            "citizen_id": person.id if person else None, "company_id": where.id if where else None,
            "staff_id": by.id, "form": row["form"], "occurred_on": row["occurred_on"],
            "minutes": row["minutes"], "note": row["note"], "platform": "import",
            "created_at": now,
        })  # fmt: skip
        if len(batch) >= 5000:
            session.execute(insert(Contact), batch)
            progress(len(batch))
            batch = []
    if batch:
        session.execute(insert(Contact), batch)
        progress(len(batch))


# --- Export ----------------------------------------------------------------------------------


def export_rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every registration as rows in the import layout (citizens by id, so handles repeat)."""
    staff = {s.id: s.display_name for s in session.scalars(select(Staff))}
    teams = {t.id: t.name for t in session.scalars(select(Team))}
    companies = {c.id: c.name for c in session.scalars(select(Company))}
    people = list(session.scalars(select(Citizen).order_by(Citizen.id)))
    handle = {c.id: c.handle for c in people}
    paused = {
        cid: day
        for cid, day in session.execute(
            select(CitizenEvent.citizen_id, CitizenEvent.on_date)
            .where(CitizenEvent.kind == EventKind.PAUSED)
            .order_by(CitizenEvent.id)
        )
    }
    out: dict[str, list[tuple[Any, ...]]] = {
        "citizens": [
            (c.handle, c.full_name, c.municipality, staff[c.owner_id], teams.get(c.team_id or 0),
             c.referred_on, c.started_on,
             paused.get(c.id) if c.status == CitizenStatus.PAUSED else None,
             c.paused_until if c.status == CitizenStatus.PAUSED else None,
             _yes_no(c.employed_at_start), c.employed_at_start_hours)
            for c in people
        ],
        "outcomes": [(c.handle, c.ended_on, c.outcome) for c in people
                     if c.status == CitizenStatus.ENDED],
    }  # fmt: skip
    out["contacts"] = [
        (handle.get(c.citizen_id or 0), companies.get(c.company_id or 0), staff[c.staff_id],
         c.form, c.occurred_on, c.minutes, c.note)
        for c in session.scalars(select(Contact).order_by(Contact.id))
    ]  # fmt: skip
    out["placements"] = [
        (handle[p.citizen_id], companies[p.company_id], p.start_on, p.planned_end_on,
         p.hours_per_week, p.ended_on, p.end_reason)
        for p in session.scalars(select(Placement).order_by(Placement.id))
    ]  # fmt: skip
    out["jobs"] = [
        (handle[j.citizen_id], companies.get(j.company_id or 0), j.kind, j.hours_per_week,
         j.start_on, j.ended_on)
        for j in session.scalars(select(Job).order_by(Job.id))
    ]  # fmt: skip
    out["measurements"] = [
        (handle[m.citizen_id], m.phase, m.score, m.measured_on)
        for m in session.scalars(
            select(Measurement).where(Measurement.instrument == "who5").order_by(Measurement.id)
        )
    ]
    return out


def write_workbook(
    path: Path, rows: dict[str, list[tuple[Any, ...]]], lang: str = "da",
    progress: Progress | None = None,
) -> None:  # fmt: skip
    """Write the six sheets (headers in `lang`) to an .xlsx file."""
    book = Workbook(write_only=True)
    for sheet in SHEETS:
        ws = book.create_sheet(_name(sheet, lang))
        ws.append([c.da if lang == "da" else c.en for c in sheet.columns])
        for row in rows.get(sheet.key, []):
            ws.append(list(row))
            if progress:
                progress(1)
    book.save(path)


def _name(sheet: Sheet, lang: str) -> str:
    return sheet.da if lang == "da" else sheet.en


def export_file(
    session: Session, path: Path, now: datetime, lang: str = "da",
    progress: Progress | None = None,
) -> dict[str, int]:  # fmt: skip
    """Export everything to `path`, audited per citizen; returns rows per sheet."""
    rows = export_rows(session)
    write_workbook(path, rows, lang, progress)
    audit_export(session, now)
    return {key: len(value) for key, value in rows.items()}


def audit_export(session: Session, now: datetime) -> None:
    """Every citizen's data left the system in an export: one audit event each."""
    for person in session.scalars(select(Citizen)):
        audit(session, at=now, staff_id=None, platform="cli", action="export", entity="citizen",
              entity_id=person.id, citizen=person, detail="export")  # fmt: skip


def _yes_no(value: bool | None) -> str | None:
    """`ja`, `nej` or empty: employed at start as the import reads it back."""
    return None if value is None else "ja" if value else "nej"


def write_template(path: Path, t: Callable[..., str]) -> None:
    """An empty workbook in the import layout, with a guide sheet describing every column."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = t("import.guide_sheet")
    guide.append([t("import.guide_sheet_col"), t("import.guide_col"), "English",
                  t("import.guide_required"), t("import.guide_format")])  # fmt: skip
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.da)
        ws.append([c.da for c in sheet.columns])
        for c in sheet.columns:
            required = t("word.yes") if c.required else t("word.no")
            guide.append([sheet.da, c.da, f"{sheet.en}: {c.en}", required,
                          t(f"import.format_{c.kind}")])  # fmt: skip
    book.save(path)
