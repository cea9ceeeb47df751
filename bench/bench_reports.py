"""Every report over 100,000 citizens and 5,000,000 contacts, on SQLite and PostgreSQL.

Each report is timed through the whole chat path (`Rampe.handle`); /status and /jobrate are
printed beside the same figures computed by one hand-written SQL query (the ratio shows what
our layers cost) and beside the report called alone, without the chat (`report ms`, and its
ratio to the hand query), and every `/rapport <navn> år` in the chat against the same target.
Target: under 1 s each. `--quick` uses 2,000 citizens and 100,000 contacts; `--keep` keeps the
loaded databases for the next run (loading 5,000,000 contacts takes minutes), `--only status`
times one report (see `python -m bench --help`).
The data is bulk-loaded (Core executemany on SQLite, COPY on PostgreSQL), then ANALYZEd.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Engine, insert, text

from bench.common import (
    Database,
    analyze,
    kept_database,
    mark_loaded,
    note,
    postgres_database,
    sqlite_database,
)
from bot.app import Rampe
from bot.core import Inbound, Platform
from kernel.clock import FixedClock
from kernel.settings import Settings
from kernel.vocabulary import Role
from reports.catalogue import SHOWN_NAMES, report_name
from reports.jobrate import jobrate_report, rules_from
from reports.periods import unit_period
from reports.scope import ReportScope, default_scope
from reports.status import status_report
from store.contact_days import rebuild as rebuild_contact_days
from store.models import (
    Citizen,
    Company,
    Contact,
    FollowUp,
    Job,
    Placement,
    Staff,
    StaffIdentity,
    Team,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = NOW.date()
FIRST = date(2023, 1, 2)
FORMS = ["meeting", "phone", "sms", "email", "video", "home_visit", "company_visit", "walk"]
OUTCOMES = [
    "job",
    "flex_job",
    "wage_subsidy",
    "small_job",
    "education",
    "disability_pension",
    "unemployed",
    "sick_leave",
    "moved",
    "transferred",
]
TARGET_MS = 1000.0


# --- Data -------------------------------------------------------------------------------------


def _day_texts() -> list[str]:
    return [(FIRST + timedelta(days=i)).isoformat() for i in range((TODAY - FIRST).days + 1)]


def _teams_and_staff(conn: Any, n_teams: int, n_staff: int) -> dict[int, int]:
    """Teams, an admin (id 1), a team lead of team 1 (id 2) and contact persons; id -> team."""
    conn.execute(
        insert(Team),
        [
            {"id": i, "name": f"Team {i}", "shares_caseload": False, "created_at": NOW}
            for i in range(1, n_teams + 1)
        ],
    )
    team_of = {i: 1 + i % n_teams for i in range(3, n_staff + 3)}
    rows = [
        {
            "id": i,
            "display_name": f"Kontakt {i}",
            "name_folded": f"kontakt {i}",
            "role": Role.CONTACT,
            "team_id": team,
            "language": "da",
            "active": True,
            "created_at": NOW,
        }
        for i, team in team_of.items()
    ]
    for i, name, role, team in ((1, "admin", Role.ADMIN, None), (2, "lead", Role.LEAD, 1)):
        rows.append(
            {
                "id": i,
                "display_name": name.title(),
                "name_folded": name,
                "role": role,
                "team_id": team,
                "language": "da",
                "active": True,
                "created_at": NOW,
            }
        )
    conn.execute(insert(Staff), rows)
    conn.execute(
        insert(StaffIdentity),
        [
            {
                "staff_id": i,
                "platform": "console",
                "workspace": "",
                "external_id": name,
                "address": None,
                "created_at": NOW,
            }
            for i, name in ((1, "admin"), (2, "lead"))
        ],
    )
    return team_of


def _citizens(rng: np.random.Generator, n: int, team_of: dict[int, int]) -> list[dict[str, Any]]:
    """Courses referred since 2023: 85% started, most of those ended with an outcome."""
    last = (TODAY - FIRST).days
    owners = list(team_of)
    days = _day_texts()
    rows = []
    for i in range(n):
        referred = int(rng.integers(0, last - 14))
        started = min(referred + int(rng.integers(3, 30)), last) if rng.random() < 0.85 else None
        ended = None
        if started is not None and rng.random() < 0.8:
            ended = started + int(rng.integers(45, 700))
            ended = ended if ended < last else None
        owner = owners[int(rng.integers(0, len(owners)))]
        rows.append(
            {
                "id": i + 1,
                "handle": f"B-{i + 1:06d}",
                "full_name": f"Borger {i + 1}",
                "name_folded": f"borger {i + 1}",
                "municipality": ("Silkeborg", "Norddjurs")[i % 2],
                "owner_id": owner,
                "team_id": team_of[owner],
                "status": "ended" if ended else ("active" if started is not None else "referred"),
                "referred_on": date.fromisoformat(days[referred]),
                "started_on": date.fromisoformat(days[started]) if started is not None else None,
                "ended_on": date.fromisoformat(days[ended]) if ended else None,
                "outcome": str(rng.choice(OUTCOMES)) if ended else None,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    return rows


def _courses(
    conn: Any, rng: np.random.Generator, people: list[dict[str, Any]], companies: int
) -> None:
    started = [p for p in people if p["started_on"] is not None]
    conn.execute(
        insert(Placement),
        [
            {
                "citizen_id": p["id"],
                "company_id": 1 + p["id"] % companies,
                "start_on": p["started_on"] + timedelta(days=30),
                "status": "ended",
                "ended_on": p["started_on"] + timedelta(days=86),
                "end_reason": "ended",
                "staff_id": p["owner_id"],
                "created_at": NOW,
            }
            for p in started[::3]
        ],
    )
    conn.execute(
        insert(Job),
        [
            {
                "citizen_id": p["id"],
                "company_id": 1 + p["id"] % companies,
                "kind": "flex",
                "start_on": p["ended_on"] - timedelta(days=int(rng.integers(10, 400))),
                "ended_on": None,
                "staff_id": p["owner_id"],
                "created_at": NOW,
            }
            for p in people
            if p["outcome"] in OUTCOMES[:4]
        ],
    )
    conn.execute(
        insert(FollowUp),
        [
            {
                "key": f"b{i}",
                "rule": "bench",
                "citizen_id": p["id"],
                "staff_id": p["owner_id"],
                "due_at": NOW + timedelta(days=int(rng.integers(-30, 30))),
                "state": ("due", "done")[i % 2],
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i, p in enumerate(people[::5])
        ],
    )


def load(engine: Engine, citizens: int, contacts: int, seed: int = 7) -> None:
    """Staff, teams, companies, citizens, praktik, jobs, follow-ups and contacts, in bulk."""
    rng = np.random.default_rng(seed)
    companies = max(10, citizens // 50)
    with engine.begin() as conn:
        team_of = _teams_and_staff(conn, max(2, citizens // 2000), max(4, citizens // 200))
        conn.execute(
            insert(Company),
            [
                {
                    "id": i,
                    "name": f"Firma {i}",
                    "name_folded": f"firma {i}",
                    "owner_id": 3,
                    "created_at": NOW,
                }
                for i in range(1, companies + 1)
            ],
        )
        people = _citizens(rng, citizens, team_of)
        conn.execute(insert(Citizen), people)
        _courses(conn, rng, people, companies)
    _load_contacts(engine, rng, contacts, people, companies, list(team_of))
    analyze(engine)


def _contact_rows(
    rng: np.random.Generator,
    n: int,
    people: list[dict[str, Any]],
    companies: int,
    staff_ids: list[int],
) -> Iterator[tuple[Any, ...]]:
    """Contacts spread over each course; one in ten is with a company only."""
    first = FIRST.toordinal()
    ref = np.array([p["referred_on"].toordinal() - first for p in people])
    stop = np.array([(p["ended_on"] or TODAY).toordinal() - first for p in people])
    who = rng.integers(0, len(people), n)
    day = (ref[who] + rng.random(n) * (stop[who] - ref[who] + 1)).astype(int)
    days = _day_texts()
    columns = zip(
        who.tolist(),
        np.minimum(day, len(days) - 1).tolist(),
        rng.integers(0, len(FORMS), n).tolist(),
        rng.integers(5, 90, n).tolist(),
        (rng.random(n) < 0.1).tolist(),
        (rng.random(n) < 0.1).tolist(),
        rng.integers(1, companies + 1, n).tolist(),
        rng.choice(staff_ids, n).tolist(),
        strict=True,
    )
    created = "2026-11-23 08:00:00"
    for w, d, form, minutes, company_only, with_company, company, staff in columns:
        if company_only:
            yield (None, company, staff, "phone", days[d], minutes, created)
        else:
            owner = people[w]["owner_id"]
            yield (
                w + 1,
                company if with_company else None,
                owner,
                FORMS[form],
                days[d],
                minutes,
                created,
            )


def _load_contacts(
    engine: Engine,
    rng: np.random.Generator,
    n: int,
    people: list[dict[str, Any]],
    companies: int,
    staff_ids: list[int],
) -> None:
    """COPY on PostgreSQL, executemany in batches on SQLite; indexes are built afterwards."""
    indexes = list(Contact.__table__.indexes)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    rows = _contact_rows(rng, n, people, companies, staff_ids)
    columns = "citizen_id, company_id, staff_id, form, occurred_on, minutes, created_at, platform"
    raw = engine.raw_connection()
    try:
        cursor: Any = raw.cursor()
        if engine.dialect.name == "postgresql":
            # The per-day counts are made once afterwards, not by a trigger call per row.
            cursor.execute("ALTER TABLE contacts DISABLE TRIGGER USER")
            with cursor.copy(f"COPY contacts ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, "bench"))
            cursor.execute("ALTER TABLE contacts ENABLE TRIGGER USER")
        else:
            sql = f"INSERT INTO contacts ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench')"
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB while loading
            cursor.execute("BEGIN")
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        # Sorting 5M keys per index: give the build memory instead of spilling to disk.
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
        else:
            conn.execute(text("PRAGMA cache_size=-524288"))
        for index in indexes:
            index.create(conn)
        if engine.dialect.name == "postgresql":
            rebuild_contact_days(conn)


# --- Hand-written SQL ---------------------------------------------------------------------------

HAND_STATUS = """
SELECT 'contacts', count(*) FROM contacts
 WHERE occurred_on BETWEEN :start AND :end AND citizen_id IS NOT NULL AND company_id IS NULL
   AND {contact}
UNION ALL SELECT 'company', count(*) FROM contacts
 WHERE occurred_on BETWEEN :start AND :end AND company_id IS NOT NULL AND {contact}
UNION ALL SELECT 'referrals', count(*) FROM citizens
 WHERE referred_on BETWEEN :start AND :end AND {citizen}
UNION ALL SELECT 'starts', count(*) FROM citizens
 WHERE started_on BETWEEN :start AND :end AND {citizen}
UNION ALL SELECT 'ended', count(*) FROM citizens
 WHERE ended_on BETWEEN :start AND :end AND {citizen}
UNION ALL SELECT 'praktik', count(*) FROM placements
 WHERE start_on BETWEEN :start AND :end AND {contact}
UNION ALL SELECT 'jobs', count(*) FROM jobs WHERE start_on BETWEEN :start AND :end AND {contact}
"""
# The two rates /jobrate prints: in a counted outcome, and lasting (a job held six months,
# clipped to the course's end, or a pension). Six months on is clamped to the month's end.
HAND_JOBRATE = """
SELECT count(*),
       sum(CASE WHEN outcome IN ('job', 'flex_job', 'wage_subsidy', 'small_job') THEN 1 ELSE 0 END),
       sum(CASE WHEN outcome IN ('disability_pension', 'senior_pension') OR EXISTS (
             SELECT 1 FROM jobs j WHERE j.citizen_id = c.id AND {six_months} <=
               CASE WHEN j.ended_on < c.ended_on THEN j.ended_on ELSE c.ended_on END)
           THEN 1 ELSE 0 END)
  FROM citizens c WHERE ended_on BETWEEN :start AND :end AND {citizen}
"""
SIX_MONTHS = {
    "postgresql": "j.start_on + interval '6 months'",
    "sqlite": "min(date(j.start_on, 'start of month', '+6 months',"
              " '+' || (strftime('%d', j.start_on) - 1) || ' days'),"
              " date(j.start_on, 'start of month', '+7 months', '-1 day'))",
}  # fmt: skip
TEAM = {
    "citizen": "team_id = 1",
    "contact": "citizen_id IN (SELECT id FROM citizens WHERE team_id = 1)",
}
EVERYONE = {"citizen": "1 = 1", "contact": "1 = 1"}


def hand_status(engine: Engine, start: date, end: date, where: dict[str, str]) -> dict[str, int]:
    """The status counts of one period by one hand-written statement."""
    with engine.connect() as conn:
        rows = conn.execute(text(HAND_STATUS.format(**where)), {"start": start, "end": end})
        return {str(k): int(v) for k, v in rows}


def hand_jobrate(
    engine: Engine, start: date, end: date, where: dict[str, str]
) -> tuple[int, int, int]:
    """The job rate's and the lasting-job rate's numerators and their denominator, by one
    hand-written statement."""
    sql = HAND_JOBRATE.format(six_months=SIX_MONTHS[engine.dialect.name], **where)
    with engine.connect() as conn:
        den, num, lasting = conn.execute(text(sql), {"start": start, "end": end}).one()
    return int(num or 0), int(lasting or 0), int(den)


# --- Timing -------------------------------------------------------------------------------------


def median_ms(action: Callable[[], object], runs: int) -> float:
    return timed(action, runs)[0]


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of this process per call.

    On a shared machine the wall clock includes waiting for a core; the CPU figure does not
    (on SQLite it is the whole cost, the database runs in this process; on PostgreSQL the
    server's work is not in it).
    """
    action()  # warm caches and the name directory once
    times, cpu = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return statistics.median(times), statistics.median(cpu)


def run(
    quick: bool = False,
    keep: bool = False,
    cache: str | None = None,
    only: list[str] | None = None,
    databases: list[str] | None = None,
    runs: int | None = None,
    seed: int = 7,
) -> None:
    """Load, time each report through the chat path and by hand-written SQL, print ratios.

    `keep`: load into databases that outlive the run and reuse them when they already hold
    this size and seed (see `bench.common.kept_database`). `only`: time only the reports named
    (`status` is /status and `/rapport status år`; Danish or English report names).
    """
    citizens, contacts = (2_000, 100_000) if quick else (100_000, 5_000_000)
    runs = runs or (3 if quick else 5)
    wanted = _wanted(only)
    print(f"{citizens:,} citizens, {contacts:,} contacts; median of {runs} runs; target < 1 s")
    print(f"{'database':<11}{'report':<26}{'ours ms':>9}{'cpu ms':>9}{'report ms':>11}"
          f"{'hand SQL ms':>13}{'ratio':>7}{'report ratio':>14}  ok")  # fmt: skip
    names = tuple(databases or ("sqlite", "postgresql"))
    key = f"reports_{citizens}_{contacts}_s{seed}"
    for name in names:
        opener = kept_database(name, key, cache) if keep else _fresh(name)
        with opener as db:
            if db is None:
                continue
            if not db.loaded:
                started = time.perf_counter()
                load(db.engine, citizens, contacts, seed)
                if keep:
                    mark_loaded(db)
                note(f"{db.name}: loaded in {time.perf_counter() - started:.0f} s")
            _time_reports(db.name, db.engine, runs, wanted)


def _fresh(name: str) -> AbstractContextManager[Database | None]:
    return sqlite_database() if name == "sqlite" else postgres_database()


def _wanted(only: list[str] | None) -> set[str] | None:
    """The English report names asked for (None: all); refuses a name that is no report."""
    if not only:
        return None
    out = set()
    for word in only:
        name = report_name(word.removeprefix("/"))
        if name is None:
            raise SystemExit(f"no such report: {word}")
        out.add(name)
    return out


def _time_reports(name: str, engine: Engine, runs: int, wanted: set[str] | None = None) -> None:
    settings = Settings(_env_file=None, RAMPE_DATABASE_URL=str(engine.url))  # type: ignore[call-arg]
    app = Rampe(settings, engine=engine, clock=FixedClock(NOW), upgrade=False)
    # /status counts this period and the one before; the hand query counts both at once.
    this_monday = TODAY - timedelta(days=TODAY.weekday())
    week = (this_monday - timedelta(days=7), this_monday + timedelta(days=6))
    years = (date(TODAY.year - 1, 1, 1), date(TODAY.year, 12, 31))
    year = (date(TODAY.year, 1, 1), date(TODAY.year, 12, 31))
    cases: list[tuple[str, str, Callable[[], object]]] = [
        ("/status", "admin", partial(hand_status, engine, *week, EVERYONE)),
        ("/status år", "admin", partial(hand_status, engine, *years, EVERYONE)),
        ("/status", "lead", partial(hand_status, engine, *week, TEAM)),
        ("/jobrate", "admin", partial(hand_jobrate, engine, *year, EVERYONE)),
        ("/jobrate", "lead", partial(hand_jobrate, engine, *year, TEAM)),
    ]
    for command, user, hand in cases:
        if wanted is not None and command.split()[0][1:] not in wanted:
            continue
        reply = app.handle(Inbound(Platform.CONSOLE, user, command))
        assert "Jobrate" in reply.summary or "Status" in reply.summary, reply.summary
        ours, cpu = timed(partial(app.handle, Inbound(Platform.CONSOLE, user, command)), runs)
        alone = median_ms(report_alone(app, user, command), runs)
        baseline = median_ms(hand, runs)
        ok = "yes" if ours < TARGET_MS else "NO"
        label = f"{command} ({user})"
        print(f"{name:<11}{label:<26}{ours:>9.1f}{cpu:>9.1f}{alone:>11.1f}{baseline:>13.1f}"
              f"{ours / baseline:>7.1f}{alone / baseline:>14.1f}  {ok}", flush=True)  # fmt: skip
    if wanted is None or wanted & {"jobrate", "status"}:
        _check_same_figures(app, engine)
    for report, english in SHOWN_NAMES:
        if wanted is not None and english not in wanted:
            continue
        command = f"/rapport {report} år"
        reply = app.handle(Inbound(Platform.CONSOLE, "admin", command))
        assert len(reply.sections) >= 2 and not reply.files, reply.summary
        ours, cpu = timed(partial(app.handle, Inbound(Platform.CONSOLE, "admin", command)), runs)
        ok = "yes" if ours < TARGET_MS else "NO"
        print(f"{name:<11}{command:<26}{ours:>9.1f}{cpu:>9.1f}{'':>11}{'':>13}{'':>7}{'':>14}"
              f"  {ok}", flush=True)  # fmt: skip


STAFF_IDS = {"admin": 1, "lead": 2}  # as `_teams_and_staff` makes them


def report_alone(app: Rampe, user: str, command: str) -> Callable[[], object]:
    """The report behind `/status [år]` or `/jobrate` for `user`, called without the chat: the
    same scope and period, and no parsing, staff look-up by platform id, audit or reply."""

    def run() -> object:
        with app.unit_of_work() as session:
            viewer = session.get(Staff, STAFF_IDS[user])
            assert viewer is not None
            scope = default_scope(session, viewer)
            if command.startswith("/jobrate"):
                team = scope.name if scope.kind == "team" else None
                rules = rules_from(app.settings, None, team)
                return jobrate_report(session, scope, unit_period("year", TODAY), rules, TODAY)
            unit = "year" if command.endswith(" år") else "week"
            return status_report(session, scope, unit_period(unit, TODAY), NOW)

    return run


def _check_same_figures(app: Rampe, engine: Engine) -> None:
    """Our figures equal the hand-written SQL's: both rates /jobrate prints in the chat, and
    this year's status counts (everyone's, and team 1's citizens')."""
    year_ = (date(TODAY.year, 1, 1), date(TODAY.year, 12, 31))
    for user, where in (("admin", EVERYONE), ("lead", TEAM)):
        num, lasting, den = hand_jobrate(engine, *year_, where)
        reply = app.handle(Inbound(Platform.CONSOLE, user, "/jobrate")).as_text()
        assert f"Jobrate     {num} af {den} =" in reply, (num, den, reply)
        assert f"Varigt job  {lasting} af {den} =" in reply, (lasting, den, reply)
    year = unit_period("year", TODAY)
    names = {"contacts": "contacts", "company": "company_contacts", "referrals": "referrals",
             "starts": "starts", "ended": "ended", "praktik": "praktik_starts",
             "jobs": "job_starts"}  # fmt: skip
    for scope, where in ((ReportScope("all"), EVERYONE), (ReportScope("team", team_id=1), TEAM)):
        hand = hand_status(engine, year.start, year.end, where)
        with app.unit_of_work() as session:
            ours = status_report(session, scope, year, NOW)
        if scope.kind == "team":  # the hand query has no company contacts without a citizen
            hand.pop("company")
        assert {k: ours.value(m) for k, m in names.items() if k in hand} == hand, (scope, hand)


if __name__ == "__main__":
    run(quick="--quick" in sys.argv, keep="--keep" in sys.argv)
