"""What every benchmark needs: databases to run on, fast bulk loaders, timing, one table format.

A benchmark module `bench/bench_<area>.py` defines `run(quick: bool = False) -> None` and uses:

    for db in each_database():                  # a fresh SQLite file, then scratch PostgreSQL
        bulk_insert(db, Citizen, rows)          # Core executemany in batches; COPY on PostgreSQL
        app = make_app(db)                      # a Rampe on db, clock fixed at BENCH_NOW
        t = measure(lambda: app.handle(...), n=200)
        print_table(f"/log on {db.name}", [Row("/log", t, target_ms=10, baseline=insert_t)])

The API (stable; add, do not change): Database, sqlite_database, postgres_database,
each_database, bulk_insert, make_app, Timing, measure, once, Row, print_table, note, BENCH_NOW,
kept_database, mark_loaded, cache_dir, analyze.

A benchmark that loads millions of rows can keep what it loaded (`kept_database`): the SQLite
file goes to `cache_dir()` and the PostgreSQL database keeps its name, and a rerun that asks for
the same name finds them loaded (`Database.loaded`) and only brings the schema up to date.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, create_engine, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import JSON, TypeDecorator

from bot.app import Rampe
from kernel.clock import FixedClock
from kernel.settings import Settings
from store.db import make_engine, schema_revision, upgrade_schema

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Monday 23 November 2026, 09:00 in Copenhagen (the same moment the tests use).
BENCH_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
BATCH = 10_000


def note(message: str) -> None:
    """A progress or skip note on stderr, so stdout holds only the figures."""
    print(message, file=sys.stderr, flush=True)


# --- Databases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """A migrated, empty database to benchmark on."""

    name: str  # "sqlite" | "postgresql"
    url: str
    engine: Engine
    loaded: bool = False  # a kept database whose data a previous run loaded completely


@contextmanager
def sqlite_database() -> Iterator[Database]:
    """A fresh, migrated SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="rampe-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'rampe.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        try:
            yield Database("sqlite", url, engine)
        finally:
            engine.dispose()


@contextmanager
def postgres_database(admin_url: str = PG_ADMIN_URL) -> Iterator[Database | None]:
    """A scratch PostgreSQL database, migrated, dropped afterwards; None if unreachable."""
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as conn:
            name = f"rampe_bench_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    except Exception as err:  # any failure to reach the server means: skip it
        note(f"PostgreSQL not reachable at {admin_url} ({type(err).__name__}); skipped.")
        admin.dispose()
        yield None
        return
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    try:
        upgrade_schema(engine)
        yield Database("postgresql", url, engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def each_database(names: Sequence[str] = ("sqlite", "postgresql")) -> Iterator[Database]:
    """Yield each named database in turn (fresh and empty), cleaning each up before the next."""
    for name in names:
        opener = sqlite_database() if name == "sqlite" else postgres_database()
        with opener as db:
            if db is not None:
                yield db


CACHE_ENV = "RAMPE_BENCH_CACHE"
LOADED_MARK = 1  # SQLite: PRAGMA user_version; PostgreSQL: the database's comment says so


def cache_dir(chosen: str | None = None) -> Path:
    """Where kept SQLite files go: `chosen`, else $RAMPE_BENCH_CACHE, else the temp dir."""
    where = chosen or os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "rampe-bench"
    path = Path(where)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def kept_database(
    kind: str, key: str, cache: str | None = None, admin_url: str = PG_ADMIN_URL
) -> Iterator[Database | None]:
    """A database named after `key` that outlives the run (None if PostgreSQL is unreachable).

    If a previous run loaded it completely (`mark_loaded`), it is reused with `loaded` True after
    its schema is brought up to the newest migration; otherwise (missing, or a load that did not
    finish) it starts empty and migrated. Nothing is removed afterwards: delete the file or
    `DROP DATABASE rampe_keep_<key>` to start over.
    """
    if kind == "sqlite":
        path = cache_dir(cache) / f"rampe-{key}.db"
        url = f"sqlite:///{path}"
        loaded = path.exists() and _sqlite_mark(url) == LOADED_MARK
        if not loaded:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        yield from _kept(Database("sqlite", url, make_engine(url), loaded), str(path))
        return
    name = f"rampe_keep_{key}".lower()
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                     "WHERE datname = :name"), {"name": name},
            ).first()  # fmt: skip
            loaded = found is not None and found[0] == f"loaded {LOADED_MARK}"
            if not loaded:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    except Exception as err:  # any failure to reach the server means: skip it
        note(f"PostgreSQL not reachable at {admin_url} ({type(err).__name__}); skipped.")
        yield None
        return
    finally:
        admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    yield from _kept(Database("postgresql", url, make_engine(url), loaded), f"database {name}")


def _kept(db: Database, where: str) -> Iterator[Database]:
    """The kept database migrated and announced, its engine disposed afterwards."""
    try:
        _upgrade_kept(db.engine, db.loaded)
        note(f"{db.name}: {'reusing' if db.loaded else 'loading into'} {where}")
        yield db
    finally:
        db.engine.dispose()


def _upgrade_kept(engine: Engine, loaded: bool) -> None:
    """Migrate; if that changed a loaded database (new indexes), refresh its statistics."""
    before = schema_revision(engine)[0]
    upgrade_schema(engine)
    if loaded and schema_revision(engine)[0] != before:
        note(f"{engine.dialect.name}: schema upgraded from {before}; analyzing")
        analyze(engine)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, and on PostgreSQL the visibility map that lets a covering
    index answer without the table: what autovacuum does soon after a bulk load."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


def _sqlite_mark(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    finally:
        engine.dispose()


def mark_loaded(db: Database) -> None:
    """Record in a kept database that its data is complete, for `kept_database` to see."""
    with db.engine.connect() as conn:
        if db.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA user_version = {LOADED_MARK}")
        else:
            name = conn.execute(text("SELECT current_database()")).scalar()
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS 'loaded {LOADED_MARK}'"))
        conn.commit()


def make_app(db: Database, now: datetime = BENCH_NOW, **settings: Any) -> Rampe:
    """A Rampe on `db` with its clock fixed at `now`; `settings` by their env names."""
    values: dict[str, Any] = {"RAMPE_DATABASE_URL": db.url, **settings}
    config = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return Rampe(config, engine=db.engine, clock=FixedClock(now), upgrade=False)


# --- Bulk loading ----------------------------------------------------------------------------


def _table(target: Any) -> Table:
    return target if isinstance(target, Table) else target.__table__


def bulk_insert(
    db: Database, target: Any, rows: Iterable[Mapping[str, Any]], batch: int = BATCH
) -> int:
    """Insert `rows` (dicts of column values) into a model or Table fast; returns the count.

    SQLite: executemany on the driver connection in batches (values converted by the column
    types, as SQLAlchemy would). PostgreSQL: COPY, then ANALYZE (what autovacuum would do).

    Every row must have the same keys. Datetimes are timezone-aware, as the models expect. Ids
    may be given; on PostgreSQL the id sequence is then moved past them. No ORM events run
    (so no journal, no directory bump): call `bump_directory` yourself if names changed.
    """
    table = _table(target)
    if db.engine.dialect.name == "postgresql":
        count = _copy_rows(db, table, rows)
    else:
        count = _executemany(db, table, rows, batch)
    return count


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _executemany(db: Database, table: Table, rows: Iterable[Mapping[str, Any]], size: int) -> int:
    """Batched executemany on the driver connection, values converted by the column types."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    dialect = db.engine.dialect
    procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    convert = [p if p is not None else _same for p in procs]
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    count = 0
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        for chunk in _batches(_chain(first, iterator), size):
            cur.executemany(
                sql, [[f(row[c]) for c, f in zip(columns, convert, strict=True)] for row in chunk]
            )
            count += len(chunk)
        cur.execute("COMMIT")
        cur.close()
    finally:
        raw.close()
    return count


def _same(value: Any) -> Any:
    return value


def _copy_converter(kind: Any, dialect: Dialect) -> Callable[[Any], Any]:
    """How a Python value becomes what COPY needs for a column of type `kind`."""
    from psycopg.types.json import Jsonb

    if isinstance(kind, TypeDecorator):
        return lambda v: kind.process_bind_param(v, dialect)
    if isinstance(kind, JSON):
        return lambda v: None if v is None else Jsonb(v)
    return lambda v: v


def _copy_rows(db: Database, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """COPY through psycopg: several times faster than executemany for large tables."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    dialect = db.engine.dialect
    convert = [_copy_converter(table.c[name].type, dialect) for name in columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    count = 0
    raw = db.engine.raw_connection()
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in _chain(first, iterator):
                    values = (row[c] for c in columns)
                    copy.write_row([f(v) for v, f in zip(values, convert, strict=True)])
                    count += 1
            if "id" in columns:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))'
                )
        raw.commit()
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(f'ANALYZE "{table.name}"')
        raw.commit()
    finally:
        raw.close()
    return count


def _chain(
    first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


# --- Timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Samples of one operation, in seconds, and their statistics in milliseconds.

    `cpu_ms` is this process's CPU time per call (mean): on a shared, busy machine wall-clock
    figures wait for a core, and the CPU figure shows what the code itself costs.
    """

    samples: tuple[float, ...]
    cpu_ms: float | None = None

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    def percentile_ms(self, p: float) -> float:
        """The p-th percentile (nearest rank), in milliseconds."""
        ordered = sorted(self.samples)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(50)

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(99)


def measure(
    fn: Callable[[], object],
    n: int,
    warmup: int = 5,
    before: Callable[[], object] | None = None,
) -> Timing:
    """Time `n` calls of `fn` after `warmup` untimed ones; `before` runs untimed before each."""
    for _ in range(warmup):
        if before is not None:
            before()
        fn()
    samples = []
    cpu = 0.0
    gc.collect()  # start clean; collections during the run stay in, as in real use
    for _ in range(n):
        if before is not None:
            before()
        cpu_start = time.process_time()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
        cpu += time.process_time() - cpu_start
    return Timing(tuple(samples), cpu / max(n, 1) * 1000)


def once(fn: Callable[[], object]) -> Timing:
    """Time one call of `fn` (a cold start, a load): a Timing with n = 1."""
    cpu_start = time.process_time()
    start = time.perf_counter()
    fn()
    return Timing((time.perf_counter() - start,), (time.process_time() - cpu_start) * 1000)


# --- Reporting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a results table: ratio = median / baseline's median; target on the median."""

    label: str
    timing: Timing
    target_ms: float | None = None
    baseline: Timing | None = None


def _ms(value: float) -> str:
    return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def print_table(title: str, rows: Sequence[Row]) -> None:
    """Print `rows` under `title` in the one table format every benchmark uses.

    Columns: n, median/p50/p99 wall-clock ms, mean CPU ms per call, the target on the median
    with PASS/FAIL, and the ratio of the median to the row's baseline.
    """
    header = ("what", "n", "median ms", "p50 ms", "p99 ms", "cpu ms", "target", "ok", "ratio")
    lines = [header]
    for row in rows:
        t = row.timing
        target = f"< {row.target_ms:g} ms" if row.target_ms is not None else ""
        ok = "" if row.target_ms is None else ("PASS" if t.median_ms < row.target_ms else "FAIL")
        ratio = _ratio(t.median_ms / row.baseline.median_ms) if row.baseline else ""
        cpu = _ms(t.cpu_ms) if t.cpu_ms is not None else ""
        stats = (_ms(t.median_ms), _ms(t.p50_ms), _ms(t.p99_ms), cpu)
        lines.append((row.label, str(t.n), *stats, target, ok, ratio))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    print(f"\n{title}")
    for k, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)
        ]
        print("  " + "  ".join(cells).rstrip())
        if k == 0:
            print("  " + "  ".join("-" * w for w in widths))
    sys.stdout.flush()
