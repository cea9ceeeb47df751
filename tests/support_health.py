"""Shared pieces for the health-data tests: apps with keys, a standard programme, table scans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply, Tone
from kernel.clock import FixedClock
from store.models import AuditEvent, Base, Citizen
from tests.conftest import empty_tables, make_settings

PSEUDONYM_KEY = "test-pseudonym-key-not-secret"
ADMIN = "root"  # the first user of every standard programme, so the admin


def new_key() -> str:
    """A fresh Fernet key."""
    return Fernet.generate_key().decode()


def make_app(db_url: str, engine: Engine, clock: FixedClock, **settings: Any) -> Rampe:
    """An app on the test's database with the given settings (keys, retention ...)."""
    return Rampe(make_settings(db_url, **settings), engine=engine, clock=clock, upgrade=False)


@dataclass
class Talk:
    """A dialogue helper bound to one app: `talk("/borger mette", user="anna")`."""

    app: Rampe

    def reply(self, text: str, user: str = "anna") -> Reply:
        return self.app.handle(
            Inbound(platform=Platform.CONSOLE, user_id=user, text=text, display_name=user.title())
        )

    def __call__(self, text: str, user: str = "anna") -> str:
        return self.reply(text, user).as_text()

    def ok(self, text: str, user: str = "anna") -> str:
        """Say something that must succeed."""
        reply = self.reply(text, user)
        assert reply.tone != Tone.ERROR, f"{text!r} as {user}: {reply.as_text()}"
        return reply.as_text()


def programme(talk: Talk, *, shares: bool = True) -> dict[str, Citizen]:
    """Root (admin), anna in Team Nord, bo in Team Syd. Anna has Mette Kragelund and Søren
    Vestergaard; Mette is in praktik and a job at Bilka, with a note, a WHO-5, a case number."""
    talk.ok("/hjælp", user=ADMIN)
    talk.ok("/hjælp", user="anna")
    talk.ok("/hjælp", user="bo")
    deler = " deler" if shares else ""
    talk.ok(f"/team ny Team Nord{deler}", user=ADMIN)
    talk.ok(f"/team ny Team Syd{deler}", user=ADMIN)
    talk.ok("/team Team Nord tilføj @anna", user=ADMIN)
    talk.ok("/team Team Syd tilføj @bo", user=ADMIN)
    talk.ok("/borger ny Mette Kragelund kommune:Silkeborg henvist:1/10")
    talk.ok("/borger ny Søren Vestergaard henvist:1.9.2024")
    talk.ok("/virksomhed ny Bilka kontakt: Lone 87654321")
    talk.ok("/borger mette start 2/11")
    talk.ok("/log mette tlf i går 20m hemmelig note om angst")
    talk.ok("/praktik mette start @bilka fra 1/12 8 uger 10 t/uge")
    talk.ok("/job mette start @bilka småjob 5 t/uge i dag")
    talk.ok("/måling mette who5 3 4 2 3 4 start")
    if talk.app.settings.pseudonym_key is not None:
        talk.ok("/borger mette sagsnr 12345")
    return citizens_by_first_name(talk.app)


def citizens_by_first_name(app: Rampe) -> dict[str, Citizen]:
    """The citizens now in the database, by folded first name (the first one of each)."""
    with app.unit_of_work() as session:
        found: dict[str, Citizen] = {}
        for c in session.scalars(select(Citizen).order_by(Citizen.id)):
            found.setdefault(c.name_folded.split()[0], c)
        return found


def last_audit_id(app: Rampe) -> int:
    """The newest audit event's id (0 if none)."""
    with app.unit_of_work() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def audit_since(app: Rampe, after_id: int) -> list[AuditEvent]:
    """Audit events newer than `after_id`."""
    with app.unit_of_work() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
            )
        )


def wipe(app: Rampe) -> None:
    """Empty every table (as a fresh install), so one test can start over.

    Ids start at 1 again on both databases, so an example naming `#42` means the same row.
    """
    with app.unit_of_work() as session:
        empty_tables(session.connection())
    app.directory.invalidate()


Rows = dict[str, list[dict[str, Any]]]


def save_rows(app: Rampe) -> Rows:
    """Every row of every table, to put back with `restore_rows` (a seed made once, used often)."""
    with app.engine.connect() as conn:
        return {
            t.name: [dict(r) for r in conn.execute(t.select()).mappings()]
            for t in Base.metadata.sorted_tables
        }


def restore_rows(app: Rampe, rows: Rows) -> None:
    """The database exactly as `save_rows` found it, ids and sequences included."""
    with app.unit_of_work() as session:
        conn = session.connection()
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
        if conn.dialect.name == "postgresql":  # the next id follows the restored ones
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                            f' coalesce(max(id), 0) + 1, false) FROM "{table.name}"'
                        )
                    )
    app.directory.invalidate()


def scan_tables(engine: Engine, needles: list[str]) -> list[str]:
    """Every `table.column` anywhere in the database whose raw value holds one of `needles`."""
    hits = []
    lowered = [n.casefold() for n in needles]
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    cell = str(value).casefold()
                    hits += [f"{table}.{column}: {n}" for n in lowered if n in cell]
    return hits


def raw_sqlite_bytes(db_url: str) -> bytes:
    """The SQLite database file and its -wal file, as bytes."""
    path = Path(db_url.removeprefix("sqlite:///"))
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def raw_postgres_bytes(engine: Engine) -> bytes:
    """Every page of our tables, their indexes and TOAST tables, as the server stores them.

    Read with pageinspect's get_raw_page (the tests connect as a superuser), so dead rows a
    plain VACUUM left behind show up here even though no query can see them.
    """
    relations = text(
        "SELECT c.oid::regclass::text FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'i', 't') AND c.relpersistence = 'p' AND ("
        "  n.nspname = current_schema() OR c.oid IN ("
        "    SELECT reltoastrelid FROM pg_class WHERE relnamespace = "
        "      (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))"
        "  OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ("
        "    SELECT reltoastrelid FROM pg_class WHERE relnamespace = "
        "      (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))))"
    )
    chunks: list[bytes] = []
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        for (name,) in conn.execute(relations).all():
            blocks = conn.execute(
                text("SELECT pg_relation_size(CAST(:r AS regclass)) / 8192"), {"r": name}
            ).scalar_one()
            for block in range(blocks):
                page = conn.execute(
                    text("SELECT get_raw_page(:r, 'main', :b)"), {"r": name, "b": block}
                ).scalar_one()
                chunks.append(bytes(page))
        conn.commit()
    return b"".join(chunks)


def postgres_statistics(engine: Engine, analyze: bool = False) -> str:
    """Every value the planner's statistics (pg_stats) hold for our tables, as one text."""
    with engine.connect() as conn:
        if analyze:
            conn.execute(text("ANALYZE"))
        rows = conn.execute(
            text(
                "SELECT concat_ws(' ', most_common_vals::text, histogram_bounds::text,"
                " most_common_elems::text) FROM pg_stats WHERE schemaname = current_schema()"
            )
        ).scalars()
        found = " ".join(r or "" for r in rows)
        conn.commit()
    return found


def snapshot(app: Rampe, citizen_id: int) -> dict[str, Any]:
    """Every row about one citizen (not the access log), to compare before and after."""
    from store.export import citizen_export

    with app.unit_of_work() as session:
        citizen = session.get(Citizen, citizen_id)
        assert citizen is not None
        document = citizen_export(session, citizen)
    document.pop("access_log")
    document.pop("pending_questions")  # the conversation's state, not rows about the citizen
    return document


def in_session(app: Rampe, work: Callable[[Session], Any]) -> Any:
    """Run `work` in one unit of work on the app's database."""
    with app.unit_of_work() as session:
        return work(session)
