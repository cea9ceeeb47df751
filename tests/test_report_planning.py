"""Report queries on PostgreSQL plan for their own period, without JIT, with room to group; the
settings are made once per transaction, and never on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text

from bot.app import Rampe
from reports.frames import REPORT_PLANNING, fetch_rows
from store.models import Citizen


def test_settings_are_made_once_per_transaction_on_postgresql(app: Rampe) -> None:
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(app.engine, "before_cursor_execute", seen)
    try:
        for _ in range(2):  # two transactions, two queries each
            with app.unit_of_work() as s:
                fetch_rows(s, select(Citizen.id))
                fetch_rows(s, select(Citizen.handle))
                if s.get_bind().dialect.name == "postgresql":
                    shown = {k: s.execute(text(f"SHOW {k}")).scalar() for k in REPORT_PLANNING}
                    assert shown == REPORT_PLANNING
    finally:
        event.remove(app.engine, "before_cursor_execute", seen)
    made = [q for q in sent if "set_config" in q]
    postgresql = app.engine.dialect.name == "postgresql"
    assert len(made) == (2 if postgresql else 0)
    assert len([q for q in sent if "FROM citizens" in q]) == 4
    if postgresql:  # SET LOCAL: gone with the transaction
        with app.engine.connect() as conn:
            assert conn.execute(text("SHOW work_mem")).scalar() != "32MB"
