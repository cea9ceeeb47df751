"""Contacts counted per day and form, kept by triggers: /status over a year reads a few
thousand counts instead of millions of contacts.

Revision ID: 0008_contact_days
Revises: 0007_employed_at_start
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_contact_days"
down_revision = "0007_employed_at_start"
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
POSTGRESQL = (
    "CREATE FUNCTION contact_days_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove('OLD')} END IF;"
    f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW')} END IF;"
    " RETURN NULL; END $$",
    f"CREATE TRIGGER contact_days_count AFTER INSERT OR DELETE OR UPDATE OF {COLUMNS}"
    " ON contacts FOR EACH ROW EXECUTE FUNCTION contact_days_count()",
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
    statements = POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)
    op.execute(FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contact_days_count ON contacts")
        op.execute("DROP FUNCTION IF EXISTS contact_days_count()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS contact_days_{name}")
    op.drop_table("contact_days")
