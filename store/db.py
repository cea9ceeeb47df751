"""Engines, sessions and schema upgrades. Nothing is created at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from store.locks import SCHEMA_LOCK, held_lock

MIGRATIONS = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT = 5  # seconds

# How PostgreSQL plans on Rampe's connections, made when a connection opens (no round trip).
# psycopg prepares a statement it has run five times, and PostgreSQL may then plan it once for
# every period and scope; a report query run by two reports in a row (pris, then intensitet)
# went from 0.8 to 1.4 s on such a plan. So each run is planned for its own values: planning
# costs a millisecond. No JIT compiling: a report's estimated cost passes its threshold, and
# compiling took 29 ms of /jobrate's 88 while nothing Rampe runs is long enough to win it back.
# Room to sort and group in memory: a year's sums per citizen (470,000 rows of counts per month)
# took 330 ms with the default 4 MB, which spills, and 243 ms with 32 MB.
PLANNING = {"plan_cache_mode": "force_custom_plan", "jit": "off", "work_mem": "32MB"}


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, secure delete and BEGIN IMMEDIATE,
    PostgreSQL `PLANNING`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = {"timeout": 30, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect_args, hide_parameters=True, **kwargs)
        _configure_sqlite(engine, in_memory=parsed.database in (None, "", ":memory:"))
        return engine
    # hide_parameters: an error message must never carry a name or a note into a log.
    # A server that does not answer fails a connection attempt within seconds, not minutes.
    server: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT,
        "options": planning_options(parsed),
    }
    kwargs["connect_args"] = server | kwargs.get("connect_args", {})
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)


def planning_options(url: URL) -> str:
    """The server options a connection starts with: `PLANNING`, then any `options` the database
    URL gives (those come later, so they win)."""
    given = url.query.get("options", "")
    ours = " ".join(f"-c {name}={value}" for name, value in PLANNING.items())
    return " ".join([ours, *(given if isinstance(given, tuple) else (given,))]).strip()


def is_outage(exc: BaseException) -> bool:
    """True when `exc` means the database could not be reached (not that a query was wrong)."""
    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError)


def database_ready(engine: Engine) -> bool:
    """Whether the database answers a trivial query now."""
    return _probe(engine) is None


def database_reachable(engine: Engine) -> bool:
    """False only when the database cannot be reached (an outage), not when it answers badly."""
    failure = _probe(engine)
    return failure is None or not is_outage(failure)


def _probe(engine: Engine) -> SQLAlchemyError | None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        return err
    return None


def _configure_sqlite(engine: Engine, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes fails at once with "database is locked"
        # while another writer holds the lock; taking the write lock up front makes it wait.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to `engine`; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration for our migrations on `engine`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Bring the database schema up to the newest migration, one process at a time.

    Processes started together wait for the first one: PostgreSQL through an advisory lock,
    SQLite through the write lock its BEGIN IMMEDIATE takes. The others then find nothing to do.
    """
    cfg = alembic_config(engine)
    with engine.connect() as conn, held_lock(conn, SCHEMA_LOCK), conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


class SchemaBehind(RuntimeError):
    """The database is not at Rampe's newest migration and this process may not upgrade it."""


def prepare_schema(engine: Engine, *, migrate: bool) -> None:
    """At start: upgrade the schema, or (when upgrades are an explicit step) check it is current."""
    if migrate:
        upgrade_schema(engine)
        return
    current, head = schema_revision(engine)
    if current != head:
        raise SchemaBehind(
            f"the database is at migration {current or 'none'}, Rampe needs {head}: "
            "run `rampe migrate` first"
        )


def schema_revision(engine: Engine) -> tuple[str | None, str]:
    """The database's current migration and the newest one Rampe has."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, str(head)
