"""Reports: indexes for counting by date over many contacts and citizens.

Revision ID: 0003_reports
Revises: 0002_followups
"""

from __future__ import annotations

from alembic import op

revision = "0003_reports"
down_revision = "0002_followups"
branch_labels = None
depends_on = None

CONTACT_DAY = ["occurred_on", "form", "citizen_id", "company_id"]


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_day", CONTACT_DAY, unique=False)
    with op.batch_alter_table("citizens", schema=None) as batch_op:
        batch_op.create_index("ix_citizens_team_id", ["team_id"], unique=False)
        batch_op.create_index("ix_citizens_referred_on", ["referred_on"], unique=False)
        batch_op.create_index("ix_citizens_started_on", ["started_on"], unique=False)
        batch_op.create_index("ix_citizens_ended_on", ["ended_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("citizens", schema=None) as batch_op:
        batch_op.drop_index("ix_citizens_ended_on")
        batch_op.drop_index("ix_citizens_started_on")
        batch_op.drop_index("ix_citizens_referred_on")
        batch_op.drop_index("ix_citizens_team_id")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_day")
