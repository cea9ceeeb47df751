"""Computing due follow-ups for 100,000 citizens with two years of history (target: under 2 s).

Loads a fictional programme (citizens in every status, about 15 contacts each, praktik, jobs,
WHO-5) into a fresh SQLite file and a scratch PostgreSQL database, then times
`compute_wanted` (the set-based fact queries plus the pure rules, all rules) beside one SQL
query that computes the same selection for the citizen-level rules gap, referral, resume,
who5_start and job_3d, and checks the two agree on those rules.

    python -m bench.bench_followups [--quick] [--sweep]     (or: python -m bench followups)
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex

from bench.common import each_database, note
from bot.scheduler.due import compute_wanted, refresh
from kernel.settings import Settings
from store.models import Contact

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = NOW.date()
SQL_RULES = ("gap", "referral", "resume", "who5_start", "job_3d")
STATUSES = (("ended", 0.55), ("active", 0.30), ("referred", 0.08), ("paused", 0.07))
STAMP = "2026-11-01 08:00:00"


def databases(names: tuple[str, ...] = ("sqlite", "postgresql")) -> Iterator[tuple[str, Engine]]:
    """A fresh migrated SQLite file, then a scratch PostgreSQL database (skipped if absent)."""
    for db in each_database(names):
        yield db.name, db.engine


# --- A fictional programme -------------------------------------------------------------------


def _pick_status(rng: random.Random) -> str:
    r, acc = rng.random(), 0.0
    for status, share in STATUSES:
        acc += share
        if r < acc:
            return status
    return "active"


def generate(citizens: int, seed: int = 5) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per table, as tuples in column order (see COLUMNS)."""
    rng = random.Random(seed)
    staff_n, companies_n = max(2, citizens // 500), max(2, citizens // 20)
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in COLUMNS}
    rows["staff"] = [
        (i, f"kp{i}", f"kp{i}", "contact", "da", True, STAMP) for i in range(1, staff_n + 1)
    ]
    rows["companies"] = [(i, f"Firma {i}", f"firma {i}", rng.randint(1, staff_n), STAMP)
                         for i in range(1, companies_n + 1)]  # fmt: skip
    for cid in range(1, citizens + 1):
        _course(rng, rows, cid, rng.randint(1, staff_n), companies_n)
    return rows


def _course(rng: random.Random, rows: dict[str, list[tuple[Any, ...]]], cid: int, owner: int,
            companies: int) -> None:  # fmt: skip
    status = _pick_status(rng)
    referred = TODAY - timedelta(days=rng.randint(5, 730))
    started = referred + timedelta(days=rng.randint(3, 30)) if status != "referred" else None
    ended = None
    if status == "ended" and started is not None:
        ended = started + timedelta(days=rng.randint(45, max(46, (TODAY - started).days)))
    paused = TODAY + timedelta(days=rng.randint(1, 60)) if status == "paused" else None
    rows["citizens"].append((cid, f"MH-{cid:06d}", f"Borger {cid}", f"borger {cid}", owner,
                             status, referred, started, paused, ended, STAMP, STAMP))  # fmt: skip
    if started is not None:
        last = min(ended or TODAY, TODAY)
        span = max(1, (last - started).days)
        for _ in range(rng.randint(max(1, span // 40), max(2, span // 12))):
            on = started + timedelta(days=rng.randint(0, span))
            rows["contacts"].append((cid, None, owner, "phone", on, 20, "console", STAMP))
        if rng.random() < 0.6:
            rows["measurements"].append((cid, "who5", "start", 56, started, owner, STAMP))
    if status == "active" and started is not None:
        company = rng.randint(1, companies)
        roll = rng.random()
        if roll < 0.35:
            start = TODAY - timedelta(days=rng.randint(0, 80))
            end = start + timedelta(weeks=rng.choice((4, 8, 13)))
            rows["placements"].append((cid, company, start, end, 10.0, "active", owner, STAMP))
            if rng.random() < 0.5:
                rows["contacts"].append((None, company, owner, "company_visit",
                                         start + timedelta(days=rng.randint(0, 30)), 30,
                                         "console", STAMP))  # fmt: skip
        elif roll < 0.6:
            start = TODAY - timedelta(days=rng.randint(0, 300))
            rows["jobs"].append((cid, company, "flex", 12.0, start, owner, STAMP))


COLUMNS = {
    "staff": "id, display_name, name_folded, role, language, active, created_at",
    "companies": "id, name, name_folded, owner_id, created_at",
    "citizens": "id, handle, full_name, name_folded, owner_id, status, referred_on, started_on,"
    " paused_until, ended_on, created_at, updated_at",
    "contacts": "citizen_id, company_id, staff_id, form, occurred_on, minutes, platform,"
    " created_at",
    "placements": "citizen_id, company_id, start_on, planned_end_on, hours_per_week, status,"
    " staff_id, created_at",
    "jobs": "citizen_id, company_id, kind, hours_per_week, start_on, staff_id, created_at",
    "measurements": "citizen_id, instrument, phase, score, measured_on, staff_id, created_at",
}


def _contact_indexes(engine: Engine) -> dict[str, str]:
    """The contacts table's indexes as the models declare them: name -> CREATE INDEX."""
    indexes = Contact.__table__.indexes  # type: ignore[attr-defined]
    return {str(i.name): str(CreateIndex(i).compile(dialect=engine.dialect)) for i in indexes}


def _tsv(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def load(name: str, engine: Engine, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Bulk load (indexes on contacts rebuilt afterwards), then ANALYZE. Test data only."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if name == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("BEGIN")  # the connection is in autocommit mode (see store/db.py)
        indexes = _contact_indexes(engine)
        for index in indexes:
            cursor.execute(f"DROP INDEX {index}")
        for table, columns in COLUMNS.items():
            data = rows[table]
            if name == "sqlite":
                marks = ", ".join("?" * len(columns.split(",")))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in data],
                )
                continue
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for start in range(0, len(data), 50_000):
                    chunk = data[start : start + 50_000]
                    copy.write("".join("\t".join(map(_tsv, r)) + "\n" for r in chunk))
        for create in indexes.values():
            cursor.execute(create)
        raw.commit()
        if name == "postgresql":  # what autovacuum does soon after a load: visibility map, stats
            driver: Any = raw.driver_connection
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
            driver.autocommit = False
        else:
            cursor.execute("ANALYZE")
            raw.commit()
    finally:
        raw.close()


# --- The same selection as one SQL query -----------------------------------------------------


def _days_sqlite(expr: str, n: str) -> str:
    return f"date({expr}, '+' || ({n}) || ' days')"


def _days_pg(expr: str, n: str) -> str:
    return f"({expr} + ({n}))"


DIALECT = {
    "sqlite": {
        "six": "CASE WHEN strftime('%d', date(job_start, '+6 months')) = strftime('%d', job_start)"
        " THEN date(job_start, '+6 months')"
        " ELSE date(job_start, 'start of month', '+7 months', '-1 day') END",
        "ref": "max(coalesce(last_on, started_on), coalesce(started_on, last_on))",
        "window": "date(:today, '-30 days')",
    },
    "postgresql": {
        "six": "(job_start + interval '6 months')::date",
        "ref": "greatest(last_on, started_on)",
        "window": "(CAST(:today AS date) - 30)",
    },
}


def one_query(dialect: str) -> str:
    """Gap, referral, resume, who5_start and job_3d for every live course, in one statement."""
    days = _days_sqlite if dialect == "sqlite" else _days_pg
    six_months, greatest, window = (DIALECT[dialect][k] for k in ("six", "ref", "window"))
    start_phase = days("started_on", "56")
    gap = (
        "CASE WHEN job_id IS NOT NULL THEN CASE WHEN ref < six THEN 30 ELSE 90 END "
        f"WHEN started_on IS NOT NULL AND ref < {start_phase} THEN 7 ELSE 14 END"
    )
    return f"""
WITH job AS (
  SELECT citizen_id, max(id) AS job_id, max(start_on) AS job_start FROM jobs
  WHERE ended_on IS NULL GROUP BY citizen_id),
who AS (
  SELECT citizen_id, max(CASE WHEN phase = 'start' THEN 1 ELSE 0 END) AS has_start
  FROM measurements WHERE instrument = 'who5' GROUP BY citizen_id),
base AS (
  SELECT c.id, c.status, c.referred_on, c.started_on, c.paused_until,
         (SELECT max(occurred_on) FROM contacts WHERE citizen_id = c.id) AS last_on,
         j.job_id, j.job_start, coalesce(w.has_start, 0) AS has_start
  FROM citizens c
  LEFT JOIN job j ON j.citizen_id = c.id
  LEFT JOIN who w ON w.citizen_id = c.id
  WHERE c.status <> 'ended' OR c.ended_on >= {window}),
active AS (
  SELECT base.*, {greatest} AS ref, {six_months} AS six FROM base WHERE status = 'active')
SELECT 'gap', id, {days("ref", gap)} FROM active WHERE ref IS NOT NULL
UNION ALL SELECT 'referral', id, {days("referred_on", "7")} FROM base
  WHERE status = 'referred' AND last_on IS NULL AND referred_on IS NOT NULL
UNION ALL SELECT 'gap', id, {days("last_on", "7")} FROM base
  WHERE status = 'referred' AND last_on IS NOT NULL AND referred_on IS NOT NULL
UNION ALL SELECT 'resume', id, paused_until FROM base
  WHERE status = 'paused' AND paused_until IS NOT NULL
UNION ALL SELECT 'who5_start', id, {days("started_on", "14")} FROM active
  WHERE started_on IS NOT NULL AND has_start = 0
UNION ALL SELECT 'job_3d', id, {days("job_start", "3")} FROM active
  WHERE job_id IS NOT NULL AND (last_on IS NULL OR last_on < job_start)
"""


def _refresh_times(engine: Engine, settings: Settings) -> tuple[float, float]:
    """Wall seconds for the first full reconciliation and for the next one (nothing changed)."""
    times = []
    for _ in range(2):
        with Session(engine) as session, session.begin():
            start = time.perf_counter()
            refresh(session, settings, NOW)
            times.append(time.perf_counter() - start)
    return times[0], times[1]


def best(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """The fastest of `runs` calls (wall seconds, this process's CPU seconds), the last result."""
    times, result = [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu_s = min(times)
    return wall, cpu_s, result


def run(quick: bool = False, sweep: bool | None = None) -> None:
    """Time due follow-ups on SQLite and PostgreSQL; print figures, the SQL ratio, agreement.

    `sweep` also times a whole reconciliation (writing every row: about a minute more at full
    size, so by default only in the quick run; `--sweep` adds it to a full one).
    """
    sweep = quick if sweep is None else sweep
    citizens = 5_000 if quick else 100_000
    start = time.perf_counter()
    rows = generate(citizens)
    note(f"generated {citizens:,} citizens, {len(rows['contacts']):,} contacts "
         f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    print(f"Due follow-ups for {citizens:,} citizens ({len(rows['contacts']):,} contacts, "
          f"two years), best of 3; target under 2 s")  # fmt: skip
    print(f"{'database':<11} {'rules (s)':>10} {'cpu (s)':>8} {'one SQL (s)':>12} {'ratio':>7} "
          f"{'wanted':>8} {'agree':>6}")  # fmt: skip
    sweeps: list[tuple[str, float, float]] = []
    for name, engine in databases():
        t0 = time.perf_counter()
        load(name, engine, rows)
        note(f"{name}: loaded in {time.perf_counter() - t0:.1f} s")
        with Session(engine) as session:
            rules_s, rules_cpu, wanted = best(lambda: compute_wanted(session, settings, NOW), 3)
            query = text(one_query(engine.dialect.name))
            sql_s, _, found = best(lambda q=query: session.execute(q, {"today": TODAY}).all(), 3)  # type: ignore[misc]
        mine = {(w.rule, w.citizen_id, w.due_on) for w in wanted if w.rule in SQL_RULES}
        theirs = {(r[0], r[1], r[2] if isinstance(r[2], date) else date.fromisoformat(r[2]))
                  for r in found}  # fmt: skip
        agree = "yes" if mine == theirs else f"no ({len(mine ^ theirs)})"
        verdict = "ok" if rules_s < 2 else "OVER TARGET"
        ratio = rules_s / sql_s
        print(f"{name:<11} {rules_s:>10.3f} {rules_cpu:>8.3f} {sql_s:>12.3f} {ratio:>6.1f}x "
              f"{len(wanted):>8,} {agree:>6}  {verdict}")  # fmt: skip
        if sweep:
            sweeps.append((name, *_refresh_times(engine, settings)))
    if sweeps:
        print("A sweep's reconciliation (rules + writing the rows), in one transaction:")
    for name, first, steady in sweeps:
        print(f"  {name:<11} first {first:.2f} s (inserts every row), then {steady:.2f} s")
    print(f"(one SQL covers {', '.join(SQL_RULES)}; the rules column computes every rule;")
    load_avg = os.getloadavg()[0]
    print(f" cpu = this process only; load average {load_avg:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    run(quick="--quick" in sys.argv, sweep=True if "--sweep" in sys.argv else None)
