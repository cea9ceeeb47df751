"""A first dialogue: register, log, list, undo."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import Rampe
from store.models import Contact
from tests.conftest import Chat


def count_contacts(app: Rampe) -> int:
    with app.unit_of_work() as session:
        return int(session.scalar(select(func.count(Contact.id))) or 0)


def test_register_log_and_undo(chat: Chat, app: Rampe) -> None:
    assert "Oprettet: Mette Hansen (BBB-0001)" in chat("/borger ny Mette Hansen")
    reply = chat("/log mette tlf i går 20m aftalte praktikbesøg")
    assert reply.startswith("Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min."), (
        reply
    )
    assert count_contacts(app) == 1
    assert "Mette Hansen (BBB-0001)" in chat("/caseload")
    assert "Fortrudt" in chat("/fortryd")
    assert count_contacts(app) == 0
