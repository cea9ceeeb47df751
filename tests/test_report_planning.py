"""Rampe's PostgreSQL connections plan each query for its own values, without JIT and with room
to group (`store.db.PLANNING`): made when a connection opens, so no statement sets them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

from bot.app import Rampe
from reports.frames import fetch_rows
from store.db import PLANNING, make_engine, planning_options
from store.models import Citizen


def test_every_connection_plans_for_reports_without_a_statement(app: Rampe) -> None:
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(app.engine, "before_cursor_execute", seen)
    try:
        with app.unit_of_work() as s:
            fetch_rows(s, select(Citizen.id))
            fetch_rows(s, select(Citizen.handle))
    finally:
        event.remove(app.engine, "before_cursor_execute", seen)
    sent = [q for q in sent if q != "BEGIN IMMEDIATE"]  # SQLite's own start of a transaction
    assert len(sent) == 2 and all("FROM citizens" in q for q in sent)
    if app.engine.dialect.name != "postgresql":
        return
    app.engine.dispose()  # new connections, before and after a transaction
    with app.engine.connect() as conn:
        assert {k: conn.execute(text(f"SHOW {k}")).scalar() for k in PLANNING} == PLANNING
    with app.unit_of_work() as s:
        assert {k: s.execute(text(f"SHOW {k}")).scalar() for k in PLANNING} == PLANNING


def test_options_in_the_database_url_come_after_ours_and_win(app: Rampe) -> None:
    plain = make_url("postgresql+psycopg://u@h/db")
    assert planning_options(plain) == (
        "-c plan_cache_mode=force_custom_plan -c jit=off -c work_mem=32MB"
    )
    given = make_url("postgresql+psycopg://u@h/db?options=-c%20work_mem%3D64MB")
    assert planning_options(given).endswith("-c jit=off -c work_mem=32MB -c work_mem=64MB")
    if app.engine.dialect.name != "postgresql":
        return
    url = app.engine.url.set(query={"options": "-c work_mem=64MB"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW work_mem")).scalar() == "64MB"
            assert conn.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
