"""Employed at start: recorded with /borger, shown on the card, audited, undone, refused."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Rampe
from store.models import Citizen
from tests.conftest import Chat
from tests.support_health import audit_since, last_audit_id


def _stored(app: Rampe) -> tuple[bool | None, float | None]:
    with app.unit_of_work() as s:
        found = s.execute(select(Citizen.employed_at_start, Citizen.employed_at_start_hours)).one()
        return found[0], found[1]


def test_recorded_with_the_start_and_shown_on_the_card(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist 1/9")
    assert _stored(app) == (None, None)
    before = last_audit_id(app)
    reply = chat("/borger mette start 3/9 ansat 10 t/uge")
    assert "Forløb startet: Mette Hansen (BBB-0001) 3/9" in reply
    assert "Ansat ved start: ja, 10 t/uge." in reply
    assert _stored(app) == (True, 10.0)
    details = [(e.action, e.detail) for e in audit_since(app, before) if e.entity == "citizen"]
    assert ("update", "start") in details and ("update", "employed at start") in details
    card = chat("/borger mette")
    assert "Ansat ved start  ja, 10 t/uge" in card


def test_a_plain_start_records_nothing_about_a_job(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist 1/9")
    assert "Ansat ved start" not in chat("/borger mette start 3/9")
    assert _stored(app) == (None, None)
    assert "Ansat ved start" not in chat("/borger mette")


def test_set_changed_and_cleared_on_its_own(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist 1/9")
    chat("/borger mette start 3/9 ikke-ansat")
    assert _stored(app) == (False, None)
    assert "Ansat ved start  nej" in chat("/borger mette")
    before = last_audit_id(app)
    assert "Ansat ved start for Mette Hansen (BBB-0001): ja." in chat(
        "/borger mette ansat-ved-start ja"
    )
    assert _stored(app) == (True, None)
    assert [e.detail for e in audit_since(app, before) if e.entity == "citizen"] == [
        "employed at start"
    ]
    assert "ikke kendt" in chat("/borger mette ansat-ved-start ukendt")
    assert _stored(app) == (None, None)
    chat("/sprog en")
    assert "Employed at start for Mette Hansen (BBB-0001): yes, 12 h/week." in chat(
        "/citizen mette employed-at-start yes 12 h/week"
    )
    assert _stored(app) == (True, 12.0)
    assert "Employed at start  yes, 12 h/week" in chat("/citizen mette")


def test_undo_restores_what_was_there(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist 1/9")
    chat("/borger mette ansat-ved-start nej")
    chat("/borger mette ansat-ved-start ja 8 t/uge")
    assert _stored(app) == (True, 8.0)
    assert "Fortrudt" in chat("/fortryd")
    assert _stored(app) == (False, None)


def test_odd_answers_are_refused_with_what_to_type(app: Rampe, chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist 1/9")
    usage = "Skriv: /borger <navn> ansat-ved-start ja [10 t/uge], nej eller ukendt"
    assert usage in chat("/borger mette ansat-ved-start")
    assert usage in chat("/borger mette ansat-ved-start måske")
    assert usage in chat("/borger mette ansat-ved-start ja 10 t/uge hos bilka")
    assert "Timer om ugen passer kun til ja" in chat("/borger mette ansat-ved-start nej 10 t/uge")
    assert "højst 60" in chat("/borger mette ansat-ved-start ja 90 t/uge")
    assert _stored(app) == (None, None)
