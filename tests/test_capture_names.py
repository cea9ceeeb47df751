"""Names as typed: /borger ny without colons, register capitals, initials, hand-overs, limits."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import Rampe
from bot.handlers import close
from bot.handlers.citizen import NewCitizen, parse
from bot.parsing.names import register_case
from kernel.vocabulary import Outcome
from store.models import Citizen, Company, Contact
from tests.conftest import Chat
from tests.support import count, one

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "name", "municipality", "referred", "owner"),
    [
        ("ny jonas bak henvist i går", "Jonas Bak", None, date(2026, 11, 22), None),
        ("ny jonas bak i går", "Jonas Bak", None, date(2026, 11, 22), None),
        ("ny jonas bak henvist: 1/9", "Jonas Bak", None, date(2026, 9, 1), None),
        ("ny jonas bak henvist:1/9", "Jonas Bak", None, date(2026, 9, 1), None),
        ("ny jonas bak henvist den 1. sep", "Jonas Bak", None, date(2026, 9, 1), None),
        ("ny jonas bak 1/9 kommune silkeborg", "Jonas Bak", "Silkeborg", date(2026, 9, 1), None),
        ("ny jonas bak kommune: Ikast-Brande", "Jonas Bak", "Ikast-Brande", None, None),
        ("ny jonas bak kommune:aarhus @bo", "Jonas Bak", "Aarhus", None, "@bo"),
        ("ny @bo jonas bak henvist 3/11", "Jonas Bak", None, date(2026, 11, 3), "@bo"),
        ("new jonas bak referred yesterday", "Jonas Bak", None, date(2026, 11, 22), None),
        ("ny anne-marie o'brien", "Anne-Marie O'Brien", None, None, None),
        ("ny Ulrik af Rosenborg", "Ulrik af Rosenborg", None, None, None),
        ("ny mette McDonald", "Mette McDonald", None, None, None),
    ],
)
def test_borger_ny_reads_options_without_colons_and_dates_anywhere(
    typed: str, name: str, municipality: str | None, referred: date | None, owner: str | None
) -> None:
    assert parse(typed, MONDAY) == NewCitizen(name, municipality, referred, owner)


def test_names_are_written_as_a_register_writes_them() -> None:
    assert register_case("mette hansen") == "Mette Hansen"
    assert register_case("søren østergaard") == "Søren Østergaard"
    assert register_case("lars-emil van der berg") == "Lars-Emil van der Berg"
    assert register_case("DeLuca") == "DeLuca"


def test_a_new_citizen_is_stored_and_shown_with_capitals(chat: Chat, app: Rampe) -> None:
    assert chat("/borger ny jonas bak henvist i går").startswith("Oprettet: Jonas Bak (BBB-0001)")
    citizen = one(app, Citizen)
    assert (citizen.full_name, citizen.referred_on) == ("Jonas Bak", date(2026, 11, 22))


def test_an_initial_picks_the_one_person_it_fits_and_is_not_the_note(
    chat: Chat, app: Rampe
) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Kristensen")
    chat("/borger ny Søren Østergaard")
    assert chat("/log mette k sms bekræftet").startswith("Logget: sms med Mette Kristensen")
    assert one(app, Contact).note == "bekræftet"
    assert chat("/log søren ø tlf").startswith("Logget: telefon med Søren Østergaard")
    reply = chat("/log mette x sms hej")  # no Mette X: refused, not "x" as the note
    assert reply.startswith("Jeg kan ikke finde en borger der hedder »mette x«")
    assert count(app, Contact) == 2


def test_a_citizen_handed_over_is_found_with_the_new_owner(chat: Chat, app: Rampe) -> None:
    chat("/hjælp")  # anna is the first user: admin
    chat("/hjælp", user="bo")
    chat("/hjælp", user="eva")
    chat("/borger ny Jonas Bak", user="eva")
    assert chat("/borger jonas overdrag @bo", user="eva").startswith("Overdraget")
    reply = chat("/log jonas tlf", user="eva")
    assert reply.startswith("»jonas« er nu hos Bo: Jonas Bak (BBB-0001).")
    assert "/borger ny" not in reply
    assert chat("/borger jonas", user="eva").startswith("»jonas« er nu hos Bo")
    assert chat("/log jonas tlf", user="bo").startswith("Logget: telefon med Jonas Bak")


@pytest.mark.parametrize(
    ("typed", "starts"),
    [
        ("/borger ny " + "Jensen " * 20, "Navnet er 139 tegn; højst 120."),
        ("/borger ny Jonas Bak kommune " + "x" * 61, "Kommunen er 61 tegn; højst 60."),
        ("/virksomhed ny " + "B" * 121, "Virksomhedens navn er 121 tegn; højst 120."),
        ("/virksomhed ny Bilka kontakt: " + "L" * 121, "Kontaktpersonen er 121 tegn; højst 120."),
        ("/log @" + "b" * 121, "Virksomhedens navn er 121 tegn; højst 120."),
        ("/borger jonas pause " + "syg " * 130, "Årsagen er 519 tegn; højst 500."),
    ],
)
def test_over_long_fields_are_refused_with_a_message(
    chat: Chat, app: Rampe, typed: str, starts: str
) -> None:
    chat("/borger ny Jonas Bak")
    assert chat(typed).startswith(starts)
    assert count(app, Citizen) == 1 and count(app, Company) == 0


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [
        ("jonas afbrudt", Outcome.INTERRUPTED), ("jonas stoppet", Outcome.INTERRUPTED),
        ("jonas faldt fra", Outcome.INTERRUPTED), ("jonas droppede ud 3/11", Outcome.INTERRUPTED),
        ("jonas frafald", Outcome.INTERRUPTED), ("jonas meldt ud", Outcome.INTERRUPTED),
        ("jonas trak sig", Outcome.INTERRUPTED), ("jonas ophørt", Outcome.INTERRUPTED),
        ("jonas dropped out", Outcome.INTERRUPTED), ("jonas withdrew", Outcome.INTERRUPTED),
        ("jonas søgt pension", Outcome.PENSION_PROCESS),
    ],
)  # fmt: skip
def test_the_words_people_use_for_a_stopped_course_are_outcomes(
    typed: str, outcome: Outcome
) -> None:
    assert close.parse(typed, MONDAY).outcome == outcome


def test_a_stopped_course_is_closed_in_the_interrupted_bucket(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Jonas Bak henvist 1/9")
    assert chat("/afslut jonas faldt fra").startswith(
        "Forløb afsluttet: Jonas Bak (BBB-0001) med udfald afbrudt"
    )
    assert one(app, Citizen).outcome == "interrupted"
