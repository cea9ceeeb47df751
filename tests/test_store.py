"""The store itself: schema matches the models, SQLite under concurrent writers, text safety."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from bot.app import Rampe
from bot.core import Inbound, Platform
from kernel.settings import Settings
from store.db import make_engine, upgrade_schema
from store.models import Base, Contact
from tests.conftest import Chat, make_settings
from tests.support import count, rows


def test_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade_schema(engine)
    upgrade_schema(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_concurrent_writers_never_see_database_is_locked(tmp_path: Path) -> None:
    """Eight threads, each its own app and connection, logging at once on one SQLite file."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    settings: Settings = make_settings(url)
    first = Rampe(settings)
    first.handle(Inbound(Platform.CONSOLE, "anna", "/borger ny Mette Hansen", display_name="Anna"))
    errors: list[str] = []
    per_thread = 15

    def log_many(n: int) -> None:
        app = Rampe(settings, upgrade=False)  # its own engine: a separate process would be so
        for i in range(per_thread):
            reply = app.handle(
                Inbound(Platform.CONSOLE, "anna", f"/log mette -- tråd {n} nr {i}", "", "Anna")
            )
            if not reply.summary.startswith("Logget:"):
                errors.append(reply.summary)
        app.engine.dispose()

    threads = [threading.Thread(target=log_many, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(first, Contact) == 8 * per_thread
    first.engine.dispose()


@pytest.mark.parametrize("name", ["Åse Ærø-Øster", "Søren Kierkegård", "Zoë Ñúñez"])
def test_names_round_trip_and_are_found_folded(chat: Chat, app: Rampe, name: str) -> None:
    assert chat(f"/borger ny {name}").startswith(f"Oprettet: {name} (")
    first = name.split()[0]
    folded = first.replace("Å", "Aa").replace("ø", "o").replace("ë", "e").casefold()
    assert chat(f"/borger {folded}").startswith(name)


def test_nul_never_reaches_the_database(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    assert chat("/log mette \x00").startswith("Teksten indeholder usynlige kontroltegn.")
    assert rows(app, Contact) == []
