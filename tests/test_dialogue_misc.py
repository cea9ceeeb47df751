"""Help, unknown commands, language, caseload, undo and the /rampe router."""

from __future__ import annotations

import pytest

from bot.app import Rampe
from bot.commands import Command
from bot.registry import build_table
from kernel.clock import FixedClock
from store.models import Citizen, Contact
from tests.conftest import Chat
from tests.support import count, one


def test_help_lists_every_menu_command_with_its_line(chat: Chat) -> None:
    reply = chat("/hjælp")
    assert reply.startswith("Det kan jeg (skriv /hjælp <kommando> for eksempler):")
    for command in build_table():
        if command.menu:
            assert f"/{command.name}: " in reply, command.name


@pytest.mark.parametrize("command", [c for c in build_table()], ids=lambda c: c.name)
def test_help_for_each_command_shows_its_examples(chat: Chat, command: object) -> None:
    from bot.commands import Command

    assert isinstance(command, Command)
    reply = chat(f"/hjælp {command.english}")
    assert reply.startswith(f"/{command.name}: ")
    for example in command.examples:
        assert example in reply


@pytest.mark.parametrize("command", [c for c in build_table()], ids=lambda c: c.name)
def test_help_in_english_shows_the_english_examples(chat: Chat, command: Command) -> None:
    chat("/sprog en")
    reply = chat.reply(f"/hjælp {command.name}")  # type: ignore[attr-defined]
    assert reply.summary.startswith(f"/{command.english}: ")
    assert [s.lines for s in reply.sections if s.heading == "Examples"] == [command.examples_en]


def test_english_help_and_usage_errors_show_english_examples(chat: Chat) -> None:
    chat("/sprog en")
    english = chat("/help job")
    assert "Examples:\n  /job mette start @bilka flexjob 12 h/week from 1/12\n" in english
    assert "/job mette hours 15\n  /job mette end" in english
    assert "fleksjob" not in english and "timer" not in english and "slut" not in english
    assert chat("/close søren foo").endswith("\n  Example: /close søren disability-pension 30/11")
    assert chat("/afslut søren foo").endswith("\n  Example: /close søren disability-pension 30/11")
    assert chat("/job") == "Type: /job <citizen> start|hours|end ...\n  Example: /job mette end"


def test_a_danish_reader_keeps_the_danish_examples(chat: Chat) -> None:
    chat("/sprog en", user="bo")
    assert chat("/job") == "Skriv: /job <borger> start|timer|slut ...\n  Eksempel: /job mette slut"
    danish = chat("/hjælp job")
    assert "Eksempler:\n  /job mette start @bilka fleksjob 12 t/uge fra 1/12\n" in danish
    assert "flexjob" not in danish and "hours" not in danish
    assert chat("/close søren foo").endswith("Eksempel: /afslut søren førtidspension 30/11")


def test_help_in_english_and_for_an_unknown_command(chat: Chat) -> None:
    chat("/sprog en")
    assert chat("/help log").startswith("/log: Log a contact")
    assert "/xyz" in chat("/help xyz")


def test_unknown_commands_get_a_suggestion(chat: Chat) -> None:
    assert chat("/lgo mette").startswith(
        "Kommandoen /lgo kender jeg ikke. Mente du /log? Skriv /hjælp for alle kommandoer."
    )
    assert chat("/borgr mette").startswith("Kommandoen /borgr kender jeg ikke. Mente du /borger?")
    assert chat("/qqqqqq").startswith("Kommandoen /qqqqqq kender jeg ikke. Skriv /hjælp")


def test_slash_is_optional_and_rampe_routes_everything(chat: Chat, app: Rampe) -> None:
    chat("borger ny Mette Hansen")
    assert count(app, Citizen) == 1
    assert chat("/rampe log mette").startswith("Logget: møde med Mette Hansen")
    assert chat("/rampe").startswith("Det kan jeg")
    assert chat("/rampe caseload").startswith("Dine aktive borgere (1):")
    assert chat("   ") == "Skriv en kommando, fx /hjælp."


def test_language_is_per_person(chat: Chat) -> None:
    assert chat("/sprog en") == (
        "I will answer in English now.\nYou are the first user and therefore an administrator."
    )
    assert chat("/caseload").startswith("You have no active citizens.")
    assert chat("/caseload", user="bo").startswith("Du har ingen aktive borgere.")
    assert chat("/sprog fr").startswith("Type /language da or /language en")
    assert chat("/language da") == "Jeg svarer nu på dansk."


def test_caseload_lists_my_active_citizens_with_last_contact(chat: Chat) -> None:
    chat("/hjælp", user="bo")
    chat("/borger ny Mette Hansen")
    chat("/borger ny Søren Jensen")
    chat("/borger ny Ida Berg @bo")
    chat("/log mette i går")
    chat("/afslut søren ledig")
    reply = chat("/caseload")
    assert reply.startswith("Dine aktive borgere (1):")
    assert (
        "Mette Hansen (BBB-0001): henvist i dag 23/11, ikke startet; seneste kontakt i går 22/11"
        in reply
    )
    assert "Søren" not in reply and "Ida" not in reply
    assert "Ida Berg (BBB-0003)" in chat("/caseload", user="bo")


def test_undo_steps_back_through_my_own_entries(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/log mette tlf")
    chat("/log mette sms i går")
    assert chat("/fortryd") == (
        "Fortrudt: din /log om Mette Hansen (BBB-0001), dato i går 22/11, skrevet kl. 09:00."
    )
    assert one(app, Contact).form == "phone"
    assert chat("/undo") == (
        "Fortrudt: din /log om Mette Hansen (BBB-0001), dato i dag 23/11, skrevet kl. 09:00."
    )
    assert count(app, Contact) == 0
    assert (
        chat("/fortryd") == "Fortrudt: din /borger om Mette Hansen (BBB-0001), skrevet kl. 09:00."
    )
    assert count(app, Citizen) == 0
    assert chat("/fortryd").startswith("Der er intet du kan fortryde")


def test_undo_restores_updated_rows(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger mette pause til 1/12")
    chat("/fortryd")
    citizen = one(app, Citizen)
    assert (citizen.status, citizen.paused_until) == ("referred", None)


def test_undo_only_within_ten_minutes_and_only_my_own(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/borger ny Mette Hansen")
    chat("/log mette")
    assert chat("/fortryd", user="bo").startswith("Der er intet du kan fortryde")
    clock.advance(minutes=11)
    assert chat("/fortryd").startswith(
        "Der er intet du kan fortryde; kun din seneste registrering de sidste 10 minutter."
    )
    assert count(app, Contact) == 1


def test_a_failed_command_leaves_nothing_to_undo(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/log mette 31/2")
    chat("/job mette start @ingen")
    # The last command failed: the entry before it is named, not silently undone.
    asked = chat("/fortryd")
    assert asked.startswith("Din seneste /job blev ikke gemt, så den er der intet at fortryde i.")
    assert "Før den skrev du /borger om Mette Hansen (BBB-0001) kl. 09:00" in asked
    assert count(app, Citizen) == 1
    assert chat("/fortryd forrige") == (
        "Fortrudt: din /borger om Mette Hansen (BBB-0001), skrevet kl. 09:00."
    )
    assert count(app, Citizen) == 0


def test_a_person_first_known_by_an_id_gets_their_name_when_it_arrives(
    chat: Chat, app: Rampe
) -> None:
    from bot.core import Inbound, Platform
    from store.models import Staff

    app.handle(Inbound(Platform.TEAMS, "29:abc", "/hjælp"))  # no name given the first time
    assert one(app, Staff, display_name="29:abc")
    app.handle(Inbound(Platform.TEAMS, "29:abc", "/hjælp", display_name="Bo Holm"))
    assert one(app, Staff, display_name="Bo Holm").name_folded == "bo holm"
    chat("/borger ny Mette Hansen")
    assert chat("/borger mette overdrag @bo").startswith(
        "Overdraget: Mette Hansen (BBB-0001) til Bo Holm"
    )
    app.handle(Inbound(Platform.TEAMS, "29:abc", "/hjælp", display_name="Bo H."))
    assert one(app, Staff, display_name="Bo Holm")  # a real name is never overwritten


def test_undo_after_a_mistyped_command_asks_before_undoing_the_one_before(
    chat: Chat, app: Rampe
) -> None:
    chat("/borger ny Mette Hansen")
    chat("/log mette tlf i går")
    assert chat("/log mette 31/2").startswith("»31/2« er ikke en dato")
    asked = chat("/fortryd")
    assert asked.startswith("Din seneste /log blev ikke gemt")
    assert "/log om Mette Hansen (BBB-0001), dato i går 22/11 kl. 09:00" in asked
    assert count(app, Contact) == 1
    assert chat("/fortryd forrige").startswith("Fortrudt: din /log om Mette Hansen (BBB-0001)")
    assert count(app, Contact) == 0
