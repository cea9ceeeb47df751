"""Erasure (GDPR art. 17): one citizen on request, or every course past the retention time.

Everything about the citizen goes, including undo journal rows and pending questions that hold
their data; the audit trail keeps who-did-what without the citizen's handle, plus a
content-free tombstone. `scrub_file` then makes sure nothing erased stays in the database's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, Table, delete, select, update
from sqlalchemy.orm import Session

from kernel.vocabulary import CitizenStatus
from store.audit import Purpose, audit
from store.directory import bump_directory
from store.models import AuditEvent, Base, Citizen, Entry, EntryChange, OutboxMessage, PendingChoice
from store.scrub_pg import scrub_postgres


@dataclass(frozen=True)
class Erased:
    """How many rows an erasure removed (for the tombstone and the operator)."""

    rows: int


def _rows_of(session: Session, citizen_id: int) -> dict[Table, list[int]]:
    """Every row that hangs off the citizen by foreign keys, table by table, parents first.

    Found from the schema, so a table another part of Rampe adds later is erased too.
    """
    citizens = Citizen.__table__
    rows: dict[Table, list[int]] = {citizens: [citizen_id]}  # type: ignore[dict-item]
    for table in Base.metadata.sorted_tables:  # parents before children
        if table is citizens or "id" not in table.c:
            continue
        found: set[int] = set()
        for fk in table.foreign_keys:
            parent_ids = rows.get(fk.column.table)  # type: ignore[call-overload]
            if parent_ids and fk.column.table is not table:
                found.update(session.scalars(select(table.c.id).where(fk.parent.in_(parent_ids))))
        if found:
            rows[table] = sorted(found)
    return rows


def _forget_journal(session: Session, rows: dict[Table, list[int]]) -> int:
    """Drop undo journal rows about the citizen's rows, and entries left empty."""
    count = 0
    entry_ids: set[int] = set()
    for table, ids in rows.items():
        where = (EntryChange.table_name == table.name) & EntryChange.row_id.in_(ids)
        entry_ids.update(session.scalars(select(EntryChange.entry_id).where(where)))
        count += session.execute(delete(EntryChange).where(where)).rowcount  # type: ignore[attr-defined]
    for entry_id in entry_ids:
        if session.scalar(select(EntryChange.id).where(EntryChange.entry_id == entry_id)) is None:
            count += session.execute(delete(Entry).where(Entry.id == entry_id)).rowcount  # type: ignore[attr-defined]
    return count


def pending_choices_about(session: Session, citizen: Citizen) -> list[PendingChoice]:
    """The "which one?" questions waiting for an answer that name or point at `citizen`."""
    return [c for c in session.scalars(select(PendingChoice)) if _mentions(c, citizen)]


def _mentions(choice: PendingChoice, citizen: Citizen) -> bool:
    if choice.kind == "citizen" and citizen.id in choice.candidate_ids:
        return True
    if any(k.startswith("citizen:") and v == citizen.id for k, v in choice.overrides.items()):
        return True
    text = choice.command_text.casefold()
    words = [w for w in citizen.name_folded.split() if len(w) >= 3]
    return (citizen.handle or "\0").casefold() in text or any(w in text for w in words)


def _forget_choices(session: Session, citizen: Citizen) -> int:
    """Drop pending questions that name or point at the citizen (they are only retyped)."""
    doomed = [c.id for c in pending_choices_about(session, citizen)]
    if doomed:
        session.execute(delete(PendingChoice).where(PendingChoice.id.in_(doomed)))
    return len(doomed)


def _forget_outbox(session: Session, citizen: Citizen) -> int:
    """Drop local-chat messages (digests) that name the citizen; the next digest is rebuilt."""
    doomed = [
        m.id
        for m in session.scalars(select(OutboxMessage))
        if (citizen.handle and citizen.handle in m.body) or citizen.full_name in m.body
    ]
    if doomed:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(doomed)))
    return len(doomed)


def erase_citizen(
    session: Session,
    citizen: Citizen,
    *,
    now: datetime,
    staff_id: int | None,
    platform: str,
    reason: str,
) -> Erased:
    """Erase everything about `citizen`, leaving a content-free tombstone in the audit."""
    citizen_id = citizen.id
    rows = _rows_of(session, citizen_id)
    count = _forget_journal(session, rows) + _forget_choices(session, citizen)
    count += _forget_outbox(session, citizen)
    if citizen.handle:  # entries whose summary names the citizen
        named = select(Entry.id).where(Entry.summary.contains(citizen.handle))
        session.execute(delete(EntryChange).where(EntryChange.entry_id.in_(named)))
        count += session.execute(
            delete(Entry).where(Entry.summary.contains(citizen.handle))
        ).rowcount  # type: ignore[attr-defined]
    session.expunge(citizen)
    for table, ids in reversed(rows.items()):  # children before parents: no cascade needed
        count += session.execute(delete(table).where(table.c.id.in_(ids))).rowcount  # type: ignore[attr-defined]
    # The trail of who looked stays, but no longer says at whom.
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.citizen_id == citizen_id)
        .values(citizen_id=None, citizen_handle=None)
    )
    audit(
        session,
        at=now,
        staff_id=staff_id,
        platform=platform,
        action="erase",
        purpose=Purpose.ERASURE if reason == "request" else Purpose.RETENTION,
        entity="citizen",
        entity_id=citizen_id,
        detail=f"{reason}; {count} rows",
    )
    bump_directory(session)
    session.flush()
    return Erased(count)


def retention_cutoff(today: date, months: int) -> date:
    """The day `months` calendar months before `today` (clamped to the month's last day)."""
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_expired(status: str, ended_on: date | None, cutoff: date) -> bool:
    """True if a course ended before `cutoff`."""
    return status == CitizenStatus.ENDED and ended_on is not None and ended_on < cutoff


def expired_citizens(session: Session, now: datetime, months: int) -> list[Citizen]:
    """Citizens whose course ended more than `months` months before `now` (UTC day)."""
    cutoff = retention_cutoff(now.date(), months)
    return list(
        session.scalars(
            select(Citizen)
            .where(
                Citizen.status == CitizenStatus.ENDED,
                Citizen.ended_on.is_not(None),
                Citizen.ended_on < cutoff,
            )
            .order_by(Citizen.id)
        )
    )


def erase_expired(session: Session, now: datetime, months: int, platform: str = "scheduler") -> int:
    """Erase every course that ended more than `months` months ago; returns how many.

    Call `scrub_file` on the engine after the transaction commits.
    """
    doomed = expired_citizens(session, now, months)
    for citizen in doomed:
        erase_citizen(
            session, citizen, now=now, staff_id=None, platform=platform, reason="retention"
        )
    return len(doomed)


def scrub_file(engine: Engine) -> bool:
    """After an erasure has committed: leave no erased bytes in the database files.

    SQLite: secure_delete has zeroed the freed cells; checkpointing the WAL into the file and
    truncating it, then VACUUM (which in WAL mode writes through the WAL again), then one more
    truncating checkpoint leaves neither old pages nor an old log behind. PostgreSQL: see
    `store.scrub_pg` (VACUUM FULL once older transactions have ended, then ANALYZE). It holds
    each table's lock while it rewrites it: writers wait seconds per million rows. The server's
    write-ahead log and any backups keep old bytes until they are recycled or expire (see the
    README). Returns False when a long transaction kept erased rows alive; run it again later.
    """
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement in (
                "PRAGMA wal_checkpoint(TRUNCATE)",
                "VACUUM",
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ):
                cursor.execute(statement)
            cursor.close()
        finally:
            raw.close()
        return True
    return scrub_postgres(engine)
