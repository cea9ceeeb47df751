"""Database-wide locks for decisions several processes could otherwise make at once.

PostgreSQL gets advisory locks. SQLite needs none of its own: every write transaction starts
with BEGIN IMMEDIATE (see `store.db`), which holds the database's single write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

# Fixed keys in PostgreSQL's advisory lock space (any 64-bit numbers, the same in every process).
FIRST_USER_LOCK = 0x52414D5045_01  # "RAMPE" 1: who becomes the first administrator
SCHEMA_LOCK = 0x52414D5045_02  # "RAMPE" 2: who upgrades the schema


def lock_for_transaction(session: Session, key: int) -> None:
    """Hold lock `key` until `session`'s transaction ends (PostgreSQL; SQLite already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def held_lock(connection: Connection, key: int) -> Iterator[None]:
    """Hold lock `key` on `connection` across transactions, for the `with` block."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
    connection.commit()
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.rollback()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
