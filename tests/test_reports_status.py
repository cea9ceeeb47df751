"""/status and /caseload with hand-computed figures; status at a cut-off date; questions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.app import Rampe
from bot.core import Tone
from bot.render.reports import status_summary
from kernel.vocabulary import Role
from reports.periods import unit_period
from reports.scope import ReportScope
from reports.status import status_report
from store.models import FollowUp
from tests.conftest import Chat
from tests.support_reports import (
    NOW,
    app_with,
    citizen,
    company,
    contact,
    ended,
    give,
    job,
    pause,
    placement,
    staff,
)  # fmt: skip

D = date  # this week: Mon 23/11 - Sun 29/11 2026; the previous: 16/11 - 22/11


def _week(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, bo = staff(s, "anna"), staff(s, "bo")
        where = company(s, anna)
        a = citizen(s, anna, "Alma Andersen", D(2026, 11, 23), D(2026, 11, 23))
        b = citizen(s, anna, "Bent Berg", D(2026, 11, 17), D(2026, 11, 20))
        c = citizen(s, anna, "Carl Clausen", D(2026, 11, 18))
        d = citizen(s, bo, "Dora Dahl", D(2026, 11, 23))
        contact(s, anna, a, "phone", D(2026, 11, 23), note="privat note")
        contact(s, anna, a, "meeting", D(2026, 11, 23))
        contact(s, anna, b, "sms", D(2026, 11, 23))
        contact(s, anna, b, "meeting", D(2026, 11, 16))
        contact(s, anna, c, "phone", D(2026, 11, 22))
        contact(s, anna, c, "phone", D(2026, 11, 15))  # before both periods
        contact(s, anna, None, "phone", D(2026, 11, 23), where=where)  # company only, now
        contact(s, anna, b, "company_visit", D(2026, 11, 19), where=where)  # with citizen, prev
        contact(s, bo, d, "phone", D(2026, 11, 23))  # Bo's: not Anna's figures
        contact(s, bo, None, "phone", D(2026, 11, 23), where=where)
        placement(s, b, where, D(2026, 11, 23))
        placement(s, c, where, D(2026, 11, 18), D(2026, 11, 20), reason="interrupted")
        job(s, c, where, "flex", D(2026, 11, 21))
        ended(s, c, "flex_job", D(2026, 11, 22))
        for due, state in ((-1, "due"), (-2, "sent"), (2, "due"), (-3, "done")):
            s.add(FollowUp(
                key=f"k{due}{state}", rule="custom", citizen_id=a.id, staff_id=anna.id,
                due_at=NOW + timedelta(days=due), state=state, created_at=NOW, updated_at=NOW,
            ))  # fmt: skip


EXPECTED = {  # (metric, key): (this week, previous week)
    ("referrals", ""): (1, 2),
    ("starts", ""): (1, 2),  # Carl's first praktik started his course
    ("contacts", ""): (3, 2),  # the company visit with Bent is a company contact, not both
    ("contacts", "phone"): (1, 1),
    ("contacts", "meeting"): (1, 1),
    ("contacts", "sms"): (1, 0),
    ("company_contacts", ""): (1, 1),
    ("praktik_starts", ""): (1, 1),
    ("praktik_ends", ""): (0, 1),
    ("praktik_ends", "interrupted"): (0, 1),
    ("job_starts", "flex"): (0, 1),
    ("ended", "flex_job"): (0, 1),
}


def test_status_week_beside_previous(app: Rampe, chat: Chat) -> None:
    _week(app)
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        scope = ReportScope("own", anna, person_id=anna.id)
        result = status_report(s, scope, unit_period("week", D(2026, 11, 23)), NOW)
    got = {(f.metric, f.key): (f.current, f.previous) for f in result.figures}
    for figure, expected in EXPECTED.items():
        assert got[figure] == expected, figure
    assert ("contacts", "company_visit") not in got
    assert result.overdue == 2  # due yesterday and sent two days ago; not the future, not done
    text = chat("/status")
    assert text.startswith("Status for dine borgere, uge 48 2026 (forrige: uge 47 2026):")
    assert "Kontakter                  3 (forrige 2)" in text
    assert "virksomhedsbesøg" not in text
    assert "Forfaldne opfølgninger nu  2" in text
    assert "privat note" not in text and "Alma" not in text


def test_status_handles_admin_and_digest(app: Rampe, chat: Chat) -> None:
    _week(app)
    with app.unit_of_work() as s:
        staff(s, "admin", Role.ADMIN)
    text = chat("/status uge borgere", user="admin")
    assert text.startswith("Status for alle borgere")
    assert "Kontakter                  4 (forrige 2)" in text  # Bo's contact counts for admin
    assert "[BBB-0001, BBB-0002, BBB-0004]" in text
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        digest = status_summary(s, anna, unit_period("week", D(2026, 11, 23)), NOW)
    assert digest.private is False
    assert "Nye henvisninger" in digest.as_text() and "BBB-0001" not in digest.as_text()


def test_empty_period_is_all_zero(app: Rampe, chat: Chat) -> None:
    _week(app)
    text = chat("/status 1/1/2020-31/1/2020")
    assert "Nye henvisninger           0 (forrige 0)" in text
    assert "Kontakter                  0 (forrige 0)" in text
    assert "»blabla« forstår jeg ikke" in chat("/status blabla")


def test_caseload_both_readings_against_cap(app: Rampe, chat: Chat) -> None:
    with app.unit_of_work() as s:
        lead = staff(s, "lene", Role.LEAD, team="Nord")
        anna = staff(s, "anna", team="Nord")
        people = [citizen(s, anna, f"Person {n}", D(2026, 9, 1), D(2026, 9, 2)) for n in range(4)]
        contact(s, anna, people[0], "phone", D(2026, 10, 27))  # 28 days ago: inside 4 weeks
        contact(s, anna, people[1], "phone", D(2026, 10, 26))  # 29 days ago: outside
        pause(s, people[2], D(2026, 11, 1))  # paused still counts as active
        ended(s, people[3], "moved", D(2026, 11, 2))
        for person in people:
            person.team_id = lead.team_id
    capped = app_with(app, RAMPE_CASELOAD_CAP=2)
    from bot.core import Inbound, Platform

    def ask(text: str, user: str) -> str:
        return capped.handle(Inbound(Platform.CONSOLE, user, text)).as_text()

    team = ask("/caseload team", "lene")
    assert "Anna  3 aktive, 1 med kontakt de sidste 4 uger (loft 2) OVER LOFTET" in team
    own = ask("/caseload", "anna")
    assert own.startswith("Dine aktive borgere (3):")
    silent = ask("/caseload uden-kontakt 14", "anna")
    assert silent.startswith("Ingen kontakt de sidste 14 dage (3):")
    assert "Person 2 (BBB-0003): aldrig kontaktet" in silent
    assert "Annas aktive borgere (3)" in ask("/caseload @anna", "lene")
    assert "ikke adgang" in chat("/caseload @lene", user="anna")


def test_questions_in_plain_danish(app: Rampe, chat: Chat) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        ended(s, citizen(s, anna, "Mette Hansen", D(2026, 2, 1)), "job", D(2026, 6, 1))
    jobs = chat("hvor mange er kommet i job i år?")
    assert jobs.startswith("Forstået som: /jobrate i år\nJobrate for dine borgere, 2026:")
    assert "1 af 1 = 100%" in jobs
    assert chat("hvad er min caseload?").startswith("Forstået som: /caseload\n")
    assert chat("hvem har jeg ikke talt med i 14 dage?").startswith(
        "Forstået som: /caseload uden-kontakt 14\n"
    )
    unknown = chat("hvad er klokken?")
    assert unknown.startswith("Det spørgsmål forstår jeg ikke endnu")
    assert "/jobrate i år" in unknown
    assert "Mente du /status?" in chat("statuss")  # a typo is still a typo
    assert chat("/status denne måned?").startswith("Status for dine borgere, november 2026")
    chat("/sprog en")
    assert chat("how many got a job this year?").startswith("Understood as: /jobrate this year")
    unknown = chat("what time is it?")
    assert unknown.startswith("I do not understand that question yet")
    assert "/jobrate this year" in unknown and "/jobrate i år" not in unknown
    assert "Did you mean /placement?" in chat("/placment mette")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_suggestion_for_a_question_runs(chat: Chat, lang: str) -> None:
    from bot.handlers.questions import SUGGESTIONS

    chat(f"/sprog {lang}")
    for suggestion in SUGGESTIONS[lang]:
        reply = chat.reply(suggestion)  # type: ignore[attr-defined]
        assert reply.tone != Tone.ERROR, (suggestion, reply.summary)


def test_status_at_cut_off_buckets_sum_to_cohort(app: Rampe) -> None:
    from bot.parsing.periods import parse_period
    from kernel.i18n import t
    from reports.catalogue import ReportRequest, build_report
    from reports.periods import Period

    with app.unit_of_work() as s:
        anna, bo = staff(s, "anna"), staff(s, "bo")
        where = company(s, anna)
        citizen(s, anna, "Rask Referred", D(2026, 11, 10))
        citizen(s, anna, "Aktiv Andersen", D(2026, 9, 1), D(2026, 9, 2))
        p = citizen(s, anna, "Praktik Poulsen", D(2026, 9, 1), D(2026, 9, 2))
        placement(s, p, where, D(2026, 10, 1))
        j = citizen(s, anna, "Job Jensen", D(2026, 8, 1), D(2026, 8, 2))
        placement(s, j, where, D(2026, 8, 10), D(2026, 9, 30), reason="job")
        job(s, j, where, "flex", D(2026, 10, 1))
        z = citizen(s, anna, "Pause Petersen", D(2026, 9, 1), D(2026, 9, 2))
        placement(s, z, where, D(2026, 10, 1))
        pause(s, z, D(2026, 11, 20))
        moved = citizen(s, anna, "Trans Thomsen", D(2026, 8, 1), D(2026, 8, 2))
        ended(s, moved, "transferred", D(2026, 11, 15))
        ended(s, citizen(s, anna, "Flex Frandsen", D(2026, 3, 1), D(2026, 3, 2)), "flex_job",
              D(2026, 10, 1))  # fmt: skip
        give(s, citizen(s, bo, "Given Gregersen", D(2026, 7, 1), D(2026, 7, 2)), anna,
             D(2026, 11, 2))  # fmt: skip
        give(s, citizen(s, anna, "Away Aagaard", D(2026, 7, 1), D(2026, 7, 2)), bo,
             D(2026, 11, 2))  # fmt: skip
        scope = ReportScope("own", anna, person_id=anna.id, name="Anna")

        def buckets(period: Period) -> dict[str, int]:
            req = ReportRequest("cutoff", scope, period, NOW, D(2026, 11, 23), app.settings)
            table = build_report(s, req, lambda key, **p: t("da", key, **p))
            return {str(r[0]): int(str(r[1])) for r in table.rows}

        today = buckets(unit_period("year", D(2026, 11, 23)))
        assert today == {
            "Henvist, ikke startet": 1, "Aktiv": 2, "I praktik": 1, "I job": 1, "På pause": 1,
            "Afsluttet: overgået til anden aktør": 1, "Afsluttet: fleksjob": 1, "I alt": 8,
        }  # fmt: skip
        assert sum(v for k, v in today.items() if k != "I alt") == today["I alt"]
        # Ended as the outcomes report orders them: a job before leaving for another provider
        # (Thomsen's course was registered first).
        assert list(today)[5:7] == ["Afsluttet: fleksjob", "Afsluttet: overgået til anden aktør"]
        # At 31/10: Rask not yet referred, Thomsen still active, Petersen not yet paused.
        past = parse_period("1/1/2026-31/10/2026", D(2026, 11, 23))
        assert past is not None
        earlier = buckets(past)
        assert earlier["I praktik"] == 2 and earlier["Aktiv"] == 3 and earlier["I job"] == 1
        assert earlier["Henvist, ikke startet"] == 0 and earlier["På pause"] == 0
        assert earlier["I alt"] == 7 == sum(v for k, v in earlier.items() if k != "I alt")


def test_a_range_ending_later_this_year_is_this_years(chat: Chat) -> None:
    """`1/9-30/11` typed on 23/11 is this autumn, as the error text's own example says."""
    assert chat("/status 1/9-30/11").startswith("Status for alle borgere, 1/9/2026–30/11/2026")
    assert chat("/status 1/12-31/1").startswith("Status for alle borgere, 1/12/2025–31/1/2026")
    assert chat("/status 1/9/2026-1/1/2026").startswith("Perioden skal starte før den slutter")
