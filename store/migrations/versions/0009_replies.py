"""Replies kept with their event's claim until they are sent, so a worker that dies between
recording a message and answering it leaves the answer for the redelivery to send.

Revision ID: 0009_replies
Revises: 0008_pause_ends
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0009_replies"
down_revision = "0008_pause_ends"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch_op:
        batch_op.add_column(sa.Column("reply", store.types.EncryptedText(), nullable=True))
        batch_op.add_column(sa.Column("sending_since", store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("staff_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch_op:
        batch_op.drop_column("staff_id")
        batch_op.drop_column("sending_since")
        batch_op.drop_column("reply")
