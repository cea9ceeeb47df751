"""/log: contacts with citizens and companies, in every form, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import Rampe
from store.models import AuditEvent, Contact, PendingChoice
from tests.conftest import Chat
from tests.support import count, one, rows


@pytest.fixture
def mette(chat: Chat) -> None:
    chat("/borger ny Mette Hansen")


@pytest.mark.usefixtures("mette")
def test_the_readme_example(chat: Chat, app: Rampe) -> None:
    reply = chat("/log mette tlf i går 20m aftalte praktikbesøg")
    assert reply.startswith(
        "Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min. "
        "Note: »aftalte praktikbesøg«."
    )
    contact = one(app, Contact)
    assert (contact.form, contact.occurred_on, contact.minutes) == (
        "phone",
        date(2026, 11, 22),
        20,
    )
    assert contact.note == "aftalte praktikbesøg"
    assert contact.platform == "console"
    assert rows(app, AuditEvent, action="create", entity="contact")[0].citizen_handle == "BBB-0001"


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("møde", "meeting"), ("tlf", "phone"), ("telefon", "phone"), ("video", "video"),
        ("sms", "sms"), ("mail", "email"), ("hjemmebesøg", "home_visit"),
        ("virksomhedsbesøg", "company_visit"), ("fællesmøde", "joint_meeting"),
        ("netværksmøde", "network_meeting"), ("pårørende", "relatives"), ("gruppe", "group"),
        ("café", "group"), ("gåtur", "walk"), ("phone", "phone"), ("meeting", "meeting"),
        ("homevisit", "home_visit"), ("email", "email"),
    ],
)  # fmt: skip
def test_every_form_of_contact(chat: Chat, app: Rampe, word: str, form: str) -> None:
    assert chat(f"/log mette {word}").startswith("Logget:")
    assert one(app, Contact).form == form


@pytest.mark.usefixtures("mette")
def test_defaults_are_a_meeting_today(chat: Chat, app: Rampe) -> None:
    assert chat("/log mette").startswith("Logget: møde med Mette Hansen (BBB-0001) i dag 23/11.")
    contact = one(app, Contact)
    assert (contact.form, contact.occurred_on, contact.minutes, contact.note) == (
        "meeting",
        date(2026, 11, 23),
        None,
        None,
    )


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("words", "day", "minutes"),
    [
        ("i forgårs 1t", date(2026, 11, 21), 60),
        ("fredag 1,5t", date(2026, 11, 20), 90),
        ("3/11 1t30", date(2026, 11, 3), 90),
        ("3.11.2026 45 min", date(2026, 11, 3), 45),
        ("2026-11-03 1:30", date(2026, 11, 3), 90),
        ("yesterday 1.5h", date(2026, 11, 22), 90),
        ("1h30 today", date(2026, 11, 23), 90),
        ("i går 1 time", date(2026, 11, 22), 60),
        ("yesterday 1 hour", date(2026, 11, 22), 60),
        ("today 2 hrs", date(2026, 11, 23), 120),
        ("today 45 mins", date(2026, 11, 23), 45),
    ],
)
def test_dates_and_durations_in_any_order(
    chat: Chat, app: Rampe, words: str, day: date, minutes: int
) -> None:
    assert chat(f"/log mette tlf {words}").startswith("Logget: telefon med Mette Hansen")
    contact = one(app, Contact)
    assert (contact.occurred_on, contact.minutes) == (day, minutes)


@pytest.mark.usefixtures("mette")
def test_english_reply(chat: Chat) -> None:
    chat("/language en")
    assert chat("/log mette phone yesterday 45 min").startswith(
        "Logged: phone with Mette Hansen (BBB-0001) yesterday 22/11, 45 min."
    )


@pytest.mark.usefixtures("mette")
def test_company_contacts(chat: Chat, app: Rampe) -> None:
    chat("/virksomhed ny Bilka Tilst kontakt: Lone 12345678")
    reply = chat("/log mette virksomhedsbesøg 1t @bilka samtale om skånebehov")
    assert reply.startswith(
        "Logget: virksomhedsbesøg med Mette Hansen (BBB-0001) hos Bilka Tilst i dag 23/11, 1 t."
    )
    assert chat("/log @bilka tlf opfølgning med Lone").startswith(
        "Logget: telefon med Bilka Tilst i dag 23/11."
    )
    with_citizen, company_only = rows(app, Contact)
    assert with_citizen.company_id == company_only.company_id is not None
    assert with_citizen.note == "samtale om skånebehov"
    assert company_only.citizen_id is None and company_only.note == "opfølgning med Lone"


@pytest.mark.usefixtures("mette")
def test_words_after_the_name_that_are_not_recognised_are_the_note(chat: Chat, app: Rampe) -> None:
    chat("/log mette aftalte praktikbesøg tlf")
    contact = one(app, Contact)
    assert (contact.note, contact.form) == ("aftalte praktikbesøg", "phone")


@pytest.mark.usefixtures("mette")
def test_after_two_dashes_everything_is_the_note(chat: Chat, app: Rampe) -> None:
    chat("/log mette tlf -- i går 20m sagde hun")
    contact = one(app, Contact)
    assert (contact.occurred_on, contact.minutes, contact.note) == (
        date(2026, 11, 23),
        None,
        "i går 20m sagde hun",
    )


@pytest.mark.usefixtures("mette")
def test_danish_letters_and_symbols_round_trip(chat: Chat, app: Rampe) -> None:
    note = "Æble, ørred og å — “citat” 😀 <!channel> *fed* 100%"
    chat(f"/log mette -- {note}")
    assert one(app, Contact).note == note


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("command", "starts"),
    [
        ("/log mette møde 31/2", "»31/2« er ikke en dato jeg kender."),
        ("/log mette 30t", "»30t« er ikke en varighed jeg kender."),
        ("/log mette i morgen", "Datoen 24/11 er i fremtiden"),
        ("/log", "Skriv: /log <borger>"),
        ("/log @", "Skriv hvilken virksomhed med @"),
        ("/log bob tlf", "Jeg kan ikke finde en borger der hedder »bob«"),
        ("/log @fakta tlf", "Jeg kan ikke finde virksomheden »fakta«."),
        ("/log mette ring på 010190-1234", "Teksten ligner et CPR-nummer"),
        ("/log mette ring på ０１０１９０１２３４", "Teksten ligner et CPR-nummer"),
        ("/log mette nul\x00tegn", "Teksten indeholder usynlige kontroltegn."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(
    chat: Chat, app: Rampe, command: str, starts: str
) -> None:
    reply = chat(command)
    assert reply.startswith(starts), reply
    assert count(app, Contact) == 0


@pytest.mark.usefixtures("mette")
def test_a_cpr_number_is_not_even_audited(chat: Chat, app: Rampe) -> None:
    chat("/log mette 010190-1234")
    assert all("010190" not in (a.detail or "") for a in rows(app, AuditEvent))


@pytest.mark.usefixtures("mette")
def test_a_long_refused_command_is_given_back_to_correct(chat: Chat, app: Rampe) -> None:
    typed = "mette tlf 45t aftalte praktikbesøg hos Bilka på mandag kl 10"
    reply = chat(f"/l {typed}")
    assert reply.startswith("»45t« er ikke en varighed jeg kender.")
    assert reply.splitlines()[-1] == f"  Du skrev (kopiér og ret): /log {typed}"
    assert "Du skrev" not in chat("/log mette 45t")  # short: quicker to retype than to copy
    refused = chat("/log mette ring på 010190-1234 om praktikbesøget hos Bilka på mandag")
    assert "010190" not in refused and "Du skrev" not in refused  # a CPR number is not echoed
    assert count(app, Contact) == 0


@pytest.mark.usefixtures("mette")
def test_an_oversize_note_is_refused(chat: Chat, app: Rampe) -> None:
    reply = chat("/log mette " + "x" * 2001)
    assert reply.startswith("Noten er 2001 tegn; højst 2000. Intet er gemt.")
    assert count(app, Contact) == 0


def test_ambiguous_name_asks_and_stores_nothing_until_answered(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Larsen")
    question = chat("/log mette tlf i går")
    assert question.startswith("Hvilken borger mener du med »mette«?")
    assert "1. Mette Hansen (BBB-0001)" in question and "2. Mette Larsen (BBB-0002)" in question
    assert count(app, Contact) == 0
    assert chat("7").startswith("Svar med et tal fra 1 til 2")
    assert chat("2").startswith("Logget: telefon med Mette Larsen (BBB-0002) i går 22/11.")
    assert one(app, Contact).citizen_id == 2
    assert count(app, PendingChoice) == 0


def test_a_choice_can_be_cancelled_or_expire(chat: Chat, app: Rampe, clock: object) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Larsen")
    chat("/log mette")
    assert chat("annuller") == "Annulleret. Intet er gemt."
    chat("/log mette")
    clock.advance(minutes=31)  # type: ignore[attr-defined]
    assert chat("1").startswith("Der er ikke noget spørgsmål at svare på")
    assert count(app, Contact) == 0


def test_own_caseload_wins_over_a_colleagues_namesake(chat: Chat, app: Rampe) -> None:
    chat("/hjælp", user="bo")
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Larsen @bo")  # anna is admin and sees both
    assert chat("/log mette").startswith("Logget: møde med Mette Hansen (BBB-0001)")


def test_ambiguous_company_then_choice(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/virksomhed ny Bilka Tilst")
    chat("/virksomhed ny Bilka Viby")
    assert chat("/log mette @bilka").startswith("Hvilken virksomhed mener du med »bilka«?")
    assert chat("2").startswith("Logget: møde med Mette Hansen (BBB-0001) hos Bilka Viby")
