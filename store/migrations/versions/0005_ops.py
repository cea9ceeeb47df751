"""Operations: handles never reused, citizen ids never reused on SQLite, a purpose per audit event.

Revision ID: 0005_ops
Revises: 0004_course_domain
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0005_ops"
down_revision = "0004_course_domain"
branch_labels = None
depends_on = None


def _digest(handle: str) -> str:
    # The same as store.handles.handle_digest, frozen here as migrations must be.
    return hashlib.sha256(handle.strip().casefold().encode()).hexdigest()


def upgrade() -> None:
    issued = op.create_table(
        "issued_handles",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("issued_at", store.types.UTCDateTime(), nullable=False),
    )
    watermarks = op.create_table(
        "id_watermarks",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("last_id", sa.Integer(), nullable=False),
    )
    conn = op.get_bind()
    now = datetime.now(UTC)
    handles = conn.execute(sa.text("SELECT handle FROM citizens WHERE handle IS NOT NULL"))
    op.bulk_insert(issued, [{"digest": _digest(h), "issued_at": now} for (h,) in handles])
    highest = conn.execute(sa.text("SELECT max(id) FROM citizens")).scalar()
    op.bulk_insert(watermarks, [{"name": "citizens", "last_id": int(highest or 0)}])
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(24), nullable=True))
    op.execute(
        "UPDATE audit_events SET purpose = CASE action"
        " WHEN 'export' THEN 'access_request' WHEN 'erase' THEN 'erasure' ELSE 'casework' END"
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("purpose")
    op.drop_table("id_watermarks")
    op.drop_table("issued_handles")
