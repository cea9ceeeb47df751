"""Handles: random, saying nothing of the name, never given twice; old handles keep working."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, select, text

from bot.health_cli import erase
from kernel.clock import FixedClock
from store.db import alembic_config, make_engine, upgrade_schema
from store.handles import handle_digest, issue_handle, numbered_handle, random_handle
from store.models import AuditEvent, IssuedHandle
from tests.support_health import Talk, citizens_by_first_name, in_session, make_app


def test_erasing_the_newest_gives_nothing_of_it_to_the_next(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock, RAMPE_HANDLE_ORDER="random"))
    talk.ok("/borger ny Søren Vestergaard")
    talk.ok("/borger ny Mette Hansen")
    first = citizens_by_first_name(talk.app)["mette"]
    assert not str(first.handle).startswith("MH")
    erase(talk.app, lambda _line: None, str(first.handle))
    talk.ok("/borger ny Mette Hansen")
    second = citizens_by_first_name(talk.app)["mette"]
    assert second.handle != first.handle and second.id > first.id
    tombstone = in_session(
        talk.app, lambda s: s.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
    )
    assert tombstone.entity_id == first.id
    assert "Jeg kan ikke finde" in talk(f"/borger {first.handle}")
    assert "Mette Hansen" in talk(f"/borger {second.handle}")


def test_a_drawn_code_already_issued_is_drawn_again(app, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    draws = iter(["KTX-4821", "ktx-4821", "QRS-1234"])
    with app.unit_of_work() as session:
        assert issue_handle(session, clock(), lambda: "KTX-4821") == "KTX-4821"
        assert issue_handle(session, clock(), lambda: next(draws)) == "QRS-1234"
        assert session.get(IssuedHandle, handle_digest("qrs-1234")) is not None


def test_codes_have_one_shape() -> None:
    codes = {random_handle() for _ in range(200)}
    assert all(len(c) == 8 and c[3] == "-" and c[4:].isdigit() for c in codes)
    assert len(codes) > 190
    assert [numbered_handle(n) for n in (1, 2, 10_000)] == ["BBB-0001", "BBB-0002", "BBC-0000"]


def test_handles_from_before_keep_working_and_are_never_issued(tmp_path, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as conn:  # the schema of the version before, with its data
        config.attributes["connection"] = conn
        command.upgrade(config, "0003_reports")
        at = "'2026-11-01 08:00:00.000000'"
        conn.execute(
            text(
                "INSERT INTO staff (id, display_name, name_folded, role, language, active,"
                f" created_at) VALUES (1, 'Anna', 'anna', 'admin', 'da', 1, {at})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO staff_identities (staff_id, platform, workspace, external_id,"
                f" created_at) VALUES (1, 'console', '', 'anna', {at})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO citizens (id, handle, full_name, name_folded, owner_id, status,"
                " created_at, updated_at) VALUES (42, 'MH-0042', 'Mette Hansen', 'mette hansen',"
                f" 1, 'referred', {at}, {at})"
            )
        )
    upgrade_schema(engine)
    talk = Talk(make_app(url, engine, clock))
    assert "Mette Hansen (MH-0042)" in talk("/borger MH-0042")
    with talk.app.unit_of_work() as session:
        assert session.get(IssuedHandle, handle_digest("MH-0042")) is not None
        assert issue_handle(session, clock(), iter(["MH-0042", "QRS-1234"]).__next__) == "QRS-1234"
    talk.ok("/borger ny Søren Vestergaard")
    assert citizens_by_first_name(talk.app)["soren"].id == 43
    engine.dispose()
