"""Contacts counted per citizen and month, kept by triggers: the intensity and cost reports sum
a citizen's months instead of every contact (1.9 million in a year at full size). And an index
that answers employer contacts per person from the counts per day and person.

Like 0010_contact_days: on SQLite a migration that rebuilds `contacts` must create these
triggers again; tests/test_contact_days.py fails if the counts stop following the contacts.

Revision ID: 0011_citizen_months
Revises: 0010_contact_days
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_citizen_months"
down_revision = "0010_contact_days"
branch_labels = None
depends_on = None

KEY = "month, citizen_id"
COLUMNS = "occurred_on, citizen_id, company_id, minutes"  # what the counts depend on
MONTH = {
    "sqlite": "date({}, 'start of month')",
    "postgresql": "CAST(date_trunc('month', {}) AS DATE)",
}


def _month(dialect: str, row: str) -> str:
    return MONTH[dialect].format(f"{row}.occurred_on")


def _company(row: str) -> str:
    return f"(CASE WHEN {row}.company_id IS NULL THEN 0 ELSE 1 END)"


def _add(dialect: str, row: str) -> str:
    return (
        f"INSERT INTO citizen_months ({KEY}, contacts, company_contacts, minutes)"
        f" SELECT {_month(dialect, row)}, {row}.citizen_id, 1, {_company(row)},"
        f" coalesce({row}.minutes, 0) WHERE {row}.citizen_id IS NOT NULL"
        f" ON CONFLICT ({KEY}) DO UPDATE SET contacts = citizen_months.contacts + 1,"
        " company_contacts = citizen_months.company_contacts + excluded.company_contacts,"
        " minutes = citizen_months.minutes + excluded.minutes;"
    )


def _remove(dialect: str, row: str) -> str:
    match = f"month = {_month(dialect, row)} AND citizen_id = {row}.citizen_id"
    return (
        f"UPDATE citizen_months SET contacts = contacts - 1,"
        f" company_contacts = company_contacts - {_company(row)},"
        f" minutes = minutes - coalesce({row}.minutes, 0) WHERE {match};"
        f" DELETE FROM citizen_months WHERE contacts <= 0 AND {match};"
    )


def triggers(dialect: str) -> tuple[str, ...]:
    """The statements that create the triggers (PostgreSQL: a function and one trigger, which
    skips an update that changes nothing counted, as 0010's do)."""
    if dialect == "sqlite":
        add, remove = _add(dialect, "NEW"), _remove(dialect, "OLD")
        return (
            f"CREATE TRIGGER citizen_months_insert AFTER INSERT ON contacts BEGIN {add} END",
            f"CREATE TRIGGER citizen_months_delete AFTER DELETE ON contacts BEGIN {remove} END",
            f"CREATE TRIGGER citizen_months_update AFTER UPDATE OF {COLUMNS} ON contacts"
            f" BEGIN {remove} {add} END",
        )
    old = ", ".join(f"OLD.{c}" for c in COLUMNS.split(", "))
    new = ", ".join(f"NEW.{c}" for c in COLUMNS.split(", "))
    return (
        "CREATE FUNCTION citizen_months_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new}) THEN RETURN NULL;"
        " END IF;"
        f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove(dialect, 'OLD')} END IF;"
        f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add(dialect, 'NEW')} END IF;"
        " RETURN NULL; END $$",
        "CREATE TRIGGER citizen_months_count AFTER INSERT OR DELETE OR UPDATE"
        " ON contacts FOR EACH ROW EXECUTE FUNCTION citizen_months_count()",
    )


def fill(dialect: str) -> str:
    """Count every contact with a citizen (as `store.contact_days.rebuild` does)."""
    month = MONTH[dialect].format("occurred_on")
    return (
        f"INSERT INTO citizen_months ({KEY}, contacts, company_contacts, minutes)"
        f" SELECT {month}, citizen_id, count(*), count(company_id), coalesce(sum(minutes), 0)"
        f" FROM contacts WHERE citizen_id IS NOT NULL GROUP BY {month}, citizen_id"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "citizen_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("company_contacts", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "citizen_id", name="pk_citizen_months"),
        sqlite_with_rowid=False,
    )
    for statement in triggers(dialect):
        op.execute(statement)
    op.execute(fill(dialect))
    # Employer contacts per person over a period (fidelity) from the index alone: on SQLite
    # the primary key's index took a table lookup per day and person (300 ms for a year).
    op.create_index(
        "ix_staff_days_company", "staff_days", ["occurred_on", "staff_id", "company_contacts"]
    )


def downgrade() -> None:
    op.drop_index("ix_staff_days_company", table_name="staff_days")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS citizen_months_count ON contacts")
        op.execute("DROP FUNCTION IF EXISTS citizen_months_count()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS citizen_months_{name}")
    op.drop_table("citizen_months")
