"""Undo support: every row a command inserts or updates is recorded against its `Entry`.

A handler opens an entry with `begin_entry`; session events then record each insert and update
of the tracked tables, so no store function has to remember to. `undo_entry` reverses them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cryptography.fernet import MultiFernet
from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.crypto import cipher_for, seal, unseal
from store.models import (
    Base,
    Citizen,
    CitizenEvent,
    Company,
    Contact,
    Entry,
    EntryChange,
    FollowUp,
    Job,
    JobChange,
    Measurement,
    Placement,
    PlacementChange,
)
from store.touched import note_touched
from store.types import EncryptedText

TRACKED: tuple[type[Base], ...] = (
    Citizen,
    CitizenEvent,
    Company,
    Contact,
    Placement,
    PlacementChange,
    Job,
    JobChange,
    Measurement,
    FollowUp,
)
_BY_TABLE = {cls.__tablename__: cls for cls in TRACKED}
_ENTRY = "rampe.entry"
_CHANGES = "rampe.entry_changes"


def install_journal(factory: sessionmaker[Session]) -> None:
    """Record tracked inserts and updates for sessions made by `factory`."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)


def begin_entry(session: Session, staff_id: int, command: str, now: datetime) -> Entry:
    """Start recording this unit of work's changes as one undoable entry.

    The entry is stored at commit, with its changes, and only if there are any; the returned
    object itself is not added to the session.
    """
    entry = Entry(staff_id=staff_id, command=command, summary="", created_at=now)
    session.info[_ENTRY] = entry
    session.info[_CHANGES] = []
    return entry


REFUSED = "refused"


def describe_entry(session: Session, handle: str | None, on: date | None = None) -> None:
    """Say what the open entry is about, content-free (a handle, a date), for `/fortryd`."""
    entry = session.info.get(_ENTRY)
    if entry is not None:
        entry.summary = " ".join(filter(None, (handle, on.isoformat() if on else None)))[:200]


def entry_day(entry: Entry) -> date | None:
    """The date `describe_entry` gave the entry, if any."""
    for part in reversed(entry.summary.split()):
        try:
            return date.fromisoformat(part)
        except ValueError:
            continue
    return None


def note_refused(session: Session, staff_id: int, command: str, now: datetime) -> None:
    """Remember that a recording command was refused, so `/fortryd` does not reach past it."""
    session.execute(
        insert(Entry).values(
            staff_id=staff_id, command=command, summary=REFUSED, created_at=now, undone_at=now
        )
    )


def discard_entry(session: Session) -> None:
    """Forget the open entry (its savepoint was rolled back)."""
    session.info.pop(_ENTRY, None)
    session.info.pop(_CHANGES, None)


def _sealed_column(session: Session, attr: Any) -> MultiFernet | bool:
    """The cipher (or True without a key) if `attr` holds free text kept encrypted at rest."""
    if not any(isinstance(c.type, EncryptedText) for c in attr.columns):
        return False
    return cipher_for(session.get_bind().dialect) or True


def _plain(value: Any, sealed: MultiFernet | bool = False) -> Any:
    if sealed and isinstance(value, str):  # old note text stays as encrypted as the column
        return {"__sealed__": seal(value, sealed if isinstance(sealed, MultiFernet) else None)}
    if isinstance(value, datetime | date):
        return {"__date__": value.isoformat(), "dt": isinstance(value, datetime)}
    return value


def _unplain(value: Any, cipher: MultiFernet | None = None) -> Any:
    if isinstance(value, dict) and "__sealed__" in value:
        return unseal(value["__sealed__"], cipher)
    if isinstance(value, dict) and "__date__" in value:
        parsed = datetime.fromisoformat(value["__date__"])
        return parsed if value["dt"] else parsed.date()
    return value


def _after_flush(session: Session, _context: Any) -> None:
    if _ENTRY not in session.info:
        return
    changes: list[tuple[str, int, str, dict[str, Any] | None]] = session.info[_CHANGES]
    for obj in session.new:
        if isinstance(obj, TRACKED):
            changes.append((obj.__tablename__, obj.id, "insert", None))  # type: ignore[attr-defined]
    for obj in session.dirty:
        if not isinstance(obj, TRACKED) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        before = {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                before[attr.key] = _plain(old, _sealed_column(session, attr))
        if before:
            changes.append((obj.__tablename__, obj.id, "update", before))  # type: ignore[attr-defined]


def _before_commit(session: Session) -> None:
    # Runs when the command's savepoint is released. Flushing while the entry is still open
    # records the command's last unflushed changes too.
    if _ENTRY not in session.info:
        return
    session.flush()
    entry: Entry = session.info.pop(_ENTRY)
    changes = session.info.pop(_CHANGES, [])
    inserted = {(table, row) for table, row, op, _ in changes if op == "insert"}
    if not changes:
        return
    # Plain INSERTs, not the ORM unit of work: this runs on every recorded command.
    entry_id = session.execute(
        insert(Entry)
        .values(
            staff_id=entry.staff_id,
            command=entry.command,
            summary=entry.summary,
            created_at=entry.created_at,
        )
        .returning(Entry.id)
    ).scalar_one()
    rows = [
        {"entry_id": entry_id, "table_name": table, "row_id": row, "op": op, "before": before}
        for table, row, op, before in changes
        if not (op == "update" and (table, row) in inserted)  # undoing the insert is enough
    ]
    session.execute(insert(EntryChange), rows)


def undo_entry(session: Session, entry: Entry, now: datetime) -> None:
    """Reverse an entry's changes, newest first, and mark it undone."""
    session.info.pop(_ENTRY, None)
    # Core statements below bypass the flush: the follow-ups must still hear of these rows.
    note_touched(session, [session.get(_BY_TABLE[c.table_name], c.row_id) for c in entry.changes])
    for change in sorted(entry.changes, key=lambda c: c.id, reverse=True):
        cls = _BY_TABLE[change.table_name]
        pk = cls.__table__.c.id  # type: ignore[attr-defined]
        if change.op == "insert":
            session.execute(delete(cls).where(pk == change.row_id))
        else:
            cipher = cipher_for(session.get_bind().dialect)
            values = {k: _unplain(v, cipher) for k, v in (change.before or {}).items()}
            session.execute(update(cls).where(pk == change.row_id).values(**values))
    entry.undone_at = now
    session.flush()  # before expire_all, which would otherwise drop this change unsaved
    session.expire_all()


# --- Health data ---
def entry_citizens(session: Session, entry: Entry) -> dict[int, str | None]:
    """The citizens (id -> handle) whose rows an entry touched, so undoing it can be audited."""
    found: dict[int, str | None] = {}
    for change in entry.changes:
        cls = _BY_TABLE.get(change.table_name)
        if cls is None:
            continue
        row = session.get(cls, change.row_id)
        citizen_id = row.id if isinstance(row, Citizen) else getattr(row, "citizen_id", None)
        if isinstance(row, PlacementChange):
            citizen_id = session.scalar(
                select(Placement.citizen_id).where(Placement.id == row.placement_id)
            )
        elif isinstance(row, JobChange):
            citizen_id = session.scalar(select(Job.citizen_id).where(Job.id == row.job_id))
        if citizen_id is not None and citizen_id not in found:
            found[citizen_id] = session.scalar(
                select(Citizen.handle).where(Citizen.id == citizen_id)
            )
    return found
