"""Fixtures: real SQLite and PostgreSQL databases, a fixed clock, and a dialogue helper.

Every test that takes `app` or `chat` runs twice, once per database. PostgreSQL is expected at
127.0.0.1:5432 (trust auth, user postgres); `RAMPE_TEST_PG_URL` points elsewhere. Without it
the PostgreSQL half is skipped locally and fails under CI (`CI=true`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply
from kernel.clock import FixedClock
from kernel.settings import Settings
from store.db import make_engine, upgrade_schema
from store.models import Base

CPH = ZoneInfo("Europe/Copenhagen")
# Monday 23 November 2026, 09:00 in Copenhagen: "i går" is Sunday 22/11.
DEFAULT_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CPH)
PG_ADMIN_URL = os.environ.get(
    "RAMPE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def make_settings(url: str, **overrides: Any) -> Settings:
    """Settings for a test: only what the test says, nothing from a developer's `.env`."""
    values: dict[str, Any] = {"RAMPE_DATABASE_URL": url, "RAMPE_HANDLE_ORDER": "sequential"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "rampe.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists()
    return path


def _pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def require_postgres() -> None:
    """Skip when the test PostgreSQL server is not reachable; under CI (`CI=true`) fail."""
    if not _pg_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI but not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable; the SQLite half still runs")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated once, dropped at the end."""
    require_postgres()
    name = f"rampe_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_pg(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO directory_state (id, version) VALUES (1, 0)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database URL: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "rampe.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    engine = make_engine(url)
    _truncate_pg(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture
def app(settings: Settings, engine: Engine, clock: FixedClock) -> Rampe:
    return Rampe(settings, engine=engine, clock=clock, upgrade=False)


Chat = Callable[..., str]


@pytest.fixture
def chat(app: Rampe) -> Chat:
    """`chat("/log mette tlf i går", user="anna")` returns the reply as plain text."""

    def say(text: str, user: str = "anna") -> str:
        return say_reply(text, user).as_text()

    def say_reply(text: str, user: str = "anna") -> Reply:
        return app.handle(
            Inbound(platform=Platform.CONSOLE, user_id=user, text=text, display_name=user.title())
        )

    say.reply = say_reply  # type: ignore[attr-defined]
    return say
