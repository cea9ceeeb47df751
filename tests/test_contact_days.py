"""The contact counts per day are kept by triggers: they always equal counting the contacts."""

from __future__ import annotations

from datetime import date as D

from sqlalchemy import text

from bot.app import Rampe
from store.contact_days import rebuild
from store.erasure import erase_citizen
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
    return counted, kept


def test_counts_follow_inserts_changes_and_deletions(app: Rampe) -> None:
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        where = company(s, anna)
        mette = citizen(s, anna, "Mette Hansen", D(2026, 1, 5), D(2026, 1, 6))
        jonas = citizen(s, anna, "Jonas Berg", D(2026, 1, 5), D(2026, 1, 6))
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
