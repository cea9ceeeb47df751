"""Asking before storing the implausible: every question, every answer, and the settings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from bot.app import Rampe
from kernel.clock import FixedClock
from store.models import Contact, PendingChoice
from tests.conftest import Chat
from tests.support import count, one, rows
from tests.support_health import Talk, make_app


def test_a_day_and_month_ahead_is_asked_about_never_silently_last_year(
    chat: Chat, app: Rampe
) -> None:
    chat("/borger ny Jonas Bak")
    question = chat("/log jonas tlf 10/12 aftalt møde")
    assert question.startswith("»10/12« er ikke kommet endnu i år")
    assert "1. 10/12/2025, sidste år" in question
    assert count(app, Contact) == 0
    assert chat("annuller") == "Annulleret. Intet er gemt."
    assert count(app, Contact) == 0
    chat("/log jonas tlf 10/12 aftalt møde")
    assert chat("1").startswith("Logget: telefon med Jonas Bak (BBB-0001) 10/12 2025.")
    assert one(app, Contact).occurred_on == date(2025, 12, 10)


def test_a_date_before_the_referral_offers_the_typed_date_or_the_referral(
    chat: Chat, app: Rampe
) -> None:
    chat("/borger ny Jonas Bak henvist 20/11")
    question = chat("/log jonas tlf 18/11 15m")
    assert question.startswith("»18/11« er før borgeren blev henvist.")
    assert "1. 18/11/2026, som skrevet" in question
    assert "2. 20/11/2026, henvisningsdatoen" in question
    assert chat("2").startswith("Logget: telefon med Jonas Bak (BBB-0001) 20/11, 15 min.")
    chat("/log jonas tlf 18/11 15m")
    assert chat("1").startswith("Logget: telefon med Jonas Bak (BBB-0001) 18/11, 15 min.")
    assert sorted(c.occurred_on.day for c in _contacts(app)) == [18, 20]


def test_a_contact_long_ago_is_asked_about_and_the_limit_is_a_setting(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    talk.ok("/borger ny Jonas Bak henvist 1/6/2026")
    question = talk("/log jonas tlf 1/9")
    assert question.startswith("»1/9« er længe siden. Skal kontakten gemmes med den dato?")
    assert "1. 1/9/2026, som skrevet" in question
    assert talk("1").startswith("Logget: telefon med Jonas Bak (BBB-0001) 1/9.")
    patient = Talk(make_app(db_url, engine, clock, RAMPE_LOG_DAYS_BACK=120))
    assert patient("/log jonas tlf 2/9").startswith("Logget: telefon med Jonas Bak")


def test_a_long_call_is_asked_about_with_minutes_or_none_as_choices(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Jonas Bak")
    question = chat.reply("/log jonas tlf 10 timer")  # type: ignore[attr-defined]
    text = question.as_text()
    assert text.startswith("»10 timer« er længere end den slags kontakt plejer at vare.")
    assert [a.command for a in question.actions] == ["1", "2", "3", "annuller"]
    assert [a.label for a in question.actions][:3] == [
        "10 t, som skrevet",
        "10 min",
        "uden varighed",
    ]
    assert chat("2").startswith("Logget: telefon med Jonas Bak (BBB-0001) i dag 23/11, 10 min.")
    chat("/log jonas tlf 4t")
    assert chat("3").startswith("Logget: telefon med Jonas Bak (BBB-0001) i dag 23/11.")
    chat("/log jonas tlf 4t")
    assert chat("1").startswith("Logget: telefon med Jonas Bak (BBB-0001) i dag 23/11, 4 t.")
    assert [c.minutes for c in _contacts(app)] == [10, None, 240]
    assert count(app, PendingChoice) == 0


def test_a_long_meeting_is_fine_and_the_limits_are_settings(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    talk.ok("/borger ny Jonas Bak")
    assert talk("/log jonas møde 5t").startswith("Logget: møde med Jonas Bak (BBB-0001) i dag")
    assert talk("/log jonas netværksmøde 9t").startswith("»9t« er længere")
    loose = Talk(
        make_app(
            db_url,
            engine,
            clock,
            RAMPE_LOG_MAX_MINUTES={"phone": 360},
            RAMPE_LOG_MAX_MINUTES_OTHER=600,
        )
    )
    assert loose("/log jonas tlf 5t").startswith("Logget: telefon")
    assert loose("/log jonas netværksmøde 9t").startswith("Logget: netværksmøde")


def test_questions_chain_and_an_answer_is_not_asked_again(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Jonas Bak henvist 20/11")
    assert chat("/log jonas tlf 18/11 5t").startswith("»18/11« er før")
    assert chat("1").startswith("»5t« er længere")
    assert chat("3").startswith("Logget: telefon med Jonas Bak (BBB-0001) 18/11.")


def test_the_which_one_question_takes_a_name_as_well_as_a_number(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Kristensen")
    assert chat("/log mette tlf").startswith("Hvilken borger mener du med »mette«?")
    assert chat("hansen").startswith("Logget: telefon med Mette Hansen (BBB-0001)")
    chat("/log mette sms")
    assert chat("kris").startswith("Logget: sms med Mette Kristensen (BBB-0002)")
    chat("/log mette video")
    assert chat("BBB-0002").startswith("Logget: video med Mette Kristensen (BBB-0002)")
    chat("/log mette mail")
    assert not chat("mette").startswith("Logget")  # fits both: not an answer
    assert count(app, Contact) == 3


def _contacts(app: Rampe) -> list[Contact]:
    return rows(app, Contact)
