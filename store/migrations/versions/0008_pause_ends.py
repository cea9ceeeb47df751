"""Every pause has an end: a course paused before pauses had to have one gets the default end.

A pause without an end date stopped every follow-up for good: the resume reminder is due on the
end date, and there was none, so nobody was ever reminded of the citizen again. Such a pause now
ends two weeks (the default pause, `RAMPE_PAUSE_DEFAULT_WEEKS`) after the day it was recorded;
when that day has passed, the reminder to resume comes at the next follow-up sweep. The pause
event itself is history and stays as it was recorded.

Revision ID: 0008_pause_ends
Revises: 0007_employed_at_start
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0008_pause_ends"
down_revision = "0007_employed_at_start"
branch_labels = None
depends_on = None

DEFAULT_PAUSE = timedelta(weeks=2)


def upgrade() -> None:
    conn = op.get_bind()
    latest = sa.text(
        "SELECT c.id, (SELECT max(e.on_date) FROM citizen_events e"
        "  WHERE e.citizen_id = c.id AND e.kind = 'paused'), c.updated_at"
        " FROM citizens c WHERE c.status = 'paused' AND c.paused_until IS NULL"
    )
    ends = [
        {"id": citizen_id, "until": _day(paused_on or updated_at) + DEFAULT_PAUSE}
        for citizen_id, paused_on, updated_at in conn.execute(latest)
    ]
    if ends:
        conn.execute(sa.text("UPDATE citizens SET paused_until = :until WHERE id = :id"), ends)


def downgrade() -> None:
    """Nothing to undo: an end date is what every pause has from here on."""


def _day(value: date | datetime | str) -> date:
    """SQLite hands dates and times back as text in a raw query, PostgreSQL as objects."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value
