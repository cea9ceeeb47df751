"""The data-protection commands behind `rampe audit`, `erase`, `export-citizen`, `retention`
and `rotate-key`. Each takes the app and an `echo`, so tests call them directly."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.app import Rampe
from bot.scheduler.runner import run_retention
from kernel.fold import fold
from store.audit import Purpose, audit, audit_trail
from store.erasure import erase_citizen, expired_citizens, scrub_file
from store.export import citizen_export
from store.models import Citizen, Staff, StaffIdentity
from store.rotation import rotate_all

Echo = Callable[[str], None]
COLUMNS = ("at", "staff", "platform", "action", "entity", "entity_id", "citizen", "detail")


class NotFound(LookupError):
    """No citizen or staff member matched what the operator typed."""


def citizen_by_handle(session: Session, handle: str) -> Citizen:
    """The citizen with this handle (operators see every citizen)."""
    found = session.scalars(
        select(Citizen).where(func.upper(Citizen.handle) == handle.strip().upper())
    ).first()
    if found is None:
        raise NotFound(f"no citizen has the handle {handle}")
    return found


def _staff_ids(session: Session, user: str) -> list[int]:
    by_name = select(Staff.id).where(Staff.name_folded == fold(user))
    by_identity = select(StaffIdentity.staff_id).where(StaffIdentity.external_id == user)
    ids = set(session.scalars(by_name)) | set(session.scalars(by_identity))
    if not ids:
        raise NotFound(f"no staff member is called {user}")
    return sorted(ids)


def show_audit(
    app: Rampe,
    echo: Echo,
    *,
    citizen: str | None,
    user: str | None,
    since: date | None,
    fmt: str,
) -> int:
    """Print the audit trail, filtered; returns how many events."""
    with app.unit_of_work() as session:
        rows = audit_trail(
            session,
            handle=citizen,
            staff_ids=_staff_ids(session, user) if user else None,
            since=datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None,
        )
        dicts = [r.as_dict() for r in rows]
    if fmt == "json":
        echo(json.dumps(dicts, ensure_ascii=False, indent=2))
        return len(dicts)
    table = [[_cell(d[c]) for c in COLUMNS] for d in dicts]
    widths = [max([len(c), *(len(r[i]) for r in table)]) for i, c in enumerate(COLUMNS)]
    echo("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip())
    for row in table:
        echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return len(dicts)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def erase(app: Rampe, echo: Echo, handle: str) -> int:
    """Erase one citizen on request and scrub the database file; returns rows removed."""
    with app.unit_of_work() as session:
        citizen = citizen_by_handle(session, handle)
        erased = erase_citizen(
            session, citizen, now=app.clock(), staff_id=None, platform="cli", reason="request"
        )
    echo(f"Erased {handle.upper()}: {erased.rows} rows. The audit keeps a tombstone.")
    echo("Rewriting the database files so no erased bytes remain in them ...")
    started = time.perf_counter()
    complete = scrub_file(app.engine)
    app.directory.invalidate()
    echo(f"Done in {time.perf_counter() - started:.1f} s.")
    if not complete:
        echo(
            "A long transaction on the server still held the erased rows, so copies may remain "
            "in the files: run `rampe scrub` once it has ended to rewrite them again."
        )
    return erased.rows


def export_citizen(app: Rampe, handle: str) -> str:
    """Everything about one citizen, and who looked at it, as JSON (the export is audited)."""
    with app.unit_of_work() as session:
        citizen = citizen_by_handle(session, handle)
        document = citizen_export(session, citizen)
        audit(
            session,
            at=app.clock(),
            staff_id=None,
            platform="cli",
            action="export",
            purpose=Purpose.ACCESS_REQUEST,
            entity="citizen",
            entity_id=citizen.id,
            citizen=citizen,
        )
    return json.dumps(document, ensure_ascii=False, indent=2)


def retention(app: Rampe, echo: Echo, *, dry_run: bool) -> int:
    """Erase (or with `dry_run` only list) the courses past the retention time."""
    months = app.settings.retention_months
    with app.unit_of_work() as session:
        if dry_run:
            doomed = expired_citizens(session, app.clock(), months)
            for citizen in doomed:
                echo(f"would erase {citizen.handle} (ended {citizen.ended_on})")
            echo(f"{len(doomed)} courses ended more than {months} months ago.")
            return len(doomed)
    count = run_retention(app, platform="cli")
    echo(f"Erased {count} courses ended more than {months} months ago.")
    return count


def rotate_key(app: Rampe, echo: Echo, new_key: str, *, batch: int = 500) -> int:
    """Re-encrypt every note under `new_key` (old keys from the settings still decrypt)."""
    try:
        fernets = [Fernet(k.encode()) for k in (new_key, *app.settings.encryption_keys)]
    except (ValueError, TypeError) as err:
        raise ValueError("not a valid Fernet key") from err
    done = rotate_all(
        app.sessions,
        MultiFernet(fernets),
        size=batch,
        progress=lambda label, n, total: echo(f"{label}: {n}/{total}"),
    )
    echo(f"Re-encrypted {done} values. Now set RAMPE_ENCRYPTION_KEY to the new key.")
    return done
