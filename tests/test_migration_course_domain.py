"""Migration 0004 repairs courses closed with their praktik or job still open."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, text

from store.db import alembic_config, schema_revision, upgrade_schema
from tests.support import raw_date

BROKEN = [
    "INSERT INTO staff (id, display_name, name_folded, role, language, active, created_at) "
    "VALUES (1, 'Anna', 'anna', 'contact', 'da', true, '2026-01-01 00:00:00')",
    "INSERT INTO companies (id, name, name_folded, created_at) "
    "VALUES (1, 'Bilka', 'bilka', '2026-01-01 00:00:00')",
    # Mette: closed as unemployed on 15/11 with her job and praktik still open.
    # Søren: still active, his job stays open. Lise: her job ended before her close.
    *(
        "INSERT INTO citizens (id, handle, full_name, name_folded, owner_id, status, "
        f"referred_on, ended_on, outcome, created_at, updated_at) VALUES ({row}, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        for row in (
            "1, 'MH-0001', 'Mette Hansen', 'mette hansen', 1, 'ended', '2026-09-01', "
            "'2026-11-15', 'unemployed'",
            "2, 'SJ-0002', 'Søren Jensen', 'soren jensen', 1, 'active', '2026-09-01', NULL, NULL",
            "3, 'LH-0003', 'Lise Holm', 'lise holm', 1, 'ended', '2026-01-01', '2026-10-01', "
            "'unemployed'",
        )
    ),
    *(
        "INSERT INTO jobs (id, citizen_id, company_id, kind, start_on, ended_on, staff_id, "
        f"created_at) VALUES ({row}, 1, '2026-01-01 00:00:00')"
        for row in (
            "1, 1, 1, 'flex', '2026-09-15', NULL",
            "2, 2, 1, 'flex', '2026-09-15', NULL",
            "3, 3, 1, 'flex', '2026-02-01', '2026-05-01'",
        )
    ),
    "INSERT INTO placements (id, citizen_id, company_id, start_on, status, staff_id, created_at) "
    "VALUES (1, 1, 1, '2026-09-10', 'active', 1, '2026-01-01 00:00:00')",
]


def test_open_job_and_praktik_of_a_closed_course_end_with_it(engine: Engine) -> None:
    config = alembic_config(engine)
    command.downgrade(config, "0003_reports")
    try:
        with engine.begin() as conn:
            for statement in BROKEN:
                conn.execute(text(statement))
        upgrade_schema(engine)
        with engine.connect() as conn:
            jobs: dict[int, object] = dict(
                conn.execute(text("SELECT id, ended_on FROM jobs")).all()
            )
            praktik = conn.execute(
                text("SELECT status, ended_on, end_reason FROM placements")
            ).one()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        upgrade_schema(engine)
    assert {k: raw_date(v) for k, v in jobs.items()} == {
        1: date(2026, 11, 15),  # ended with the course
        2: None,  # the course is still running
        3: date(2026, 5, 1),  # already ended: untouched
    }
    assert (praktik[0], raw_date(praktik[1]), praktik[2]) == ("ended", date(2026, 11, 15), "ended")
    assert version == schema_revision(engine)[1]  # the newest, through 0004_course_domain
