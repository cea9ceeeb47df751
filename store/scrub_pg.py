"""Rewriting PostgreSQL's files after an erasure, so no erased value stays in a page or a statistic.

VACUUM FULL copies a deleted row into the new file while any transaction that might still see
it is running: one holding a snapshot in this database, or one with a transaction id anywhere in
the cluster (VACUUM FULL's own snapshot then reaches back to it). On a busy server, another
replica's write at that moment is enough. So the rewrite waits until every transaction that was
running when the erasure committed has ended, then rewrites, then refreshes the statistics, which
otherwise keep sample values (names, handles) of rows that no longer exist. ANALYZE leaves the
statistics of a table it finds empty as they were; changing a column to its own type is what
drops them there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

from store.models import Base

# True when some transaction that began before the snapshot `:horizon` (an xid8) is still
# running: in the whole cluster (its id), or in this database (its snapshot). `age` counts back
# from now, so a backend's xmin at or before the horizon is at least the horizon's age.
_OLDER_STILL_RUNNING = text(
    "SELECT pg_snapshot_xmin(pg_current_snapshot()) < CAST(:horizon AS xid8) OR EXISTS ("
    "  SELECT 1 FROM pg_stat_activity"
    "  WHERE datname = current_database() AND pid <> pg_backend_pid()"
    "    AND backend_xmin IS NOT NULL"
    "    AND age(backend_xmin) >= CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text)::bigint"
    "        - CAST(:horizon AS text)::bigint)"
)


# Text columns of our now-empty tables that still have statistics from before.
_STALE_TEXT_STATISTICS = text(
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)"
    " FROM pg_stats s"
    " JOIN pg_namespace n ON n.nspname = s.schemaname"
    " JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename"
    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname"
    " WHERE s.schemaname = current_schema() AND c.reltuples = 0"
    "   AND a.atttypid IN (CAST('text' AS regtype), CAST('varchar' AS regtype))"
)


def _drop_stale_statistics(conn: Connection, ours: set[str]) -> None:
    for table, column, kind in conn.execute(_STALE_TEXT_STATISTICS).all():
        if table in ours:  # names from the catalogue, quoted; the type as PostgreSQL spells it
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {kind}')


def _horizon(conn: Connection) -> str:
    """The first transaction id not yet finished now (everything before it has ended or runs)."""
    return str(conn.execute(text("SELECT pg_snapshot_xmax(pg_current_snapshot())")).scalar_one())


def _wait_for_older(
    conn: Connection, horizon: str, wait_seconds: float, sleep: Callable[[float], None]
) -> bool:
    deadline = time.monotonic() + wait_seconds
    while conn.execute(_OLDER_STILL_RUNNING, {"horizon": horizon}).scalar_one():
        if time.monotonic() >= deadline:
            return False
        sleep(0.05)
    return True


def scrub_postgres(
    engine: Engine, wait_seconds: float = 60.0, sleep: Callable[[float], None] = time.sleep
) -> bool:
    """Rewrite our tables and refresh their statistics; False if a long transaction kept
    erased rows alive past `wait_seconds` (run the scrub again once it has ended)."""
    ours = {t.name for t in Base.metadata.sorted_tables}
    tables = ", ".join(f'"{name}"' for name in sorted(ours))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        complete = _wait_for_older(conn, _horizon(conn), wait_seconds, sleep)
        conn.exec_driver_sql(f"VACUUM FULL {tables}")
        conn.exec_driver_sql(f"ANALYZE {tables}")
        _drop_stale_statistics(conn, ours)
    return complete
