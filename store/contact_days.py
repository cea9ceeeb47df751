"""Contacts counted per day, form, with a citizen or not, with a company or not; per day and
person; and per citizen and month (all contacts, those with a company, minutes).

The counts are kept by triggers on `contacts` (created by migrations 0010_contact_days and
0011_citizen_months), so they
are correct by construction: every way a contact is written, changed or deleted passes through
them. `rebuild` counts them afresh from the contacts, for a bulk load that bypassed the
triggers on purpose (PostgreSQL `DISABLE TRIGGER ALL`).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

REBUILD = (
    "DELETE FROM staff_days",
    "INSERT INTO staff_days (occurred_on, staff_id, contacts, company_contacts, minutes)"
    " SELECT occurred_on, staff_id, count(*), count(company_id), coalesce(sum(minutes), 0)"
    " FROM contacts GROUP BY occurred_on, staff_id",
    "DELETE FROM contact_days",
    "INSERT INTO contact_days (occurred_on, form, with_citizen, with_company, n)"
    " SELECT occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL, count(*)"
    " FROM contacts GROUP BY occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL",
)


MONTH = {
    "sqlite": "date(occurred_on, 'start of month')",
    "postgresql": "CAST(date_trunc('month', occurred_on) AS DATE)",
}


def rebuild(conn: Connection) -> None:
    """Count every contact again (inside the caller's transaction)."""
    month = MONTH[conn.dialect.name]
    months = (
        "DELETE FROM citizen_months",
        "INSERT INTO citizen_months (month, citizen_id, contacts, company_contacts, minutes)"
        f" SELECT {month}, citizen_id, count(*), count(company_id), coalesce(sum(minutes), 0)"
        f" FROM contacts WHERE citizen_id IS NOT NULL GROUP BY {month}, citizen_id",
    )
    for statement in (*REBUILD, *months):
        conn.execute(text(statement))
