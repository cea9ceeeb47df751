"""Employed at start: whether a citizen was in any job when the course started, and the hours.

Revision ID: 0007_employed_at_start
Revises: 0005_ops
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_employed_at_start"
down_revision = "0005_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.add_column(sa.Column("employed_at_start", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("employed_at_start_hours", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.drop_column("employed_at_start_hours")
        batch_op.drop_column("employed_at_start")
