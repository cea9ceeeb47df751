"""Report files: WHO-5, cost, outcomes, activity and targets by hand; xlsx, csv, PNG, CLI."""

from __future__ import annotations

import codecs
import io
import json
from datetime import date as D
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from bot.app import Rampe
from bot.cli import main
from bot.core import Inbound, Platform
from bot.platforms.console import run_console
from kernel.i18n import t
from kernel.vocabulary import Role
from reports.files import XLSX_CELL, render_xlsx
from reports.table import ReportTable
from tests.conftest import Chat
from tests.support_reports import citizen, company, contact, ended, staff, who5


def _programme(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, bo = staff(s, "anna"), staff(s, "bo")
        where = company(s, anna)
        people = [citizen(s, anna, f"Wenche {n}", D(2026, 1, 5), D(2026, 1, 6)) for n in range(6)]
        # Four with both: start 20, 24, 28, 29 (mean 25.25 -> 25.3); end 36, 50, 52, 64 (50.5).
        for person, start, end in zip(people, (20, 24, 28, 29), (36, 50, 52, 64), strict=False):
            who5(s, person, "start", start, D(2026, 1, 6))
            who5(s, person, "end", end, D(2026, 10, 1))
        who5(s, people[0], "start", 90, D(2026, 2, 1))  # a later start: the first one counts
        who5(s, people[4], "start", 10, D(2026, 1, 6))  # no end: not counted
        who5(s, people[5], "end", 70, D(2026, 10, 1))  # no start: not counted
        # Cost: 150 + 90 minutes with two citizens and one contact without minutes = 3 served,
        # and 60 minutes with a company alone: 5 h x 300 kr. x 1.2 = 1.800 kr. over 3 = 600 kr.
        contact(s, anna, people[0], "meeting", D(2026, 11, 16), 150)
        contact(s, anna, people[1], "phone", D(2026, 11, 17), 90)
        contact(s, anna, people[2], "sms", D(2026, 11, 23))
        contact(s, anna, None, "phone", D(2026, 11, 23), 60, where=where)
        ended(s, people[0], "job", D(2026, 10, 2))
        ended(s, people[1], "job", D(2026, 10, 2))
        ended(s, people[2], "sick_leave", D(2026, 10, 2))
        bo_citizen = citizen(s, bo, "Bos Borger", D(2026, 1, 5))
        contact(s, bo, bo_citizen, "meeting", D(2026, 11, 16), 600)


def _rows(chat: Chat, text: str, user: str = "anna") -> list[list[object]]:
    reply = chat.reply(text, user)  # type: ignore[attr-defined]
    (attachment,) = reply.files
    assert attachment.name.endswith(".json")
    return list(json.loads(attachment.data)["rows"])


def test_who5_cost_outcomes_activity(app: Rampe, chat: Chat) -> None:
    _programme(app)
    assert _rows(chat, "/rapport trivsel år json") == [
        ["Borgere med start og slut", 4, "", 4, ""],
        ["Gennemsnit", "25,3", "", "50,5", ""],
        ["Under 36", 4, 100, 0, 0],
        ["36-50", 0, 0, 2, 50],
        ["Over 50", 0, 0, 2, 50],
    ]
    cost = dict((str(r[0]), r[1]) for r in _rows(chat, "/rapport pris år json"))
    assert cost["Loggede timer"] == "5,0"
    assert cost["Samlet pris"] == "1800" and cost["Borgere betjent"] == 3
    assert cost["Pris pr. forløb"] == "600"
    # Two of three ended in a job: 66.67% -> 67%; one sick leave: 33.33% -> 33%.
    assert _rows(chat, "/rapport udfald år json") == [
        ["ordinært job", "job", 2, 67], ["sygemeldt", "ikke i arbejde", 1, 33],
        ["I alt", "", 3, 100],
    ]  # fmt: skip
    assert _rows(chat, "/rapport aktivitet måned json") == [
        ["Anna", "2026-W47", 2, 240], ["Anna", "2026-W48", 2, 60],
    ]  # fmt: skip
    targets = _rows(chat, "/rapport måltal år json")
    assert ["Jobrate", "55%", "67%", "ja"] in targets
    assert ["Varigt job", "60%", "0%", "nej"] in targets


def test_xlsx_has_definitions_and_handles(app: Rampe, chat: Chat) -> None:
    _programme(app)
    reply = chat.reply("/rapport jobrate år xlsx")  # type: ignore[attr-defined]
    assert reply.summary.startswith("Rapport klar: Jobrate, dine borgere, 2026")
    (attachment,) = reply.files
    assert attachment.name == "rampe-jobrate.xlsx"
    book = load_workbook(io.BytesIO(attachment.data))
    assert book.sheetnames == ["Rapport", "Definitioner", "Borgere"]
    rows = list(book["Rapport"].iter_rows(values_only=True))
    assert rows[1][3:] == ("Procent", "Mål %")
    assert rows[2] == ("Jobrate", 2, 3, 67, 55)  # percent and target in the same form
    definitions = [r[1] for r in book["Definitioner"].iter_rows(values_only=True)]
    assert any("Kohorte: forløb afsluttet i perioden" in str(d) for d in definitions)
    behind = {r[0]: r[1] for r in book["Borgere"].iter_rows(values_only=True)}
    assert behind["Jobrate"] == "BBB-0001, BBB-0002"
    status = chat.reply("/rapport status år xlsx").files[0]  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(status.data))["Borgere"]
    behind = {r[0]: r[1] for r in sheet.iter_rows(values_only=True)}
    assert behind["Afsluttede forløb ordinært job"] == "BBB-0001, BBB-0002"
    assert behind["Kontakter"] == "BBB-0001, BBB-0002, BBB-0003"
    text = "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for c in row)  # fmt: skip
    assert "Wenche" not in text  # handles only, never names


def test_csv_png_and_console_writes_files(app: Rampe, chat: Chat, tmp_path: Path) -> None:
    _programme(app)
    csv_reply = chat.reply("/rapport udfald år csv")  # type: ignore[attr-defined]
    data = csv_reply.files[0].data
    assert data.startswith(codecs.BOM_UTF8)  # so Danish Excel reads it as UTF-8
    assert data.decode("utf-8-sig").splitlines()[:2] == [
        "Udfald;Gruppe;Borgere;Procent", "ordinært job;job;2;67",
    ]  # fmt: skip
    who5 = chat.reply("/rapport trivsel år csv").files[0].data.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "Gennemsnit;25,3;;50,5;" in who5.splitlines()  # a decimal comma
    rate = chat.reply("/rapport jobrate år csv").files[0].data.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert rate.splitlines()[1] == "Jobrate;2;3;67;55"
    png = chat.reply("/rapport statusdato år png").files[0]  # type: ignore[attr-defined]
    assert png.mime == "image/png" and png.data.startswith(b"\x89PNG")
    app.settings.report_out_dir = str(tmp_path / "out")
    out = io.StringIO()
    run_console(app, "anna", stdin=io.StringIO("/rapport status uge csv\n"), stdout=out,
                interactive=False)  # fmt: skip
    written = tmp_path / "out" / "rampe-status.csv"
    assert f"Fil gemt: {written}" in out.getvalue()
    assert written.read_text(encoding="utf-8-sig").startswith("Tal;Art;uge 48 2026;uge 47 2026")
    english = io.StringIO()  # the console's own line in the language just chosen
    run_console(app, "anna", stdin=io.StringIO("/sprog en\n/report status week csv\n"),
                stdout=english, interactive=False)  # fmt: skip
    assert f"File saved: {written}" in english.getvalue() and "Fil gemt" not in english.getvalue()
    chat("/sprog da")
    assert "Rapporten »foo« kender jeg ikke" in chat("/rapport foo")
    assert chat("/rapport").startswith("Skriv: /rapport <navn> [periode]")


def test_cli_report_gives_the_same_figures(app: Rampe, tmp_path: Path) -> None:
    _programme(app)
    with app.unit_of_work() as s:
        staff(s, "admin", Role.ADMIN)
    admin = app.handle(Inbound(Platform.CONSOLE, "admin", "/rapport udfald år json"))
    runner = CliRunner()
    env = {"RAMPE_DATABASE_URL": app.settings.database_url}
    result = runner.invoke(
        main, ["report", "udfald", "--from", "2026-01-01", "--to", "2026-12-31", "--format",
               "json", "--as-of", "2026-11-23"], env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == json.loads(admin.files[0].data)["rows"]
    target = tmp_path / "cut.xlsx"
    result = runner.invoke(
        main, ["report", "cutoff", "--format", "xlsx", "--out", str(target),
               "--as-of", "2026-11-23"], env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target)["Rapport"].iter_rows(values_only=True))
    assert rows[-1] == ("I alt", 7, 100)
    bad = runner.invoke(main, ["report", "nope"], env=env)
    assert bad.exit_code != 0 and "Rapporten »nope« kender jeg ikke" in bad.output


def test_charts_say_what_they_draw(app: Rampe, chat: Chat) -> None:
    from kernel.i18n import t
    from reports.catalogue import ReportRequest, build_report
    from reports.charts import render_png
    from reports.periods import unit_period
    from reports.scope import ReportScope

    def table(name: str):  # type: ignore[no-untyped-def]
        with app.unit_of_work() as s:
            request = ReportRequest(name, ReportScope("all"), unit_period("year", D(2026, 11, 23)),
                                    app.clock(), D(2026, 11, 23), app.settings)  # fmt: skip
            return build_report(s, request, lambda key, **p: t("da", key, **p))

    empty = table("who5")
    assert empty.chart is not None and empty.chart.empty == "Ingen data endnu"
    nothing = render_png(empty)
    _programme(app)
    rate = table("jobrate")
    assert rate.chart is not None and rate.chart.percent
    assert rate.chart.target is not None and rate.columns[rate.chart.target] == "Mål %"
    assert rate.chart.values == (rate.columns.index("Procent"),)
    who5 = table("who5")
    assert who5.chart is not None  # the bands only: counts, never beside the means
    assert [who5.rows[i][0] for i in who5.chart.rows] == ["Under 36", "36-50", "Over 50"]
    activity = table("activity")
    assert activity.chart is not None and activity.chart.series == 0  # one line per person
    drawn = render_png(who5)
    assert nothing.startswith(b"\x89PNG") and drawn.startswith(b"\x89PNG") and nothing != drawn


def test_xlsx_keeps_a_handle_list_longer_than_a_cell() -> None:
    # A whole cohort's handles (15,782 at full size) are far more than Excel's 32,767
    # characters per cell: they go on in the rows below, none lost.
    handles = [f"B-{n:06d}" for n in range(1, 15_001)]
    table = ReportTable("jobrate", "Jobrate", ("Tal",), (("Jobrate",),), (),
                        (("Nævner", ", ".join(handles)), ("Jobrate", "B-000001")))  # fmt: skip
    book = load_workbook(io.BytesIO(render_xlsx(table, lambda key, **kw: t("da", key, **kw))))
    rows = list(book["Borgere"].iter_rows(min_row=2, values_only=True))
    assert all(len(str(text)) <= XLSX_CELL for _, text in rows)
    assert [term for term, _ in rows if term] == ["Nævner", "Jobrate"]
    listed = ",".join(str(text) for term, text in rows[:-1]).replace(" ", "").split(",")
    assert [h for h in listed if h] == handles


def test_activity_weeks_across_the_iso_year(app: Rampe, chat: Chat) -> None:
    """Weeks are summed in SQL by a Monday-based counter and named by ISO week: Sunday 28/12/2025
    is 2025-W52, Monday 29/12 already 2026-W01. Everyone's lines (from the counts per person and
    day) equal what each person sees of their own (from the contacts)."""
    with app.unit_of_work() as s:
        staff(s, "ida", Role.ADMIN)
        anna, bo = staff(s, "anna"), staff(s, "bo")
        mine, his = (
            citizen(s, anna, "Wenche Dal", D(2025, 9, 1)),
            citizen(s, bo, "Ole Sø", D(2025, 9, 1)),
        )
        for day, minutes in ((D(2025, 12, 28), 30), (D(2025, 12, 29), 45), (D(2026, 1, 4), None),
                             (D(2026, 1, 5), 15)):  # fmt: skip
            contact(s, anna, mine, "phone", day, minutes)
        contact(s, anna, None, "meeting", D(2026, 1, 4), 60, where=company(s, anna))
        contact(s, bo, his, "meeting", D(2026, 1, 1), 90)
    period = "/rapport aktivitet 22/12/2025-11/1/2026 json"
    anna_rows = [
        ["Anna", "2025-W52", 1, 30],
        ["Anna", "2026-W01", 3, 105],
        ["Anna", "2026-W02", 1, 15],
    ]
    assert _rows(chat, period) == anna_rows
    assert _rows(chat, period, "bo") == [["Bo", "2026-W01", 1, 90]]
    assert _rows(chat, period, "ida") == [*anna_rows, ["Bo", "2026-W01", 1, 90]]


def test_cost_in_the_chat_reads_handles_only_when_shown(app: Rampe, chat: Chat) -> None:
    """`/rapport pris` gives the same figures with and without `borgere` (without it the courses
    are not read, only the jobs and the contacts); with it, the handles behind each count."""
    _programme(app)
    plain = chat.reply("/rapport pris år")  # type: ignore[attr-defined]
    shown = chat.reply("/rapport pris år borgere")  # type: ignore[attr-defined]
    assert plain.sections[0] == shown.sections[0]
    facts = dict(plain.sections[0].facts)
    assert facts["Borgere betjent"] == "3" and facts["Samlet pris"] == "1800 kr."
    behind = shown.as_text()
    assert "Borgere betjent: BBB-0001, BBB-0002, BBB-0003" in behind, behind
    assert "BBB-0001" not in plain.as_text()
