"""The course domain: a praktik or job ends no later than its course.

Before this rule, a course could be closed while its praktik or job stayed open, and the job
then counted as held until today (a lasting job on paper). Close those on the course's end date.

Revision ID: 0004_course_domain
Revises: 0003_reports
"""

from __future__ import annotations

from alembic import op

revision = "0004_course_domain"
down_revision = "0003_reports"
branch_labels = None
depends_on = None

COURSE_END = "(SELECT c.ended_on FROM citizens c WHERE c.id = {table}.citizen_id)"
OF_CLOSED_COURSE = (
    "citizen_id IN (SELECT id FROM citizens WHERE status = 'ended' AND ended_on IS NOT NULL)"
)


def upgrade() -> None:
    op.execute(
        f"UPDATE jobs SET ended_on = {COURSE_END.format(table='jobs')} "
        f"WHERE ended_on IS NULL AND {OF_CLOSED_COURSE}"
    )
    op.execute(
        f"UPDATE placements SET status = 'ended', end_reason = COALESCE(end_reason, 'ended'), "
        f"ended_on = {COURSE_END.format(table='placements')} "
        f"WHERE (ended_on IS NULL OR status = 'active') AND {OF_CLOSED_COURSE}"
    )


def downgrade() -> None:
    # Which rows were open before cannot be told afterwards, and the repaired state is valid
    # under the older code too: nothing to undo.
    pass
