"""rampe import / export: round trip gives the same reports; bad files import nothing."""

from __future__ import annotations

import json
from datetime import date as D
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.app import Rampe
from bot.cli import main
from bot.report_cli import run_report
from reports.periods import unit_period
from store.db import make_engine, upgrade_schema
from store.models import Citizen, Contact, Job
from tests.conftest import empty_tables
from tests.support_reports import (
    NOW,
    citizen,
    company,
    contact,
    ended,
    job,
    pause,
    placement,
    staff,
    who5,
)  # fmt: skip

REPORTS = ("status", "jobrate", "cutoff", "outcomes", "who5", "activity", "cost", "caseload")


def _programme(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, bo = staff(s, "anna", team="Nord"), staff(s, "bo")
        where = company(s, anna, "Bilka Tilst")
        a = citizen(s, anna, "Alma Andersen", D(2026, 1, 5), D(2026, 1, 6), "Silkeborg")
        b = citizen(s, anna, "Bent Berg", D(2026, 2, 1), D(2026, 2, 3))
        c = citizen(s, bo, "Carl Clausen", D(2026, 3, 1))
        placement(s, a, where, D(2026, 2, 1), D(2026, 3, 1), reason="job")
        job(s, a, where, "flex", D(2026, 3, 2))
        placement(s, b, where, D(2026, 10, 1))
        pause(s, b, D(2026, 11, 2))
        ended(s, a, "flex_job", D(2026, 10, 15))
        who5(s, a, "start", 32, D(2026, 1, 6))
        who5(s, a, "end", 56, D(2026, 10, 15))
        contact(s, anna, a, "meeting", D(2026, 11, 16), 45, note="aftalte næste møde")
        contact(s, anna, b, "phone", D(2026, 11, 20), 10)
        contact(s, anna, None, "company_visit", D(2026, 11, 18), 30, where=where)
        contact(s, bo, c, "sms", D(2026, 11, 19))


def _figures(app: Rampe) -> dict[str, object]:
    with app.unit_of_work() as s:
        return {
            name: json.loads(
                run_report(
                    s, app.settings, name, unit_period("year", NOW.date()), NOW, NOW.date(), "json"
                )[2]
            )
            for name in REPORTS
        }


def _empty_like(app: Rampe, tmp_path: Path) -> str:
    """An empty, migrated database of the same kind as the test's."""
    if app.engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        return url
    with app.engine.begin() as conn:
        empty_tables(conn)
    return app.settings.database_url


def test_export_then_import_gives_the_same_reports(app: Rampe, tmp_path: Path) -> None:
    _programme(app)
    before = _figures(app)
    assert before["jobrate"]["rows"][0][1:4] == [1, 1, 100]  # type: ignore[index]
    runner = CliRunner()
    file = tmp_path / "alt.xlsx"
    out = runner.invoke(
        main, ["export", str(file)], env={"RAMPE_DATABASE_URL": app.settings.database_url}
    )
    assert out.exit_code == 0, out.output
    assert "Eksporteret til" in out.output and "contacts 4" in out.output
    target = _empty_like(app, tmp_path)
    env = {"RAMPE_DATABASE_URL": target, "RAMPE_HANDLE_ORDER": "sequential"}
    done = runner.invoke(main, ["import", str(file)], env=env)
    assert done.exit_code == 0, done.output
    assert "Importeret: citizens 3, contacts 4" in done.output
    again = Rampe(app.settings.model_copy(update={"database_url": target}), clock=app.clock)
    after = _figures(again)
    for name in REPORTS:
        assert after[name] == before[name], name
    with again.unit_of_work() as s:
        notes = s.scalars(select(Contact.note).where(Contact.note.is_not(None))).all()
        assert notes == ["aftalte næste møde"]
        assert s.scalar(select(Citizen.status).where(Citizen.handle == "BBB-0002")) == "paused"
    again.engine.dispose()


def _bad_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "borgere"
    sheet.append(["borger", "navn", "kommune", "kontaktperson", "henvist", "startet"])
    sheet.append(["A1", "Alma Andersen", "Silkeborg", "Anna", "2026-01-05", "2026-01-06"])
    sheet.append(["A2", "", None, "Anna", "31.02.2026", None])
    sheet.append(["A3", "Bent 010190-1234", None, "Anna", D(2026, 2, 1), None])
    sheet.append(["A1", "Carl", None, "Bo", "2026-03-01", "2026-02-01"])
    contacts = book.create_sheet("contacts")  # English sheet and headers are accepted
    contacts.append(["citizen", "company", "contact person", "form", "date", "minutes"])
    contacts.append(["A1", None, "Anna", "tlf", "2026-11-20", 20])
    contacts.append(["ZZ", None, "Anna", "brevdue", "2026-11-20", "lang"])
    contacts.append([None, None, "Anna", "møde", "2026-11-20", 3000])
    measures = book.create_sheet("målinger")
    measures.append(["borger", "fase", "who5", "dato"])
    measures.append(["A1", "midt", 120, "2026-11-20"])
    book.save(path)


def test_bad_file_is_rejected_precisely_and_nothing_is_imported(app: Rampe, tmp_path: Path) -> None:
    file = tmp_path / "bad.xlsx"
    _bad_workbook(file)
    result = CliRunner().invoke(main, ["import", str(file)],
                                env={"RAMPE_DATABASE_URL": app.settings.database_url})  # fmt: skip
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Ark")]
    assert lines == [
        "Ark »borgere«, række 3, kolonne »navn«: skal udfyldes",
        "Ark »borgere«, række 3, kolonne »henvist«: »31.02.2026« er ikke en dato; skriv fx "
        "2026-11-23 eller 23.11.2026",
        "Ark »borgere«, række 4, kolonne »navn«: ligner et CPR-nummer, og CPR-numre må ikke "
        "gemmes i Rampe",
        "Ark »kontakter«, række 3, kolonne »form«: »brevdue« kender jeg ikke; skriv en af: "
        + lines[3].split("skriv en af: ")[1],
        "Ark »kontakter«, række 3, kolonne »minutter«: »lang« er ikke et tal",
        "Ark »kontakter«, række 4, kolonne »minutter«: 3000 skal ligge mellem 0 og 1440",
        "Ark »målinger«, række 2, kolonne »fase«: »midt« kender jeg ikke; skriv en af: start, slut",
        "Ark »målinger«, række 2, kolonne »who5«: 120 skal ligge mellem 0 og 100",
        "Ark »borgere«, række 5, kolonne »borger«: »A1« står allerede i række 2",
        "Ark »borgere«, række 5, kolonne »startet«: startdatoen ligger før henvisningen",
        "Ark »kontakter«, række 3, kolonne »borger«: borgeren »ZZ« står ikke på arket borgere",
        "Ark »kontakter«, række 4, kolonne »borger«: skriv en borger eller en virksomhed",
    ]
    assert "Intet er importeret: 12 fejl." in result.output
    assert "010190" not in result.output  # the CPR number itself is never echoed
    with app.unit_of_work() as s:
        assert s.scalar(select(func.count(Citizen.id))) == 0
        assert s.scalar(select(func.count(Contact.id))) == 0


def test_csv_with_english_headers_and_unknown_file(app: Rampe, tmp_path: Path) -> None:
    env = {"RAMPE_DATABASE_URL": app.settings.database_url, "RAMPE_HANDLE_ORDER": "sequential"}
    good = tmp_path / "citizens.csv"
    good.write_text("citizen;name;municipality;contact person;referred;started\n"
                    "X1;Mette Hansen;Silkeborg;Anna;23.11.2026;\n", encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["import", str(good)], env=env)
    assert result.exit_code == 0, result.output
    assert "Importeret: citizens 1." in result.output
    with app.unit_of_work() as s:
        assert s.scalars(select(Citizen.handle)).all() == ["BBB-0001"]
    odd = tmp_path / "noter.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(odd)], env=env)
    assert result.exit_code == 1 and "filen har ingen af arkene" in result.output


def _courses_workbook(path: Path, jobs: list[list[object]]) -> None:
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "borgere"
    people.append(["borger", "navn", "kontaktperson", "henvist"])
    people.append(["B1", "Mette Hansen", "Anna", "2026-09-01"])
    people.append(["B2", "Søren Jensen", "Anna", "2026-09-01"])
    sheet = book.create_sheet("job")
    sheet.append(["borger", "virksomhed", "art", "start", "slut"])
    for row in jobs:
        sheet.append(row)
    outcomes = book.create_sheet("udfald")
    outcomes.append(["borger", "dato", "udfald"])
    outcomes.append(["B1", "2026-11-15", "ledig"])
    book.save(path)


def test_import_writes_courses_through_the_domain(app: Rampe, tmp_path: Path) -> None:
    env = {"RAMPE_DATABASE_URL": app.settings.database_url, "RAMPE_HANDLE_ORDER": "sequential"}
    early = tmp_path / "early.xlsx"
    _courses_workbook(early, [["B2", "Bilka", "fleksjob", "2026-08-01", None]])
    result = CliRunner().invoke(main, ["import", str(early)], env=env)
    assert result.exit_code == 1
    assert "Ark »job«, række 2, kolonne »start«: startdatoen ligger før henvisningen" in (
        result.output
    )
    twice = tmp_path / "twice.xlsx"
    two_open: list[list[object]] = [
        ["B2", "Bilka", "fleksjob", "2026-09-15", None],
        ["B2", "Netto", "småjob", "2026-10-01", None],
    ]
    _courses_workbook(twice, two_open)
    result = CliRunner().invoke(main, ["import", str(twice)], env=env)
    assert result.exit_code == 1
    assert "Ark »job«, række 3, kolonne »«: Søren Jensen (BBB-0002) har allerede et job." in (
        result.output
    )
    with app.unit_of_work() as s:
        assert s.scalar(select(func.count(Citizen.id))) == 0  # nothing of either file stayed
    good = tmp_path / "good.xlsx"
    _courses_workbook(good, [["B1", "Bilka", "fleksjob", "2026-09-15", None]])
    result = CliRunner().invoke(main, ["import", str(good)], env=env)
    assert result.exit_code == 0, result.output
    with app.unit_of_work() as s:
        job = s.scalars(select(Job)).one()
        assert (job.start_on, job.ended_on) == (D(2026, 9, 15), D(2026, 11, 15))  # with the course


def test_employed_at_start_goes_out_and_comes_back(app: Rampe, tmp_path: Path) -> None:
    from store import course

    _programme(app)
    with app.unit_of_work() as s:
        alma, bent = (s.scalar(select(Citizen).where(Citizen.full_name == n))
                      for n in ("Alma Andersen", "Bent Berg"))  # fmt: skip
        assert alma is not None and bent is not None
        course.set_employed_at_start(s, alma, True, 7.5, NOW)
        course.set_employed_at_start(s, bent, False, None, NOW)
    file = tmp_path / "alt.xlsx"
    runner = CliRunner()
    out = runner.invoke(main, ["export", str(file)],
                        env={"RAMPE_DATABASE_URL": app.settings.database_url})  # fmt: skip
    assert out.exit_code == 0, out.output
    target = _empty_like(app, tmp_path)
    env = {"RAMPE_DATABASE_URL": target, "RAMPE_HANDLE_ORDER": "sequential"}
    done = runner.invoke(main, ["import", str(file)], env=env)
    assert done.exit_code == 0, done.output
    again = Rampe(app.settings.model_copy(update={"database_url": target}), clock=app.clock)
    with again.unit_of_work() as s:
        got = dict(
            (name, (employed, hours))
            for name, employed, hours in s.execute(
                select(Citizen.full_name, Citizen.employed_at_start,
                       Citizen.employed_at_start_hours)
            )
        )  # fmt: skip
    assert got == {"Alma Andersen": (True, 7.5), "Bent Berg": (False, None),
                   "Carl Clausen": (None, None)}  # fmt: skip
    filtered = runner.invoke(
        main, ["report", "statusdato", "--format", "json", "--as-of", "2026-11-23",
               "--filter", "ansat-ved-start"], env=env,
    )  # fmt: skip
    assert filtered.exit_code == 0, filtered.output
    assert json.loads(filtered.output)["rows"][-1][1] == 1  # Alma only
    again.engine.dispose()


def test_employed_at_start_is_read_as_yes_or_no(app: Rampe, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "borgere"
    sheet.append(["borger", "navn", "kontaktperson", "henvist", "ansat ved start",
                  "timer ved start"])  # fmt: skip
    sheet.append(["A1", "Alma Andersen", "Anna", "2026-01-05", "måske", None])
    sheet.append(["A2", "Bent Berg", "Anna", "2026-01-05", "nej", 10])
    sheet.append(["A3", "Carl Clausen", "Anna", "2026-01-05", "ja", 80])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    env = {"RAMPE_DATABASE_URL": app.settings.database_url}
    result = CliRunner().invoke(main, ["import", str(path)], env=env)
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert any("»borgere«, række 2" in line and "»måske«" in line for line in lines)
    assert any("række 3" in line and "passer kun til »ja«" in line for line in lines)
    assert any("række 4" in line and "80 skal ligge mellem 0 og 60" in line for line in lines)
    with app.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Citizen)) == 0
