"""/jobrate with hand-computed figures: rounding edges, lasting jobs, pension, scope, empty."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.app import Rampe
from kernel.vocabulary import Role
from reports.numbers import half_up, pct
from store.models import AuditEvent, Citizen
from tests.conftest import Chat
from tests.support_reports import app_with, citizen, company, ended, job, staff

OUTCOMES = ["job"] * 30 + ["flex_job"] * 2 + ["small_job"] + ["unemployed"] * 5 + [
    "transferred", "disability_pension"
]  # fmt: skip


def test_rounding_is_half_up() -> None:
    assert pct(33, 40) == 83  # 82.5
    assert pct(37, 40) == 93  # 92.5
    assert pct(1, 8) == 13  # 12.5, where round() gives 12
    assert pct(3, 40) == 8  # 7.5
    assert pct(0, 0) is None
    assert str(half_up(25.25, 1)) == "25.3"


def _programme(app: Rampe) -> None:
    """40 of Anna's courses ended in 2026: 33 in a counted job outcome (82.5%)."""
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        bo = staff(s, "bo")
        where = company(s, anna)
        people = [
            citizen(s, anna, f"Borger {n:02d}", date(2026, 1, 2), date(2026, 1, 5))
            for n in range(len(OUTCOMES))
        ]
        # Lasting: 5/1 + 6 months = 5/7 <= 5/7 (lasting); 1/3 + 6 months = 1/9 > 31/8 (not);
        # jobs still open end with the course on 1/10: since 1/4 that is six months (lasting),
        # since 2/4 it is not.
        job(s, people[0], where, "ordinary", date(2026, 1, 5), date(2026, 7, 5))
        job(s, people[1], where, "ordinary", date(2026, 3, 1), date(2026, 8, 31))
        job(s, people[2], where, "ordinary", date(2026, 4, 1))
        job(s, people[3], where, "ordinary", date(2026, 4, 2))
        for person, outcome in zip(people, OUTCOMES, strict=True):
            ended(s, person, outcome, date(2026, 10, 1))
        # Outside Anna's cohort: ended in 2025, and Bo's own course.
        ended(s, citizen(s, anna, "Gammel Sag", date(2025, 1, 1)), "job", date(2025, 12, 31))
        ended(s, citizen(s, bo, "Bos Borger", date(2026, 2, 1)), "unemployed", date(2026, 3, 1))


def test_job_rate_82_5_becomes_83(app: Rampe, chat: Chat) -> None:
    _programme(app)
    reply = chat("/jobrate år")
    assert reply.startswith("Jobrate for dine borgere, 2026:"), reply
    assert "33 af 40 = 83% (mål 55%)" in reply
    # 2 jobs held six months + 1 disability pension = 3 of 40 = 7.5% -> 8%
    assert "Varigt job  3 af 40 = 8% (mål 60%)" in reply
    assert "Kohorte: forløb afsluttet i perioden" in reply
    assert "pension tæller som varig" in reply
    with app.unit_of_work() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "report")).all()
        assert [e.detail for e in events] == ["jobrate year own"]


def test_job_rate_92_5_becomes_93(app: Rampe, chat: Chat) -> None:
    _programme(app)
    with app.unit_of_work() as s:
        for person in s.scalars(select(Citizen).where(Citizen.outcome == "unemployed")).all()[:4]:
            person.outcome = "flex_job"
    assert "37 af 40 = 93%" in chat("/jobrate år")


def test_pension_setting_and_targets(app: Rampe) -> None:
    _programme(app)
    strict = app_with(app, RAMPE_LASTING_COUNTS_PENSION=False, RAMPE_TARGETS={"job_rate": 80})
    from bot.core import Inbound, Platform

    reply = strict.handle(Inbound(Platform.CONSOLE, "anna", "/jobrate år")).as_text()
    assert "Varigt job  2 af 40 = 5%" in reply  # pension no longer counts
    assert "33 af 40 = 83% (mål 80%)" in reply
    assert "pension tæller ikke" in reply


def test_referred_cohort_and_counted_outcomes(app: Rampe) -> None:
    _programme(app)
    referred = app_with(app, RAMPE_JOBRATE_COHORT="referred", RAMPE_JOBRATE_OUTCOMES="flex_job")
    from bot.core import Inbound, Platform

    reply = referred.handle(Inbound(Platform.CONSOLE, "anna", "/jobrate år")).as_text()
    # Referred in 2026: the 40 (Gammel Sag was referred in 2025); only fleksjob counts: 2 of 40.
    assert "2 af 40 = 5%" in reply
    assert "Kohorte: borgere henvist i perioden" in reply


def test_empty_period_has_no_rate(app: Rampe, chat: Chat) -> None:
    _programme(app)
    reply = chat("/jobrate 1/1/2024-31/12/2024")
    assert "Jobrate     0 af 0 = – (mål 55%)" in reply
    assert "1/1/2024–31/12/2024" in reply


def test_scope_own_team_person(app: Rampe, chat: Chat) -> None:
    _programme(app)
    with app.unit_of_work() as s:
        lead = staff(s, "lene", Role.LEAD, team="Nord")
        for name in ("anna", "bo"):
            staff(s, name, team="Nord")
        for person in s.scalars(select(Citizen)).all():
            person.team_id = lead.team_id
    # A lead sees the team: Anna's 40 plus Bo's one unemployed = 33 of 41 = 80.49% -> 80%.
    assert "33 af 41 = 80%" in chat("/jobrate år", user="lene")
    assert "33 af 40 = 83%" in chat("/jobrate år @anna", user="lene")
    # A contact person without a shared caseload sees only their own.
    assert "0 af 1 = 0%" in chat("/jobrate år", user="bo")
    assert "ikke adgang til hele teamets" in chat("/jobrate år team", user="bo")
    assert "ikke adgang til Annas borgere" in chat("/jobrate år @anna", user="bo")


def test_split_by_municipality(app: Rampe, chat: Chat) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        for n, (town, outcome) in enumerate(
            [("Silkeborg", "job"), ("Silkeborg", "unemployed"), ("Norddjurs", "flex_job")]
        ):
            person = citizen(s, anna, f"By {n}", date(2026, 2, 1), municipality=town)
            ended(s, person, outcome, date(2026, 6, 1))
    reply = chat("/jobrate år kommune")
    assert "  Norddjurs  1 af 1 = 100%" in reply
    assert "  Silkeborg  1 af 2 = 50%" in reply
    assert "1 af 1 = 100%" in chat("/jobrate år kommune:norddjurs")
