"""The shortcuts taken for speed keep their meaning: choices, expiry, undo entries."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import Rampe
from kernel.clock import FixedClock
from kernel.vocabulary import CitizenStatus
from store.models import Citizen, Entry, EntryChange, PendingChoice
from tests.conftest import Chat


def _count(app: Rampe, model: type) -> int:
    with app.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_many_equal_matches_offer_five_sorted_by_name(chat: Chat) -> None:
    for last in ("Ørum", "Bach", "Friis", "Dahl", "Ahl", "Holm", "Krog"):
        chat(f"/borger ny Mette {last}")
    reply = chat("/log mette tlf")
    assert "Hvilken borger mener du med »mette«?" in reply
    lines = [line.strip() for line in reply.splitlines() if line.strip()[:2] in {"1.", "5.", "6."}]
    assert lines[0].startswith("1. Mette Ahl")
    assert lines[1].startswith("5. Mette Holm")
    assert not any(line.startswith("6.") for line in lines)


def test_expired_question_is_not_answered(chat: Chat, clock: FixedClock, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Dahl")
    assert "Hvilken borger" in chat("/log mette tlf")
    assert "Mette Dahl" in chat("1")  # a fresh question is answered
    assert "Hvilken borger" in chat("/log mette sms")
    clock.advance(minutes=app.settings.choice_minutes + 1)
    assert "Mette" not in chat("1")  # too late: "1" is not taken as the answer
    assert _count(app, PendingChoice) == 0  # and the expired question (its text) is gone


def test_entry_is_stored_only_with_changes(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Holm")
    entries = _count(app, Entry)
    chat("/log nobody-here tlf")  # refused: nothing stored, only the note that it was refused
    assert _count(app, Entry) == entries + 1
    chat("/log soren tlf i går")
    assert _count(app, Entry) == entries + 2
    assert _count(app, EntryChange) >= 2  # the citizen from /borger ny, the contact
    assert "Fortrudt" in chat("/fortryd")


def test_names_and_handles_outside_scope_are_not_found(chat: Chat) -> None:
    assert "(BBB-0001)" in chat("/borger ny Mette Hansen")  # anna, the first user, is admin
    chat("/caseload", user="bo")
    chat("/borger ny Mette Dahl", user="bo")
    assert "Mette Dahl" in chat("/log mette tlf", user="bo")  # only his own Mette
    assert "ikke finde" in chat("/log BBB-0001 tlf", user="bo")
    assert "Mette Hansen" in chat("/log mette tlf", user="anna")  # her own Mette first
    assert "Mette Dahl" in chat("/log mette dahl tlf", user="anna")  # the admin sees all


def test_undo_restores_an_update(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Holm henvist:1/10")
    chat("/borger søren start 2/11")
    assert "Sat på pause" in chat("/borger søren pause til 1/12")
    assert "Fortrudt" in chat("/fortryd")
    with app.unit_of_work() as session:
        citizen = session.scalars(select(Citizen)).one()
        assert citizen.status == CitizenStatus.ACTIVE and citizen.paused_until is None
