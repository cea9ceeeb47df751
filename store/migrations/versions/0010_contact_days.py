"""Contacts counted per day and form, and per day and person, kept by triggers: /status and
the activity over a year read counts instead of millions of contacts.

On SQLite a migration that rebuilds `contacts` (Alembic's batch mode copies it to a new table
and drops the old one, and its triggers with it) must create these triggers again;
tests/test_contact_days.py fails if the counts stop following the contacts.

Revision ID: 0010_contact_days
Revises: 0009_replies
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_contact_days"
down_revision = "0009_replies"
branch_labels = None
depends_on = None

KEY = "occurred_on, form, with_citizen, with_company"


def _match(row: str) -> str:
    return (
        f"occurred_on = {row}.occurred_on AND form = {row}.form"
        f" AND with_citizen = ({row}.citizen_id IS NOT NULL)"
        f" AND with_company = ({row}.company_id IS NOT NULL)"
    )


def _add(row: str, table: str = "contact_days") -> str:
    return (
        f"INSERT INTO contact_days ({KEY}, n) VALUES ({row}.occurred_on, {row}.form,"
        f" {row}.citizen_id IS NOT NULL, {row}.company_id IS NOT NULL, 1)"
        f" ON CONFLICT ({KEY}) DO UPDATE SET n = {table}.n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE contact_days SET n = n - 1 WHERE {_match(row)};"
        f" DELETE FROM contact_days WHERE n <= 0 AND {_match(row)};"
    )


COLUMNS = "occurred_on, form, citizen_id, company_id"
SQLITE = (
    f"CREATE TRIGGER contact_days_insert AFTER INSERT ON contacts BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER contact_days_delete AFTER DELETE ON contacts BEGIN {_remove('OLD')} END",
    f"CREATE TRIGGER contact_days_update AFTER UPDATE OF {COLUMNS} ON contacts"
    f" BEGIN {_remove('OLD')} {_add('NEW')} END",
)


# PostgreSQL: no `UPDATE OF` column list, which would forbid ever changing those columns'
# types (the scrub after an erasure does, to drop statistics); the function skips an update
# that changes nothing counted instead.
def _same(columns: str) -> str:
    old = ", ".join(f"OLD.{c}" for c in columns.split(", "))
    new = ", ".join(f"NEW.{c}" for c in columns.split(", "))
    return f"TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new})"


POSTGRESQL = (
    "CREATE FUNCTION contact_days_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF {_same(COLUMNS)} THEN RETURN NULL; END IF;"
    f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove('OLD')} END IF;"
    f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW')} END IF;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER contact_days_count AFTER INSERT OR DELETE OR UPDATE"
    " ON contacts FOR EACH ROW EXECUTE FUNCTION contact_days_count()",
)
# Per day and person: all contacts, those with a company, and minutes (none counts as 0).
STAFF_KEY = "occurred_on, staff_id"


def _staff_match(row: str) -> str:
    return f"occurred_on = {row}.occurred_on AND staff_id = {row}.staff_id"


def _company(row: str) -> str:
    return f"(CASE WHEN {row}.company_id IS NULL THEN 0 ELSE 1 END)"


def _staff_add(row: str) -> str:
    return (
        f"INSERT INTO staff_days ({STAFF_KEY}, contacts, company_contacts, minutes)"
        f" VALUES ({row}.occurred_on, {row}.staff_id, 1, {_company(row)},"
        f" coalesce({row}.minutes, 0)) ON CONFLICT ({STAFF_KEY}) DO UPDATE SET"
        " contacts = staff_days.contacts + 1,"
        " company_contacts = staff_days.company_contacts + excluded.company_contacts,"
        " minutes = staff_days.minutes + excluded.minutes;"
    )


def _staff_remove(row: str) -> str:
    return (
        f"UPDATE staff_days SET contacts = contacts - 1,"
        f" company_contacts = company_contacts - {_company(row)},"
        f" minutes = minutes - coalesce({row}.minutes, 0) WHERE {_staff_match(row)};"
        f" DELETE FROM staff_days WHERE contacts <= 0 AND {_staff_match(row)};"
    )


STAFF_COLUMNS = "occurred_on, staff_id, company_id, minutes"
SQLITE_STAFF = (
    f"CREATE TRIGGER staff_days_insert AFTER INSERT ON contacts BEGIN {_staff_add('NEW')} END",
    f"CREATE TRIGGER staff_days_delete AFTER DELETE ON contacts BEGIN {_staff_remove('OLD')} END",
    f"CREATE TRIGGER staff_days_update AFTER UPDATE OF {STAFF_COLUMNS} ON contacts"
    f" BEGIN {_staff_remove('OLD')} {_staff_add('NEW')} END",
)
POSTGRESQL_STAFF = (
    "CREATE FUNCTION staff_days_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF {_same(STAFF_COLUMNS)} THEN RETURN NULL; END IF;"
    f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {_staff_remove('OLD')} END IF;"
    f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_staff_add('NEW')} END IF;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER staff_days_count AFTER INSERT OR DELETE OR UPDATE"
    " ON contacts FOR EACH ROW EXECUTE FUNCTION staff_days_count()",
)
STAFF_FILL = (
    f"INSERT INTO staff_days ({STAFF_KEY}, contacts, company_contacts, minutes)"
    " SELECT occurred_on, staff_id, count(*), count(company_id), coalesce(sum(minutes), 0)"
    " FROM contacts GROUP BY occurred_on, staff_id"
)
FILL = (
    f"INSERT INTO contact_days ({KEY}, n)"
    " SELECT occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL, count(*)"
    " FROM contacts GROUP BY occurred_on, form, citizen_id IS NOT NULL, company_id IS NOT NULL"
)


def upgrade() -> None:
    op.create_table(
        "contact_days",
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("form", sa.String(24), nullable=False),
        sa.Column("with_citizen", sa.Boolean(), nullable=False),
        sa.Column("with_company", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "occurred_on", "form", "with_citizen", "with_company", name="pk_contact_days"
        ),
    )
    op.create_table(
        "staff_days",
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("company_contacts", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("occurred_on", "staff_id", name="pk_staff_days"),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    statements = (POSTGRESQL + POSTGRESQL_STAFF) if postgresql else (SQLITE + SQLITE_STAFF)
    for statement in statements:
        op.execute(statement)
    op.execute(FILL)
    op.execute(STAFF_FILL)


def downgrade() -> None:
    for table in ("contact_days", "staff_days"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_count ON contacts")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_count()")
        else:
            for name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
        op.drop_table(table)
