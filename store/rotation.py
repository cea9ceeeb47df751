"""Key rotation: re-encrypt every encrypted column under a new key, in small batches.

Values are read and written raw (past the `EncryptedText` type), so rotation works whatever key
the engine itself holds. Plaintext rows from before any key get encrypted on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.fernet import MultiFernet
from sqlalchemy import Column, Table, Text, bindparam, func, select, type_coerce, update
from sqlalchemy.orm import Session, sessionmaker

from store.crypto import reseal
from store.models import Base, EntryChange
from store.types import EncryptedText

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Target:
    """One encrypted column."""

    table: Table
    column: Column  # type: ignore[type-arg]

    @property
    def label(self) -> str:
        return f"{self.table.name}.{self.column.name}"


def encrypted_columns() -> list[Target]:
    """Every column of every model that holds encrypted free text."""
    return [
        Target(table, column)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def count_values(session: Session, target: Target) -> int:
    """How many rows hold a value in the column."""
    return int(session.scalar(select(func.count()).where(target.column.is_not(None))) or 0)


def rotate_batch(
    session: Session, target: Target, cipher: MultiFernet, after_id: int, size: int
) -> tuple[int, int]:
    """Re-encrypt up to `size` values with id > `after_id`; returns (last id, how many)."""
    pk = target.table.c.id
    raw = type_coerce(target.column, Text)
    rows = session.execute(
        select(pk, raw).where(pk > after_id, target.column.is_not(None)).order_by(pk).limit(size)
    ).all()
    if rows:
        statement = (
            update(target.table)
            .where(pk == bindparam("row_id"))
            .values({target.column.name: bindparam("sealed", type_=Text)})
        )
        params = [{"row_id": row_id, "sealed": reseal(stored, cipher)} for row_id, stored in rows]
        session.connection().execute(statement, params)
    return (rows[-1][0] if rows else after_id), len(rows)


def rotate_journal_batch(
    session: Session, cipher: MultiFernet, after_id: int, size: int
) -> tuple[int, int]:
    """Re-encrypt old note values kept for undo (`EntryChange.before`); (last id, how many)."""
    rows = list(
        session.scalars(
            select(EntryChange)
            .where(EntryChange.id > after_id, EntryChange.before.is_not(None))
            .order_by(EntryChange.id)
            .limit(size)
        )
    )
    for change in rows:
        before = dict(change.before or {})
        sealed = {k: v for k, v in before.items() if isinstance(v, dict) and "__sealed__" in v}
        if sealed:
            for key, value in sealed.items():
                before[key] = {"__sealed__": reseal(value["__sealed__"], cipher)}
            change.before = before
    session.flush()
    return (rows[-1].id if rows else after_id), len(rows)


def rotate_all(
    factory: sessionmaker[Session],
    cipher: MultiFernet,
    *,
    size: int = 500,
    progress: Progress | None = None,
) -> int:
    """Re-encrypt every encrypted column, one transaction per batch; returns values done."""
    total_done = 0
    for target in encrypted_columns():
        with factory() as session:
            total = count_values(session, target)
        after, done = 0, 0
        while True:
            with factory() as session, session.begin():
                after, n = rotate_batch(session, target, cipher, after, size)
            if n == 0:
                break
            done += n
            if progress is not None:
                progress(target.label, done, total)
        total_done += done
    after, n = 0, 1
    while n:
        with factory() as session, session.begin():
            after, n = rotate_journal_batch(session, cipher, after, size)
    return total_done
