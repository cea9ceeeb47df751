"""/borger: register, show, start, pause, resume, hand over."""

from __future__ import annotations

from datetime import date

from bot.app import Rampe
from store.models import Citizen, CitizenEvent, Staff
from tests.conftest import Chat
from tests.support import count, one


def test_register_with_municipality_and_referral(chat: Chat, app: Rampe) -> None:
    reply = chat("/borger ny Mette Hansen kommune:Silkeborg henvist:1/9")
    assert reply.startswith("Oprettet: Mette Hansen (BBB-0001)")
    assert "Du er den første bruger og er derfor administrator." in reply
    assert "Henvist        1/9" in reply and "Kommune        Silkeborg" in reply
    citizen = one(app, Citizen)
    assert (citizen.full_name, citizen.municipality) == ("Mette Hansen", "Silkeborg")
    assert citizen.referred_on == date(2026, 9, 1)
    assert citizen.status == "referred"
    assert one(app, Staff, id=citizen.owner_id).display_name == "Anna"


def test_english_words_and_an_owner_colleague(chat: Chat, app: Rampe) -> None:
    chat("/hjælp", user="bo")
    reply = chat("/citizen new Søren Østergaard municipality:Norddjurs @bo")
    assert reply.startswith("Oprettet: Søren Østergaard (BBB-0001)")
    assert "Kontaktperson  Bo" in reply
    assert one(app, Citizen).owner_id == one(app, Staff, display_name="Bo").id


def test_same_name_twice_warns_and_names_that_are_not_names_are_refused(chat: Chat) -> None:
    chat("/borger ny Mette Hansen")
    assert "der findes allerede en borger med samme navn (BBB-0001)" in chat(
        "/borger ny Mette Hansen"
    )
    reply = chat("/borger ny 123")
    assert reply.startswith("»123« ligner ikke et navn.")
    assert "Eksempel: /borger ny Mette Hansen" in reply
    assert chat("/borger ny").startswith("Skriv: /borger ny <fulde navn>")


def test_card_found_by_typo_folded_letters_first_name_and_handle(chat: Chat) -> None:
    chat("/borger ny Søren Østergaard")
    for query in ("søren", "soren", "sren", "ostergaard", "BBB-0001", "bbb-0001"):
        card = chat(f"/borger {query}")
        assert card.startswith("Søren Østergaard (BBB-0001)"), (query, card)
        assert "henvist i dag 23/11, ikke startet" in card
        assert card.count("BBB-0001") == 1, card  # in the title, not again as a row


def test_start_pause_resume(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen henvist:1/10")
    assert chat("/borger mette start 2/11").startswith(
        "Forløb startet: Mette Hansen (BBB-0001) 2/11."
    )
    assert one(app, Citizen).started_on == date(2026, 11, 2)
    reply = chat("/borger mette pause til 1/12 indlagt")
    assert reply.startswith("Sat på pause: Mette Hansen (BBB-0001) til 1/12.")
    citizen = one(app, Citizen)
    assert (citizen.status, citizen.paused_until) == ("paused", date(2026, 12, 1))
    assert "på pause til 1/12" in chat("/borger mette")
    assert chat("/borger mette genoptag").startswith("Genoptaget: Mette Hansen (BBB-0001).")
    reply = chat("/borger mette genoptag")
    assert reply.startswith("Mette Hansen (BBB-0001) er ikke sat på pause.")
    assert "Eksempel: /borger mette genoptag" in reply
    assert one(app, Citizen).status == "active"
    assert count(app, CitizenEvent) >= 3


def test_pause_without_end_asks_for_one_in_english(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/sprog en")
    reply = chat("/citizen mette pause")
    assert reply.startswith("When does the pause end for BBB-0001?")
    assert one(app, Citizen).status != "paused"
    assert chat("2").startswith("Paused: Mette Hansen (BBB-0001) until 21/12.")
    assert one(app, Citizen).paused_until == date(2026, 12, 21)


def test_a_pause_until_a_day_just_passed_is_refused(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    reply = chat("/borger mette pause til 20/11 ferie")
    assert reply.startswith("20/11 er allerede passeret.")
    assert "20/11/2027" in reply
    citizen = one(app, Citizen)
    assert citizen.status != "paused"
    reply = chat("/borger mette pause til 20/11/2027 ferie")
    assert reply.startswith("Sat på pause: Mette Hansen (BBB-0001) til 20/11 2027.")


def test_hand_over(chat: Chat, app: Rampe) -> None:
    chat("/hjælp", user="bo")
    chat("/borger ny Mette Hansen")
    reply = chat("/borger mette overdrag @bo")
    # a new referral already has its next steps: first contact, then "start or close?"
    assert reply.startswith("Overdraget: Mette Hansen (BBB-0001) til Bo, med 2 åbne opfølgninger.")
    assert one(app, Citizen).owner_id == one(app, Staff, display_name="Bo").id
    assert "Kontaktperson    Bo" in chat("/borger mette", user="bo")
    reply = chat("/borger mette overdrag")
    assert reply.startswith("Skriv hvem borgeren skal overdrages til")


def test_a_colleague_cannot_see_my_citizen(chat: Chat) -> None:
    chat("/borger ny Mette Hansen")  # anna, the first user, is admin
    chat("/borger ny Søren Jensen", user="bo")
    reply = chat("/borger mette", user="bo")
    assert reply.startswith("Jeg kan ikke finde en borger der hedder »mette«")
    assert chat("/borger BBB-0001", user="bo").startswith("Jeg kan ikke finde en borger")
    assert chat("/borger søren", user="bo").startswith("Søren Jensen (BBB-0002)")


def test_no_match_suggests_registering(chat: Chat) -> None:
    reply = chat("/borger bob")
    assert "Opret borgeren med /borger ny <fulde navn>." in reply
