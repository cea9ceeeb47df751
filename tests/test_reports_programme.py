"""The programme reports through the store, the chat and the command line."""

from __future__ import annotations

import json
import re
from datetime import date as D
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import insert

from bot.app import Rampe
from bot.cli import main
from kernel.i18n import t
from kernel.vocabulary import Role
from reports.catalogue import NAMES, REPORTS, SHOWN_NAMES, ReportRequest, shown_name
from reports.intensity import fetch_contacts, fetch_reach
from reports.periods import Period, unit_period
from reports.programme import figure_report
from reports.scope import ReportScope
from reports.status import status_report
from store import course
from store.models import Citizen, Contact
from tests.conftest import Chat
from tests.support_reports import (
    NOW,
    app_with,
    citizen,
    company,
    contact,
    ended,
    job,
    placement,
    staff,
)

YEAR = unit_period("year", D(2026, 11, 23))


def _figures(app: Rampe, municipality: str | None = None) -> dict[tuple[str, str], int]:
    with app.unit_of_work() as s:
        admin = staff(s, "admin", Role.ADMIN)
        scope = ReportScope("all", admin).with_municipality(municipality)
        result = status_report(s, scope, YEAR, NOW)
    return {(f.metric, f.key): f.current for f in result.figures}


def test_municipality_parts_sum_to_the_whole(app: Rampe, chat: Chat) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        for n, town in enumerate(("Aarhus", "Randers", "Odder")):
            person = citizen(s, anna, f"Borger {town}", D(2026, 2, 1), D(2026, 2, 2), town)
            for _ in range(n + 1):
                contact(s, anna, person, "phone", D(2026, 3, 1))
            contact(s, anna, person, "company_visit", D(2026, 3, 2), where=where)
        for _ in range(4):  # company contacts with no citizen belong to no municipality
            contact(s, anna, None, "phone", D(2026, 3, 3), where=where)
    whole = _figures(app)
    parts = [_figures(app, town) for town in ("Aarhus", "Randers", "Odder")]
    assert [p["company_contacts", ""] for p in parts] == [1, 1, 1]
    assert whole["company_contacts", ""] == 3 + 4
    for key in (("contacts", ""), ("company_contacts", ""), ("referrals", "")):
        assert sum(p[key] for p in parts) <= whole[key]
    assert sum(p["contacts", ""] for p in parts) == whole["contacts", ""] == 6
    assert (
        whole["contacts", "company_visit"] == 0 if ("contacts", "company_visit") in whole else True
    )
    text = chat("/status år kommune:Odder", user="admin")
    assert "Virksomhedskontakter       1" in text


def test_brug_din_rampe_three_disjoint_contact_buckets(app: Rampe) -> None:
    # 7,841 contacts = 1,504 meetings + 3,871 phone/SMS/mail + 2,466 company contacts,
    # 60 of those company contacts with the citizen there.
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        person = citizen(s, anna, "Mette Hansen", D(2016, 1, 4), D(2016, 1, 5))
        base = {"staff_id": anna.id, "occurred_on": D(2026, 5, 1), "created_at": NOW,
                "platform": "console"}  # fmt: skip
        rows = [{**base, "citizen_id": person.id, "form": "meeting"}] * 1504
        rows += [{**base, "citizen_id": person.id, "form": f} for f in ("phone", "sms", "email")
                 for _ in range(1291)][:3871]  # fmt: skip
        rows += [
            {**base, "citizen_id": person.id, "company_id": where.id, "form": "company_visit"}
        ] * 60
        rows += [{**base, "citizen_id": None, "company_id": where.id, "form": "phone"}] * 2406
        s.execute(insert(Contact), [{"company_id": None, **r} for r in rows])
    got = _figures(app)
    assert got["contacts", "meeting"] == 1504
    assert got["contacts", "phone"] + got["contacts", "sms"] + got["contacts", "email"] == 3871
    assert got["company_contacts", ""] == 2466
    assert got["contacts", ""] + got["company_contacts", ""] == 7841


def test_programme_reports_in_the_chat_files_and_cli(app: Rampe, chat: Chat) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        start = D(2026, 2, 1)
        for n, days in enumerate((10, 20, 60)):
            person = citizen(s, anna, f"Person {n}", D(2026, 1, 20), start)
            placement(s, person, where, D(2026, 2, 1 + days) if days < 28 else D(2026, 4, 2))
    text = chat("/rapport forløbstid år")
    assert text.startswith("Forløbstid, dine borgere, 2026")
    assert "Start til første praktik" in text
    assert "gns. 30,0 dage (median 20,0, 10,0-60,0; n=3)" in text
    assert "Definitioner:" in text and "Person" not in text
    assert "BBB-0001" not in text and "BBB-0001" in chat("/rapport forløbstid år borgere")
    english = chat("/rapport durations år json")
    assert english.startswith("Rapport klar: Forløbstid")
    for name in ("timer", "intensitet", "borgere", "pris", "fidelitet", "trivselsforløb"):
        assert "Definitioner:" in chat(f"/rapport {name} år"), name
    runner = CliRunner()
    env = {"RAMPE_DATABASE_URL": app.settings.database_url}
    out = runner.invoke(main, ["report", "forløbstid", "--from", "2026-01-01", "--to",
                               "2026-12-31"], env=env)  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "Start til første praktik" in out.output and "20,0" in out.output


def test_report_names_agree_across_help_cli_and_readme(chat: Chat) -> None:
    help_text = chat("/hjælp rapport")
    english_help = t("en", "help.rapport")
    cli = " ".join(CliRunner().invoke(main, ["report", "--help"]).output.split())
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert {english for _, english in SHOWN_NAMES} == set(REPORTS)
    for danish, english in SHOWN_NAMES:
        assert NAMES[danish] == NAMES[english] == english
        assert shown_name(danish, english) in cli, danish
        assert danish in help_text and english in english_help, danish
        assert f"`{danish}`" in readme and english in readme, danish


def _cohorts(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna", Role.LEAD, team="Nord")
        where = company(s, anna)
        a = citizen(s, anna, "Alma Andersen", D(2026, 1, 10), D(2026, 2, 1))
        placement(s, a, where, D(2026, 3, 1), D(2026, 3, 31), reason="job")
        job(s, a, where, "flex", D(2026, 4, 1))
        ended(s, a, "flex_job", D(2026, 10, 1))
        b = citizen(s, anna, "Bent Berg", D(2025, 6, 1), D(2025, 7, 1))
        ended(s, b, "moved", D(2026, 3, 1))
        c = citizen(s, anna, "Carl Clausen", D(2026, 2, 1), D(2026, 2, 5))
        placement(s, c, where, D(2026, 5, 1))
        citizen(s, anna, "Dora Dahl", D(2026, 3, 1))


def test_jobrate_cohorts_as_of_and_team_targets(app: Rampe, chat: Chat) -> None:
    _cohorts(app)
    expected = {  # cohort word: job rate line
        "": "1 af 2 = 50%",  # ended in 2026: Alma (fleksjob) and Bent (moved away)
        "kohorte:afsluttet": "1 af 2 = 50%",
        "kohorte:gennemført": "1 af 1 = 100%",  # moving away is not completing
        "kohorte:henvist": "1 af 3 = 33%",  # Alma, Carl, Dora
        "kohorte:startet": "1 af 2 = 50%",  # Alma, Carl
        "kohorte:praktik": "1 af 2 = 50%",  # Alma, Carl had a praktik start in 2026
    }
    for word, line in expected.items():
        assert f"Jobrate     {line}" in chat(f"/jobrate år {word}"), word
    assert "Kohorte: forløb gennemført i perioden" in chat("/jobrate år kohorte:gennemført")
    assert "Kohorten »x« kender jeg ikke" in chat("/jobrate år kohorte:x")
    # As of 30/6 only Bent had ended: a rerun in November gives what June gave.
    as_of = chat("/jobrate år pr. 30/6")
    assert "Jobrate     0 af 1 = 0%" in as_of and "Varigt job  0 af 1" in as_of
    assert "1/1/2026–30/6/2026" in as_of  # the heading says how far it counted
    assert "Skriv en dato efter »pr.«" in chat("/jobrate år pr.")
    team = app_with(app, RAMPE_TEAM_TARGETS={"nord": {"job_rate": 70}})
    from bot.core import Inbound, Platform

    reply = team.handle(Inbound(Platform.CONSOLE, "anna", "/jobrate år team")).as_text()
    assert "1 af 2 = 50% (mål 70%)" in reply and "(mål 60%)" in reply  # lasting: global
    assert "1 af 2 = 50% (mål 55%)" in chat("/jobrate år")  # not the team's own report


def test_jobrate_as_of_a_day_does_not_drift_when_later_events_are_logged(
    app: Rampe, chat: Chat
) -> None:
    # Referred in 2026 by 30/6: Ida in a job since 1/2 (six months on 1/8), Jon, and Kim, who
    # ended in a fleksjob on 1/5 after three months in it.
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        ida = citizen(s, anna, "Ida Iversen", D(2026, 1, 5), D(2026, 1, 6))
        job(s, ida, where, "flex", D(2026, 2, 1))
        jon = citizen(s, anna, "Jon Jakobsen", D(2026, 1, 10), D(2026, 1, 11))
        kim = citizen(s, anna, "Kim Kristensen", D(2026, 1, 15), D(2026, 1, 16))
        job(s, kim, where, "flex", D(2026, 2, 1))
        ended(s, kim, "flex_job", D(2026, 5, 1))
    june = "/jobrate år kohorte:henvist pr. 30/6"
    before = chat(june)
    assert "Jobrate     1 af 3 = 33%" in before and "Varigt job  0 af 3 = 0%" in before
    asked = ("/rapport jobrate år kohorte:henvist pr. 30/6", "/status år pr. 30/6",
             "/rapport status år pr. 30/6")  # fmt: skip
    answers = [chat(text) for text in asked]
    assert answers[1].startswith("Status for dine borgere, 1/1/2026–30/6/2026")
    env = {"RAMPE_DATABASE_URL": app.settings.database_url}
    command = ["report", "status", "--format", "json", "--as-of", "2026-06-30"]
    cli = CliRunner().invoke(main, command, env=env)
    assert cli.exit_code == 0 and "30/6/2026" in json.loads(cli.output)["title"], cli.output
    # Logged after 30/6: Ida's job ends on 1/10 (held eight months), Jon gets a job on 1/7 and
    # his course ends in it on 1/11.
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        in_job, later = s.get(Citizen, ida.id), s.get(Citizen, jon.id)
        assert in_job is not None and later is not None
        course.end_job(s, in_job, None, D(2026, 10, 1))
        job(s, later, company(s, anna, "Netto"), "ordinary", D(2026, 7, 1))
        ended(s, later, "job", D(2026, 11, 1))
    assert chat(june) == before
    assert [chat(text) for text in asked] == answers  # Jon's job start on 1/7 is not counted
    before_period = chat("/jobrate år pr. 30/6/2025")  # a day before the year asked for
    assert before_period.startswith("»pr. 30/6/2025« ligger før perioden, som begynder 1/1/2026.")
    assert "fx 1/1/2025-31/12/2025 pr. 30/6/2025" in before_period
    chat("/sprog en")
    english = chat("/jobrate year cohort:referred as of 30/6")  # as English is written
    assert english == chat("/jobrate year cohort:referred as-of 30/6")
    assert "Job rate     1 of 3 = 33%" in english and "1/1/2026–30/6/2026" in english
    chat("/sprog da")
    again = CliRunner().invoke(main, command, env=env)
    assert json.loads(again.output)["rows"] == json.loads(cli.output)["rows"]
    late = CliRunner().invoke(main, [*command, "--from", "2026-07-01", "--to", "2026-12-31"],
                              env=env)  # fmt: skip
    assert late.exit_code != 0 and "»pr. 30/6/2026« ligger før perioden" in late.output
    backwards = CliRunner().invoke(main, [*command, "--from", "2026-07-01"], env=env)
    assert backwards.exit_code != 0 and "Perioden skal starte før den slutter" in backwards.output
    now = chat("/jobrate år kohorte:henvist")
    assert "Jobrate     2 af 3 = 67%" in now and "Varigt job  1 af 3 = 33%" in now


def test_colleagues_of_the_same_name_are_told_apart_not_summed(app: Rampe, chat: Chat) -> None:
    # Three colleagues called Anna Holm, two in Nord and one in Syd, with 1, 2 and 3 contacts.
    with app.unit_of_work() as s:
        staff(s, "admin", Role.ADMIN)
        twins = [staff(s, f"anna{n}", team=team) for n, team in ((1, "Nord"), (2, "Syd"),
                                                                   (3, "Nord"))]  # fmt: skip
        for n, person in enumerate(twins, start=1):
            person.display_name = "Anna Holm"
            borger = citizen(s, person, f"Borger {n}", D(2026, 11, 2), D(2026, 11, 2))
            for day in range(n):
                contact(s, person, borger, "phone", D(2026, 11, 16 + day), minutes=10)
        ids = [person.id for person in twins]
    first, second, third = (f"Anna Holm (Nord, #{ids[0]})", "Anna Holm (Syd)",
                            f"Anna Holm (Nord, #{ids[2]})")  # fmt: skip
    activity = chat("/rapport aktivitet måned", user="admin")
    for name, n in ((first, 1), (second, 2), (third, 3)):
        assert re.search(rf"\n  {re.escape(name)} +2026-W47  {n}  {10 * n}\n", activity), name
    fidelity = chat("/rapport fidelitet måned", user="admin")
    caseload = chat("/rapport caseload måned", user="admin")
    for name in (first, second, third):
        assert re.search(rf"\n  Caseload af loftet, {re.escape(name)} +1 af 20", fidelity), name
        assert re.search(rf"\n  {re.escape(name)} +1  1  20\n", caseload), name


def test_contact_sums_count_weeks_not_days(app: Rampe) -> None:
    # Three contacts Monday to Wednesday of one week and one the next week: two weeks with a
    # contact; the company visit in a third week is a company contact, not a week of contact.
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        person = citizen(s, anna, "Borger Uge", D(2026, 1, 5), D(2026, 1, 6))
        for day in (2, 3, 4, 10):
            contact(s, anna, person, "phone", D(2026, 3, day), minutes=30)
        contact(s, anna, person, "company_visit", D(2026, 3, 18), minutes=60, where=where)
        contact(s, anna, None, "phone", D(2026, 3, 19), minutes=15, where=where)
    with app.unit_of_work() as s:
        scope = ReportScope("all", staff(s, "admin", Role.ADMIN))
        sums = fetch_contacts(s, scope, YEAR)
        # Anna's own citizens and her contacts without one: the same contacts, counted by
        # the scoped queries (with a citizen and without, two passes each).
        own = fetch_contacts(s, ReportScope("person", scope.viewer, person_id=anna.id), YEAR)
    for part in ("per_form", "weeks"):
        mine = getattr(own, part).sort_values(list(getattr(own, part).columns))
        every = getattr(sums, part).sort_values(list(getattr(sums, part).columns))
        assert mine.fillna(-1).values.tolist() == every.fillna(-1).values.tolist(), part
    assert [tuple(r) for r in sums.weeks.itertuples(index=False)] == [(person.id, 2)]
    # 4 x 30 minutes on the phone and a 60-minute company visit with the citizen; 15 minutes
    # with the company alone.
    for found in (sums, own):
        assert (found.minutes, found.minutes_alone, found.served) == (180, 15, {person.id})
    per_form = sorted(tuple(r) for r in sums.per_form.itertuples(index=False))
    assert per_form == [("company_visit", True, True, 1), ("phone", False, True, 4),
                        ("phone", True, False, 1)]  # fmt: skip
    employer = sums.per_staff.groupby("staff_id")["n"].sum()  # with a citizen and without
    assert employer.to_dict() == {anna.id: 2}


def test_weekly_contact_counts_only_citizens_seen_in_every_week(chat: Chat) -> None:
    # 1/11-23/11 2026 spans the Monday weeks 44-48: five weeks, to today (Monday 23/11).
    for name in ("Anne Ahl", "Bent Bo", "Cilla Cis"):
        chat(f"/borger ny {name} henvist:1/9")
        chat(f"/borger {name.split()[0]} start 1/10")
    for day in ("1/11", "2/11", "9/11", "16/11", "23/11"):  # every week
        chat(f"/log anne tlf {day}")
    for day in ("1/11", "2/11", "3/11", "16/11", "17/11", "23/11"):  # six, but no 9/11-15/11
        chat(f"/log bent tlf {day}")
    chat("/log cilla tlf 2/11")
    text = chat("/rapport intensitet 1/11-23/11 borgere")
    assert "Kontakt hver uge" in text and "1 af 3" in text, text
    handles = {line.split(":")[0].strip(): line for line in text.splitlines() if ":" in line}
    weekly = next(v for k, v in handles.items() if k.startswith("Kontakt hver uge"))
    assert "BBB-0001" in weekly and "BBB-0002" not in weekly, weekly


def test_intensity_counts_who_is_active_under_way_and_placed_in_sql(app: Rampe) -> None:
    """November 2026, as of Monday 23/11: active = started by 23/11 with a course touching the
    month; under way = started by 1/11 and not ended before 23/11; placed = a praktik or job
    starting in the month. Handles only when asked for."""
    month = Period("month", D(2026, 11, 1), D(2026, 11, 30))
    with app.unit_of_work() as s:
        admin, anna = staff(s, "admin", Role.ADMIN), staff(s, "anna")
        where = company(s, anna)
        old, start = D(2025, 1, 1), D(2025, 1, 5)
        a = citizen(s, anna, "Anne Aa", old, start)
        b = citizen(s, anna, "Bent Bo", old, start)
        placement(s, b, where, D(2026, 11, 10))
        c = citizen(s, anna, "Cilla Ce", D(2026, 11, 1), D(2026, 11, 2))  # started in the month
        citizen(s, anna, "Dan Do", D(2026, 10, 1))  # referred, not started
        e = ended(s, citizen(s, anna, "Eva Ek", old, start), "job", D(2026, 11, 15))
        ended(s, citizen(s, anna, "Finn Fe", old, start), "job", D(2026, 10, 1))  # before
        g = citizen(s, anna, "Gorm Gi", old, start)
        job(s, g, where, "ordinary", D(2026, 11, 1))
        citizen(s, anna, "Hans Ho", D(2026, 11, 1), D(2026, 11, 25))  # after today
        scope = ReportScope("all", admin)
        shown = fetch_reach(s, scope, month, D(2026, 11, 23), shown=True)
        counted = fetch_reach(s, scope, month, D(2026, 11, 23), shown=False)
        expected = sorted(str(p.handle) for p in (a, b, c, e, g))
        placed = sorted(str(p.handle) for p in (b, g))
    assert (shown.active, sorted(shown.active_handles), shown.ran) == (5, expected, 3)
    assert sorted(shown.placed) == placed
    assert (counted.active, counted.active_handles, counted.ran) == (5, (), 3)
    assert sorted(counted.placed) == placed


def test_days_to_the_first_employer_contact_of_those_started_in_the_period(app: Rampe) -> None:
    """Of the courses started in November: days from the start to the first company contact
    with the citizen by the period's end (0 if it came before the start); no such contact, no
    figure."""
    month = Period("month", D(2026, 11, 1), D(2026, 11, 30))
    with app.unit_of_work() as s:
        admin, anna = staff(s, "admin", Role.ADMIN), staff(s, "anna")
        where = company(s, anna)
        a = citizen(s, anna, "Anne Aa", D(2026, 10, 1), D(2026, 11, 2))
        contact(s, anna, a, "company_visit", D(2026, 11, 12), where=where)
        contact(s, anna, a, "company_visit", D(2026, 11, 20), where=where)
        b = citizen(s, anna, "Bent Bo", D(2026, 10, 1), D(2026, 11, 4))
        contact(s, anna, b, "phone", D(2026, 11, 1), where=where)  # before the start: 0 days
        c = citizen(s, anna, "Cilla Ce", D(2026, 10, 1), D(2026, 11, 5))
        contact(s, anna, c, "phone", D(2026, 11, 6))  # no company: no figure
        d = citizen(s, anna, "Dan Do", D(2026, 9, 1), D(2026, 10, 20))  # started before
        contact(s, anna, d, "company_visit", D(2026, 11, 3), where=where)
        e = citizen(s, anna, "Eva Ek", D(2026, 10, 1), D(2026, 11, 3))
        contact(s, anna, e, "company_visit", D(2026, 12, 2), where=where)  # after the period
        request = ReportRequest("fidelity", ReportScope("all", admin), month, NOW,
                                D(2026, 11, 23), app.settings)  # fmt: skip
        found = figure_report(s, request).get("days_to_employer_contact")
        handles = tuple(sorted(str(p.handle) for p in (a, b)))
    assert found.spread is not None
    assert (found.spread.n, found.spread.low, found.spread.high) == (2, 0, 10)
    assert found.handles == handles
