"""Reports at full size: covering indexes for per-citizen and per-person sums over a period, the
company index made partial so the planner no longer reads it for contacts without a company,
praktik and jobs by their start and end days, and citizens by owner and status (the caseload).

Revision ID: 0006_report_indexes
Revises: 0005_ops
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_report_indexes"
down_revision = "0005_ops"
branch_labels = None
depends_on = None

COMPANY = sa.text("company_id IS NOT NULL")


def upgrade() -> None:
    # IF NOT EXISTS: a database where an index was built by hand (a big one, ahead of the
    # upgrade, to keep the upgrade short) is upgraded without error.
    op.create_index(
        "ix_contacts_citizen_sums",
        "contacts",
        ["citizen_id", "occurred_on", "company_id", "minutes"],
        if_not_exists=True,
    )
    op.create_index(
        "ix_contacts_by_company",
        "contacts",
        ["company_id", "occurred_on"],
        sqlite_where=COMPANY,
        postgresql_where=COMPANY,
        if_not_exists=True,
    )
    op.create_index(
        "ix_contacts_staff_sums",
        "contacts",
        ["staff_id", "occurred_on", "citizen_id", "company_id", "minutes"],
        if_not_exists=True,
    )
    op.create_index("ix_placements_start_on", "placements", ["start_on"], if_not_exists=True)
    op.create_index("ix_placements_ended_on", "placements", ["ended_on"], if_not_exists=True)
    op.create_index("ix_jobs_start_on", "jobs", ["start_on"], if_not_exists=True)
    op.create_index(
        "ix_citizens_owner_status", "citizens", ["owner_id", "status"], if_not_exists=True
    )
    # Replaced by the covering and partial ones above, which lead with the same columns.
    op.drop_index("ix_contacts_citizen_day", "contacts", if_exists=True)
    op.drop_index("ix_contacts_company_day", "contacts", if_exists=True)
    op.drop_index("ix_contacts_staff_day", "contacts", if_exists=True)


def downgrade() -> None:
    op.create_index(
        "ix_contacts_company_day", "contacts", ["company_id", "occurred_on"], if_not_exists=True
    )
    op.create_index(
        "ix_contacts_citizen_day", "contacts", ["citizen_id", "occurred_on"], if_not_exists=True
    )
    op.create_index(
        "ix_contacts_staff_day", "contacts", ["staff_id", "occurred_on"], if_not_exists=True
    )
    op.drop_index("ix_citizens_owner_status", "citizens", if_exists=True)
    op.drop_index("ix_jobs_start_on", "jobs", if_exists=True)
    op.drop_index("ix_placements_ended_on", "placements", if_exists=True)
    op.drop_index("ix_placements_start_on", "placements", if_exists=True)
    op.drop_index("ix_contacts_staff_sums", "contacts", if_exists=True)
    op.drop_index("ix_contacts_by_company", "contacts", if_exists=True)
    op.drop_index("ix_contacts_citizen_sums", "contacts", if_exists=True)
