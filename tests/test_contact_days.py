"""The contact counts per day are kept by triggers: they always equal counting the contacts."""

from __future__ import annotations

from datetime import date as D

from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.app import Rampe
from kernel.vocabulary import Role
from reports.intensity import SUMS, citizen_sums, fetch_contacts
from reports.periods import Period, unit_period
from reports.scope import ReportScope
from store.contact_days import rebuild
from store.db import alembic_config, upgrade_schema
from store.erasure import erase_citizen
from store.models import Citizen, Company, Contact, Staff
from tests.support_reports import NOW, citizen, company, contact, staff

COUNTED = (
    "SELECT occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL, count(*)"
    " FROM contacts GROUP BY occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL"
)
KEPT = "SELECT occurred_on, form, with_citizen, with_company, n FROM contact_days"
STAFF_COUNTED = (
    "SELECT occurred_on, staff_id, count(*), count(company_id), coalesce(sum(minutes), 0)"
    " FROM contacts GROUP BY occurred_on, staff_id"
)
STAFF_KEPT = "SELECT occurred_on, staff_id, contacts, company_contacts, minutes FROM staff_days"


Count = tuple[str, str, bool, bool, int]


def _both(app: Rampe) -> tuple[list[Count], list[Count]]:
    with app.engine.connect() as conn:
        counted = sorted(
            (str(d), str(f), bool(c), bool(k), int(n))
            for d, f, c, k, n in conn.execute(text(COUNTED))
        )
        kept = sorted(
            (str(d), str(f), bool(c), bool(k), int(n)) for d, f, c, k, n in conn.execute(text(KEPT))
        )
    with app.engine.connect() as conn:  # and per day and person
        by_staff = [
            sorted(
                (str(d), int(s), int(n), int(c), int(m)) for d, s, n, c, m in conn.execute(text(q))
            )
            for q in (STAFF_COUNTED, STAFF_KEPT)
        ]
    assert by_staff[1] == by_staff[0]
    assert all(row[2] > 0 for row in by_staff[1])
    assert _months_kept(app) == _months_counted(app)
    return counted, kept


def _months_counted(app: Rampe) -> dict[tuple[str, int], tuple[int, int, int]]:
    """Per month and citizen from the contacts, counted here: contacts, with a company,
    minutes."""
    out: dict[tuple[str, int], tuple[int, int, int]] = {}
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT occurred_on, citizen_id, company_id, minutes"
                                 " FROM contacts WHERE citizen_id IS NOT NULL"))  # fmt: skip
        for day, cid, company_id, minutes in rows:
            key = (str(day)[:7] + "-01", int(cid))
            n, k, m = out.get(key, (0, 0, 0))
            out[key] = (n + 1, k + (company_id is not None), m + (minutes or 0))
    return out


def _months_kept(app: Rampe) -> dict[tuple[str, int], tuple[int, int, int]]:
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT month, citizen_id, contacts, company_contacts, minutes"
                                 " FROM citizen_months"))  # fmt: skip
        return {(str(d), int(c)): (int(n), int(k), int(m)) for d, c, n, k, m in rows}


def _two_citizens(s: Session) -> tuple[Staff, Company, Citizen, Citizen]:
    """Anna, her company, and two citizens of hers (Mette and Jonas)."""
    anna = staff(s, "anna")
    where = company(s, anna)
    mette = citizen(s, anna, "Mette Hansen", D(2026, 1, 5), D(2026, 1, 6))
    jonas = citizen(s, anna, "Jonas Berg", D(2026, 1, 5), D(2026, 1, 6))
    return anna, where, mette, jonas


def test_months_follow_contacts_moved_between_months_and_citizens(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, where, mette, jonas = _two_citizens(s)
        contact(s, anna, mette, "phone", D(2026, 1, 31), minutes=20)
        contact(s, anna, mette, "company_visit", D(2026, 2, 1), minutes=60, where=where)
        contact(s, anna, jonas, "meeting", D(2026, 2, 28), minutes=45)
        contact(s, anna, None, "phone", D(2026, 2, 2), where=where)
    assert _months_kept(app) == {
        ("2026-01-01", mette.id): (1, 0, 20),
        ("2026-02-01", mette.id): (1, 1, 60),
        ("2026-02-01", jonas.id): (1, 0, 45),
    }
    with app.engine.begin() as conn:  # raw SQL: across a month's end, to another citizen
        conn.execute(text("UPDATE contacts SET occurred_on = :d WHERE form = 'phone'"
                          " AND citizen_id IS NOT NULL"), {"d": D(2026, 2, 1)})  # fmt: skip
        conn.execute(text("UPDATE contacts SET citizen_id = :j WHERE form = 'company_visit'"),
                     {"j": jonas.id})  # fmt: skip
        conn.execute(text("UPDATE contacts SET citizen_id = :m WHERE company_id IS NOT NULL"
                          " AND citizen_id IS NULL"), {"m": mette.id})  # fmt: skip
        conn.execute(text("UPDATE contacts SET minutes = NULL WHERE form = 'meeting'"))
    kept = _months_kept(app)
    assert kept == _months_counted(app)
    assert kept == {("2026-02-01", mette.id): (2, 1, 20), ("2026-02-01", jonas.id): (2, 1, 60)}
    with app.engine.begin() as conn:
        conn.execute(text("UPDATE citizen_months SET contacts = 9"))
        rebuild(conn)
    assert _months_kept(app) == kept
    with app.unit_of_work() as s:  # erasure: the citizen's months go with the contacts
        person = s.get(type(mette), mette.id)
        assert person is not None
        erase_citizen(s, person, now=NOW, staff_id=None, platform="console", reason="test")
    assert _months_kept(app) == {("2026-02-01", jonas.id): (2, 1, 60)}


def test_counts_follow_inserts_changes_and_deletions(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, where, mette, jonas = _two_citizens(s)
        for day in (2, 2, 3):
            contact(s, anna, mette, "phone", D(2026, 3, day), minutes=15 if day == 2 else None)
        contact(s, anna, mette, "company_visit", D(2026, 3, 2), where=where)
        contact(s, anna, None, "phone", D(2026, 3, 2), where=where)
        contact(s, anna, jonas, "meeting", D(2026, 3, 4))
    counted, kept = _both(app)
    assert kept == counted
    assert ("2026-03-02", "phone", True, False, 2) in kept
    with app.engine.begin() as conn:  # raw SQL too: a changed day and form, a company added
        conn.execute(text("UPDATE contacts SET occurred_on = :d WHERE form = 'meeting'"),
                     {"d": D(2026, 3, 9)})  # fmt: skip
        conn.execute(text("UPDATE contacts SET form = 'sms' WHERE occurred_on = :d"),
                     {"d": D(2026, 3, 3)})  # fmt: skip
        conn.execute(text("UPDATE contacts SET company_id = :c WHERE form = 'sms'"),
                     {"c": where.id})  # fmt: skip
        conn.execute(text("UPDATE contacts SET minutes = 40 WHERE form = 'company_visit'"))
        conn.execute(text("DELETE FROM contacts WHERE citizen_id IS NULL"))
    counted, kept = _both(app)
    assert kept == counted
    assert all(n > 0 for *_, n in kept)  # a count that reaches nought is gone
    with app.unit_of_work() as s:  # erasure deletes the citizen's contacts by cascade
        person = s.get(type(mette), mette.id)
        assert person is not None
        erase_citizen(s, person, now=NOW, staff_id=None, platform="console", reason="test")
    counted, kept = _both(app)
    assert kept == counted == [("2026-03-09", "meeting", True, False, 1)]


def test_rebuild_counts_afresh(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        mette = citizen(s, anna, "Mette Hansen", D(2026, 1, 5), D(2026, 1, 6))
        contact(s, anna, mette, "phone", D(2026, 3, 2))
    with app.engine.begin() as conn:
        conn.execute(text("UPDATE contact_days SET n = 7"))
        rebuild(conn)
    counted, kept = _both(app)
    assert kept == counted == [("2026-03-02", "phone", True, False, 1)]


def test_sums_per_citizen_from_months_and_edge_days_equal_the_contacts(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna", Role.ADMIN)
        bo = staff(s, "bo")
        where = company(s, anna)
        mette = citizen(s, anna, "Mette Hansen", D(2025, 12, 1), D(2025, 12, 2))
        jonas = citizen(s, bo, "Jonas Berg", D(2025, 12, 1), D(2025, 12, 2))
        for n, day in enumerate(
            (
                D(2025, 12, 31),
                D(2026, 1, 1),
                D(2026, 1, 14),
                D(2026, 1, 15),
                D(2026, 2, 28),
                D(2026, 3, 1),
                D(2026, 3, 10),
                D(2026, 3, 11),
            )
        ):
            contact(s, anna, mette, "phone", day, minutes=10 + n)
            contact(s, bo, jonas, "company_visit", day, minutes=n or None, where=where)
            contact(s, anna, None, "email", day, where=where)  # fmt: skip
    periods = [Period("range", D(2026, 1, 15), D(2026, 3, 10)), unit_period("year", D(2026, 1, 1)),
               Period("range", D(2026, 1, 1), D(2026, 2, 28)), unit_period("week", D(2026, 3, 11)),
               Period("range", D(2025, 12, 31), D(2026, 1, 1))]  # fmt: skip
    with app.unit_of_work() as s:
        for period in periods:
            for scope in (ReportScope("all"), ReportScope("own", person_id=bo.id)):
                parts = citizen_sums(s, scope, period).subquery()
                summed = select(parts.c.citizen_id, *(func.sum(parts.c[k]) for k in SUMS[1:]))
                got = fetch_contacts(s, scope, period, frozenset({"minutes", "served"}))
                rows = s.execute(select(Contact)).scalars().all()
                expected: dict[object, list[int]] = {}
                for c in rows:
                    who = c.citizen_id
                    mine = scope.kind == "all" or c.staff_id == bo.id
                    if not period.contains(c.occurred_on) or (who is None and not mine):
                        continue
                    if who is not None and scope.kind == "own" and who != jonas.id:
                        continue
                    sums = expected.setdefault(who, [0, 0, 0])
                    sums[0 if c.company_id is None else 1] += 1
                    sums[2] += c.minutes or 0
                alone = expected.pop(None, [0, 0, 0])
                found = s.execute(summed.group_by(parts.c.citizen_id)).all()
                assert {cid: [int(n) for n in ns] for cid, *ns in found} == expected, period
                assert got.minutes == sum(n[2] for n in expected.values()), period
                assert (got.minutes_alone, got.served) == (alone[2], set(expected)), period


def test_the_migration_counts_the_contacts_already_there(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna, where, mette, jonas = _two_citizens(s)
        contact(s, anna, mette, "phone", D(2026, 1, 31), minutes=20)
        contact(s, anna, jonas, "company_visit", D(2026, 2, 1), minutes=60, where=where)
        contact(s, anna, None, "email", D(2026, 2, 2), where=where)
    command.downgrade(alembic_config(app.engine), "0010_contact_days")
    try:
        with app.engine.begin() as conn:  # logged while 0010 was the newest: no month counts
            conn.execute(text("UPDATE contacts SET minutes = 25 WHERE form = 'phone'"))
    finally:
        upgrade_schema(app.engine)
    assert (
        _months_kept(app)
        == _months_counted(app)
        == {
            ("2026-01-01", mette.id): (1, 0, 25),
            ("2026-02-01", jonas.id): (1, 1, 60),
        }
    )
