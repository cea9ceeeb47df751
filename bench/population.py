"""Fictional people and companies in bulk, for benchmarks: rows ready for `bulk_insert`.

Names follow a rough Zipf curve over common Danish names, with a long tail of compound
surnames (Lindegaard, Østerholm, ...), so the name index has the shape of a real population.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import text

from bench.common import BENCH_NOW, Database, bulk_insert
from bot.demo_names import FIRST, LAST
from kernel.fold import fold
from store.contact_days import rebuild as rebuild_contact_days
from store.handles import numbered_handle
from store.models import Citizen, Company, Contact, Staff, StaffIdentity, Team

PREFIXES = (
    "Linde", "Øster", "Vester", "Nør", "Sønder", "Bjerre", "Kirke", "Skov", "Eng", "Hede",
    "Bøge", "Ege", "Ask", "Rosen", "Mølle", "Birke", "Strand", "Holme", "Fjord", "Munk",
)  # fmt: skip
SUFFIXES = (
    "gaard", "holm", "lund", "berg", "skov", "bæk", "dal", "strup", "rup", "bjerg", "toft",
    "høj", "mark", "vang",
)  # fmt: skip
TAIL = tuple(p + s for p in PREFIXES for s in SUFFIXES)
BRANDS = ("Bilka", "Netto", "Føtex", "Rema", "Coop", "Jysk", "Elgiganten", "Bauhaus", "Silvan")
TOWNS = ("Tilst", "Viby", "Silkeborg", "Grenaa", "Randers", "Odder", "Skanderborg", "Ry")
ASKER_ID = "bench-user"  # the console user id of staff 1, the person typing in the benchmarks


@dataclass(frozen=True)
class Person:
    first: str
    middle: str
    last: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)


def _weights(n: int, offset: int) -> list[float]:
    """Zipf-like weights 1/(rank + offset): a larger offset gives a flatter curve."""
    return [1 / (rank + offset) for rank in range(n)]


FIRST_WEIGHTS = _weights(len(FIRST), 100)  # the commonest first name ~1.3% of people
LAST_WEIGHTS = _weights(len(LAST), 4)  # Nielsen ~5%, as in Denmark


def random_person(rng: random.Random) -> Person:
    """One plausible Danish name: first, sometimes a middle name, a common or tail surname."""
    last = rng.choice(TAIL) if rng.random() < 0.4 else rng.choices(LAST, LAST_WEIGHTS)[0]
    middle = rng.choices(LAST, LAST_WEIGHTS)[0] if rng.random() < 0.2 else ""
    return Person(rng.choices(FIRST, FIRST_WEIGHTS)[0], middle, last)


def caseload_people(rng: random.Random, n: int) -> list[Person]:
    """`n` people with distinct first and last names (one is a Søren), for the asker's caseload."""
    firsts = ["Søren", *rng.sample([f for f in FIRST if f != "Søren"], n - 1)]
    lasts = rng.sample([*LAST, *TAIL], n)
    return [Person(f, "", last) for f, last in zip(firsts, lasts, strict=True)]


def typo(rng: random.Random, word: str) -> str:
    """`word` with one slip of the finger inside it: a letter dropped, doubled or two swapped.

    Words under five letters are left alone: a slip in `kim` makes another name.
    """
    if len(word) < 5:
        return word
    i = rng.randrange(2, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def load_staff(db: Database, n_staff: int, team_size: int) -> None:
    """Teams of `team_size` (caseloads not shared) and `n_staff` contact persons; staff 1 is the
    asker, known on the console as ASKER_ID."""
    now = BENCH_NOW
    n_teams = (n_staff + team_size - 1) // team_size
    bulk_insert(
        db,
        Team,
        ({"id": t, "name": f"Team {t}", "shares_caseload": False, "created_at": now}
         for t in range(1, n_teams + 1)),
    )  # fmt: skip
    rng = random.Random(1)
    bulk_insert(db, Staff, (_staff_row(s, rng, team_size) for s in range(1, n_staff + 1)))
    bulk_insert(
        db,
        StaffIdentity,
        [{"staff_id": 1, "platform": "console", "workspace": "", "external_id": ASKER_ID,
          "address": None, "created_at": now}],
    )  # fmt: skip


def _staff_row(staff_id: int, rng: random.Random, team_size: int) -> dict[str, Any]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return {
        "id": staff_id,
        "display_name": name,
        "name_folded": fold(name),
        "role": "contact",
        "team_id": (staff_id - 1) // team_size + 1,
        "language": "da",
        "active": True,
        "created_at": BENCH_NOW,
    }


def citizen_rows(n: int, per_staff: int, team_size: int, seed: int) -> Iterator[dict[str, Any]]:
    """`n` citizens, `per_staff` to each contact person in id order; staff 1 gets
    `caseload_people(Random(seed), per_staff)`. About one in ten has ended."""
    rng = random.Random(seed)
    own = caseload_people(random.Random(seed), per_staff)
    for cid in range(1, n + 1):
        person = own[cid - 1] if cid <= per_staff else random_person(rng)
        folded = fold(person.name)
        owner = (cid - 1) // per_staff + 1
        ended = cid > per_staff and rng.random() < 0.1
        yield {
            "id": cid,
            "handle": numbered_handle(cid),
            "full_name": person.name,
            "name_folded": folded,
            "municipality": "Silkeborg" if owner % 2 else "Norddjurs",
            "owner_id": owner,
            "team_id": (owner - 1) // team_size + 1,
            "status": "ended" if ended else "active",
            "referred_on": BENCH_NOW.date() - timedelta(days=rng.randrange(30, 700)),
            "created_at": BENCH_NOW,
            "updated_at": BENCH_NOW,
        }


def load_citizens(db: Database, n: int, per_staff: int, team_size: int, seed: int = 2) -> None:
    """Bulk-load `n` citizens (see `citizen_rows`) and bump the directory version."""
    bulk_insert(db, Citizen, citizen_rows(n, per_staff, team_size, seed))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE directory_state SET version = version + 1 WHERE id = 1"))


def load_companies(db: Database, n: int, n_staff: int) -> list[str]:
    """`n` companies named like `Bilka Tilst 3`; returns their names."""
    names = [f"{BRANDS[i % len(BRANDS)]} {TOWNS[i // len(BRANDS) % len(TOWNS)]} {i + 1}"
             for i in range(n)]  # fmt: skip
    bulk_insert(
        db,
        Company,
        ({"id": i + 1, "name": name, "name_folded": fold(name), "contact_name": None,
          "contact_phone": None, "owner_id": 1 + i % n_staff, "created_at": BENCH_NOW}
         for i, name in enumerate(names)),
    )  # fmt: skip
    return names


FORMS_SQL = (
    "CASE g.k % 8 WHEN 0 THEN 'meeting' WHEN 1 THEN 'phone' WHEN 2 THEN 'phone' "
    "WHEN 3 THEN 'sms' WHEN 4 THEN 'email' WHEN 5 THEN 'video' WHEN 6 THEN 'company_visit' "
    "ELSE 'joint_meeting' END"
)


def load_contacts(db: Database, per_citizen: int, n_companies: int) -> int:
    """`per_citizen` contacts for every citizen over the last two years, generated inside the
    database (a million rows in seconds, no Python per row); one in eight names a company."""
    day = BENCH_NOW.date()
    if db.name == "postgresql":
        series = f"generate_series(0, {per_citizen - 1}) AS g(k)"
        occurred = f"DATE '{day.isoformat()}' - ((g.k * 7 + c.id) % 730)"
        created = f"TIMESTAMP '{_utc_text()}'"
        prefix = ""
    else:
        series = "g"
        occurred = f"date('{day.isoformat()}', '-' || ((g.k * 7 + c.id) % 730) || ' days')"
        created = f"'{_utc_text()}.000000'"
        prefix = f"WITH RECURSIVE g(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM g WHERE k < {per_citizen - 1}) "  # noqa: E501
    company = f"CASE WHEN g.k % 8 = 6 THEN 1 + (c.id + g.k) % {n_companies} ELSE NULL END"
    sql = (
        f"{prefix}INSERT INTO contacts (citizen_id, company_id, staff_id, form, occurred_on, "
        f"minutes, note, platform, created_at) "
        f"SELECT c.id, {company}, c.owner_id, {FORMS_SQL}, {occurred}, 15 + (g.k % 4) * 15, "
        f"NULL, 'console', {created} FROM citizens c, {series}"
    )
    indexes = list(Contact.__table__.indexes)  # type: ignore[attr-defined]
    with db.engine.begin() as conn:
        # Building the indexes once after the load is several times faster than updating
        # them row by row; on PostgreSQL the FK triggers are skipped (the rows are valid by
        # construction). The schema is the same afterwards.
        for index in indexes:
            index.drop(conn)
        if db.name == "postgresql":
            conn.execute(text("ALTER TABLE contacts DISABLE TRIGGER ALL"))
        count = conn.execute(text(sql)).rowcount
        if db.name == "postgresql":
            conn.execute(text("ALTER TABLE contacts ENABLE TRIGGER ALL"))
            rebuild_contact_days(conn)  # its triggers were off too
        for index in indexes:
            index.create(conn)
    if db.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE contacts"))
    return int(count)


def _utc_text() -> str:
    return BENCH_NOW.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
