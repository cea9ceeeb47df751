"""Erasure leaves no trace; retention erases old courses; an access request exports everything."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from bot.cli import main
from bot.health_cli import erase, export_citizen, retention, show_audit
from kernel.clock import FixedClock
from store.erasure import erase_expired, is_expired, retention_cutoff
from store.models import AuditEvent, Citizen, FollowUp
from tests.support_followups import cph, outbox, sweep_at
from tests.support_health import (
    Talk,
    in_session,
    make_app,
    postgres_statistics,
    programme,
    raw_postgres_bytes,
    raw_sqlite_bytes,
    scan_tables,
)

NOTE = "Mette Kragelund fortalte om sin søvn"


def _full_life(talk: Talk) -> Citizen:
    """Mette with every kind of row: contacts, praktik, job, WHO-5, events, a follow-up,
    undo journal entries and a pending question."""
    people = programme(talk)
    mette = people["mette"]
    talk.ok(f"/log mette kragelund møde i dag {NOTE}")
    talk.ok("/praktik mette timer 15")
    talk.ok("/praktik mette forlæng 2 uger")
    talk.ok("/job mette timer 7")
    talk.ok("/borger mette pause til 1/12 søvnproblemer hos Kragelund")
    talk.ok("/borger ny Mette Olsen")
    assert "Hvilken borger" in talk("/log mette tlf Kragelund ringede")

    def follow_up(session):  # type: ignore[no-untyped-def]
        now = talk.app.clock()
        session.add(
            FollowUp(
                key=f"custom:{mette.id}:1",
                rule="custom",
                citizen_id=mette.id,
                staff_id=mette.owner_id,
                due_at=now + timedelta(days=3),
                note="ring til Kragelund",
                created_at=now,
                updated_at=now,
            )
        )

    in_session(talk.app, follow_up)
    export_citizen(talk.app, str(mette.handle))
    return mette


@pytest.mark.pristine_pages
def test_erase_leaves_no_trace(db_url: str, engine: Engine, clock: FixedClock) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    mette = _full_life(talk)
    sweep_at(talk.app, clock, cph(2026, 12, 1, 8, 30))  # her pause ends: a digest names her
    assert any(str(mette.handle) in m.body for m in outbox(talk.app))
    needles = [mette.full_name, "Kragelund", str(mette.handle)]
    assert len(scan_tables(engine, needles)) > 10  # the scan finds them while they are there
    postgres = not db_url.startswith("sqlite")
    if postgres:  # the planner's statistics hold sample values, names among them
        assert "Kragelund" in postgres_statistics(engine, analyze=True)
    lines: list[str] = []
    erase(talk.app, lines.append, str(mette.handle).lower())
    assert scan_tables(engine, needles) == []
    raw = raw_sqlite_bytes(db_url) if db_url.startswith("sqlite") else raw_postgres_bytes(engine)
    for needle in (*needles, "fortalte om sin", "søvnproblemer"):
        assert needle.encode() not in raw, needle
    assert b"Vestergaard" in raw  # Søren is still there, so the page scan can see text
    if postgres:
        statistics = postgres_statistics(engine)
        assert "Vestergaard" in statistics
        assert [n for n in (*needles, "mette kragelund") if n in statistics] == [], statistics
    assert "Søren Vestergaard" in talk("/borger søren")
    assert "Jeg kan ikke finde" in talk("/borger kragelund")
    assert "Mette Olsen" in talk("/borger mette")  # no question left pending about Mette
    tombstones = in_session(
        talk.app,
        lambda s: list(s.scalars(select(AuditEvent).where(AuditEvent.action == "erase"))),
    )
    assert [(t.entity, t.citizen_id, t.citizen_handle) for t in tombstones] == [
        ("citizen", None, None)
    ]
    assert tombstones[0].detail.startswith("request; ") and lines[0].startswith("Erased")
    assert tombstones[0].purpose == "erasure"


def test_erase_by_cli_asks_first(db_url: str, engine: Engine, clock: FixedClock) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    people = programme(talk)
    handle = str(people["mette"].handle)
    runner = CliRunner(env={"RAMPE_DATABASE_URL": db_url})
    refused = runner.invoke(main, ["erase", handle], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert "Kragelund" in talk("/borger mette")
    done = runner.invoke(main, ["erase", handle, "--yes"])
    assert done.exit_code == 0, done.output
    assert "Jeg kan ikke finde" in talk("/borger kragelund")
    missing = runner.invoke(main, ["erase", handle, "--yes"])
    assert missing.exit_code == 1 and "no citizen has the handle" in missing.output
    scrubbed = runner.invoke(main, ["scrub"])
    assert scrubbed.exit_code == 0 and "no erased rows" in scrubbed.output, scrubbed.output


def test_retention_erases_courses_ended_long_ago(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock, RAMPE_RETENTION_MONTHS="24"))
    people = programme(talk)
    talk.ok("/borger ny Lise Holm henvist:1.9.2024")
    talk.ok("/afslut søren ledig 1.10.2024")  # 25 months before 23/11/2026
    talk.ok("/afslut lise fleksjob 1.1.2025")  # 22 months: kept
    lines: list[str] = []
    assert retention(talk.app, lines.append, dry_run=True) == 1
    assert lines[0].startswith(f"would erase {people['soren'].handle}")
    assert "Vestergaard" in talk("/borger søren")
    assert retention(talk.app, lines.append, dry_run=False) == 1
    assert "Jeg kan ikke finde" in talk("/borger søren")
    assert "Lise Holm" in talk("/borger lise") and "Kragelund" in talk("/borger mette")
    assert in_session(talk.app, lambda s: erase_expired(s, clock(), 24)) == 0


def test_retention_cutoff_is_calendar_months() -> None:
    assert retention_cutoff(date(2026, 11, 23), 24) == date(2024, 11, 23)
    assert retention_cutoff(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert retention_cutoff(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert retention_cutoff(date(2026, 1, 15), 13) == date(2024, 12, 15)
    cutoff = date(2024, 11, 23)
    assert is_expired("ended", date(2024, 11, 22), cutoff)
    assert not is_expired("ended", cutoff, cutoff)
    assert not is_expired("active", date(2020, 1, 1), cutoff)
    assert not is_expired("ended", None, cutoff)


def test_export_holds_every_row_and_the_access_log(
    db_url: str, engine: Engine, clock: FixedClock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    talk = Talk(make_app(db_url, engine, clock))
    mette = _full_life(talk)
    talk.ok("/borger mette kragelund", user="root")
    document = json.loads(export_citizen(talk.app, str(mette.handle)))
    assert document["citizen"]["full_name"] == "Mette Kragelund"
    assert NOTE in [c["note"] for c in document["contacts"]]
    assert [e["kind"] for e in document["events"]] == ["referred", "started", "paused"]
    assert len(document["placements"]) == 1 and len(document["placement_changes"]) == 2
    assert len(document["jobs"]) == 1 and len(document["job_changes"]) == 1
    assert document["measurements"][0]["score"] == 64
    custom = [f for f in document["follow_ups"] if f["rule"] == "custom"]
    assert [f["note"] for f in custom] == ["ring til Kragelund"]
    assert len(document["follow_ups"]) > 1  # and those the rules made from her course
    who = {(e["staff"], e["action"], e["purpose"]) for e in document["access_log"]}
    assert {
        ("Anna", "create", "casework"),
        ("Root", "read", "casework"),
        (None, "export", "access_request"),
    } <= who
    [question] = document["pending_questions"]  # "which Mette?", waiting for Anna's answer
    assert question["kind"] == "citizen" and "Kragelund ringede" in question["command_as_typed"]
    out = tmp_path / "mette.json"
    runner = CliRunner(env={"RAMPE_DATABASE_URL": db_url})
    result = runner.invoke(main, ["export-citizen", str(mette.handle), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["citizen"]["id"] == mette.id


def test_audit_command_filters(db_url: str, engine: Engine, clock: FixedClock) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    people = programme(talk)
    talk.ok("/borger mette", user="root")
    lines: list[str] = []
    show_audit(talk.app, lines.append, citizen=people["mette"].handle, user=None, since=None,
               fmt="json")  # fmt: skip
    rows = json.loads(lines[0])
    assert rows and all(r["citizen"] == people["mette"].handle for r in rows)
    assert {r["staff"] for r in rows} == {"Anna", "Root"}
    lines.clear()
    count = show_audit(talk.app, lines.append, citizen=None, user="root", since=None, fmt="table")
    assert count >= 1 and lines[0].split()[:3] == ["at", "staff", "platform"]
    assert all("Root" in line for line in lines[1:])
    lines.clear()
    later = date(2026, 11, 24)
    assert show_audit(talk.app, lines.append, citizen=None, user=None, since=later,
                      fmt="json") == 0  # fmt: skip
    result = CliRunner(env={"RAMPE_DATABASE_URL": db_url}).invoke(
        main, ["audit", "--user", "nobody"]
    )
    assert result.exit_code == 1 and "no staff member" in result.output
