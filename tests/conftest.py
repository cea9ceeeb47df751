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
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, Engine, create_engine, insert, text

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply
from kernel.clock import FixedClock
from kernel.settings import Settings
from store.db import make_engine, upgrade_schema
from store.models import Base, DirectoryState

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


@contextmanager
def empty_pg_database(prefix: str = "rampe_ops") -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema at all), dropped afterwards."""
    require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated once, dropped at the end."""
    with empty_pg_database("rampe_test") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        yield url


# Every sequence of our schema back to 1, so ids start at 1 again as on a fresh install.
_RESTART_SEQUENCES = (
    "SELECT setval(c.oid, 1, false) FROM pg_class c"
    " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
)


def empty_tables(conn: Connection, pristine: bool = False) -> None:
    """Empty every table, as a fresh install: ids start at 1 again, the directory at version 0.

    On PostgreSQL, DELETE and a sequence reset cost about a tenth of TRUNCATE, which makes new
    files for 24 tables and their indexes; but deleted rows stay in the pages as dead tuples
    until a vacuum. `pristine` truncates instead, for the tests that read raw pages.
    """
    tables = Base.metadata.sorted_tables
    if conn.dialect.name == "postgresql" and pristine:
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(text(_RESTART_SEQUENCES))
    conn.execute(insert(DirectoryState).values(id=1, version=0))


def empty_database(engine: Engine, pristine: bool = False) -> None:
    """Empty every table of the database behind `engine` (see `empty_tables`)."""
    with engine.begin() as conn:
        empty_tables(conn, pristine)


@pytest.fixture(scope="session")
def shared_engines() -> Iterator[dict[str, Engine]]:
    """One engine per database URL for the whole run, as a running Rampe has one for its life.

    A fresh engine per test compiled every statement again in every test (SQLAlchemy caches
    compiled SQL per engine), which cost more than running them; the database under it is
    still fresh for each test.
    """
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, shared_engines: dict[str, Engine]) -> str:
    """A clean, migrated database URL: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = template.parent / "test.db"
        url = f"sqlite:///{path}"
        if url in shared_engines:
            shared_engines[url].dispose()  # no connection may hold the file being replaced
        # A new file, not the old one overwritten: a connection some test left open keeps
        # the old file (and its locks) to itself.
        for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        shutil.copy(template, path)
        return url
    url = request.getfixturevalue("pg_database")
    pristine = request.node.get_closest_marker("pristine_pages") is not None
    empty_database(_shared_engine(shared_engines, url), pristine)
    return url


def _shared_engine(engines: dict[str, Engine], url: str) -> Engine:
    if url not in engines:
        engines[url] = make_engine(url)
    return engines[url]


@pytest.fixture
def engine(db_url: str, shared_engines: dict[str, Engine]) -> Iterator[Engine]:
    engine = _shared_engine(shared_engines, db_url)
    yield engine
    if engine.dialect.name == "sqlite":
        engine.dispose()  # the next test's file replaces this one


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
