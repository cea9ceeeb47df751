"""Migration 0008 gives a pause recorded without an end the default end, so its reminder comes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import Engine, select, text

from bot.app import Rampe
from bot.scheduler.due import refresh
from kernel.clock import FixedClock
from store.db import alembic_config, upgrade_schema
from store.models import FollowUp
from tests.conftest import make_settings
from tests.support import raw_date

OLD = [
    "INSERT INTO staff (id, display_name, name_folded, role, language, active, created_at) "
    "VALUES (1, 'Anna', 'anna', 'contact', 'da', true, '2026-01-01 00:00:00')",
    *(
        "INSERT INTO citizens (id, handle, full_name, name_folded, owner_id, status, "
        f"referred_on, started_on, paused_until, created_at, updated_at) VALUES ({row})"
        for row in (
            # Mette: paused on 2/11 without an end (before every pause had to have one).
            "1, 'MH-0001', 'Mette Hansen', 'mette hansen', 1, 'paused', '2026-09-01', "
            "'2026-09-10', NULL, '2026-09-01 00:00:00', '2026-11-02 10:00:00'",
            # Søren: paused until 18/12, as recorded: untouched.
            "2, 'SJ-0002', 'Søren Jensen', 'soren jensen', 1, 'paused', '2026-09-01', "
            "'2026-09-10', '2026-12-18', '2026-09-01 00:00:00', '2026-11-20 10:00:00'",
            # Lise: paused without an end and no pause event (imported so): from her last change.
            "3, 'LH-0003', 'Lise Holm', 'lise holm', 1, 'paused', '2026-09-01', "
            "'2026-09-10', NULL, '2026-09-01 00:00:00', '2026-11-20 10:00:00'",
            # Bo: active, never paused: untouched.
            "4, 'BK-0004', 'Bo Kragh', 'bo kragh', 1, 'active', '2026-09-01', "
            "'2026-09-10', NULL, '2026-09-01 00:00:00', '2026-11-20 10:00:00'",
        )
    ),
    *(
        "INSERT INTO citizen_events (citizen_id, kind, on_date, until_date, staff_id, created_at)"
        f" VALUES ({row}, 1, '2026-11-02 10:00:00')"
        for row in (
            "1, 'paused', '2026-10-01', NULL",
            "1, 'resumed', '2026-10-08', NULL",
            "1, 'paused', '2026-11-02', NULL",
            "2, 'paused', '2026-11-20', '2026-12-18'",
        )
    ),
]


def test_a_pause_without_an_end_gets_the_default_end_and_its_reminder(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "0007_employed_at_start")
    try:
        with engine.begin() as conn:
            for statement in OLD:
                conn.execute(text(statement))
    finally:
        upgrade_schema(engine)
    with engine.connect() as conn:
        until: dict[int, object] = dict(
            conn.execute(text("SELECT id, paused_until FROM citizens")).all()
        )
    assert {k: raw_date(v) for k, v in until.items()} == {
        1: date(2026, 11, 16),  # two weeks after the latest pause was recorded
        2: date(2026, 12, 18),  # had an end: as recorded
        3: date(2026, 12, 4),  # no pause event: two weeks after the citizen's last change
        4: None,
    }
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    app = Rampe(make_settings(str(engine.url.render_as_string(hide_password=False))),
                engine=engine, clock=FixedClock(now), upgrade=False)  # fmt: skip
    with app.unit_of_work() as session:
        refresh(session, app.settings, now)
        reminders = session.execute(
            select(FollowUp.citizen_id, FollowUp.rule).where(FollowUp.rule == "resume")
        ).all()
    assert sorted(reminders) == [(1, "resume"), (2, "resume"), (3, "resume")]
