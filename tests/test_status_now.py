"""/status nu: today's count of citizens per bucket, the cut-off report's buckets for today."""

from __future__ import annotations

from datetime import date

from bot.app import Rampe
from kernel.i18n import t
from reports.catalogue import ReportRequest, build_report
from reports.periods import unit_period
from reports.scope import team_scope
from tests.conftest import Chat
from tests.support_questions import programme
from tests.support_reports import citizen, pause, staff


def test_now_matches_the_cut_off_report_for_today(app: Rampe, chat: Chat) -> None:
    programme(app)
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        pause(
            s, citizen(s, anna, "Pia Pause", date(2026, 5, 1), date(2026, 5, 2)), date(2026, 11, 1)
        )
        citizen(s, anna, "Rikke Ny", date(2026, 11, 20))
    reply = chat("/status nu", user="lene")
    with app.unit_of_work() as s:
        lene = staff(s, "lene")
        today = app.clock().date()
        request = ReportRequest("cutoff", team_scope(s, lene), unit_period("year", today),
                                app.clock(), today, app.settings)  # fmt: skip
        table = build_report(s, request, lambda key, **p: t("da", key, **p))
    counted = {str(row[0]): row[1] for row in table.rows}
    for bucket in ("Aktiv", "I praktik", "I job", "På pause", "Henvist, ikke startet"):
        assert f"    {bucket.ljust(21)}  {counted[bucket]}\n" in reply, bucket
    assert counted["På pause"] == 1 and counted["Henvist, ikke startet"] == 1
    assert "  I forløb                 5\n" in reply
    assert "  Afsluttede forløb        1\n" in reply


def test_now_scopes_and_handles(app: Rampe, chat: Chat) -> None:
    programme(app)
    own = chat("/status nu", user="anna")
    assert own.startswith("Lige nu (23/11 2026), dine borgere:\n  I forløb                 2")
    assert "[BBB-0001]" not in own
    listed = chat("/status nu borgere", user="anna")
    assert "    I praktik              1  [BBB-0001]" in listed
    assert "    Aktiv                  1  [BBB-0004]" in chat("/status nu @bo borgere", user="lene")
    silkeborg = chat("/status nu kommune:Silkeborg", user="lene")
    assert (
        "  I forløb                 1" in silkeborg and "  Afsluttede forløb        1" in silkeborg
    )


def test_now_refuses_a_period_and_says_what_to_type(chat: Chat) -> None:
    reply = chat("/status nu uge")
    assert reply.startswith("/status nu tæller i dag, så »uge« passer ikke her. Skriv /status uge")
    assert "Skriv hvilken kommune" in chat("/status nu kommune")
    assert "/status nu team borgere" in chat("/hjælp status")
    chat("/sprog en")
    assert chat("/status now").startswith("Right now (23/11 2026), all citizens:")  # an admin
    assert "/status now team citizens" in chat("/help status")
