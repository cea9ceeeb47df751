"""External case numbers stored only as a keyed hash; logs never carry names or notes."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, func, select

from bot.commands import Command, CommandTable
from bot.context import Ctx
from bot.core import Reply
from bot.handlers import registry
from bot.resolve import resolve_citizen_words
from kernel.clock import FixedClock
from store.crypto import keyed_hash
from store.models import Citizen, PendingChoice
from tests.support_health import PSEUDONYM_KEY, Talk, in_session, make_app, programme, scan_tables


def test_case_number_is_stored_only_as_hmac_and_findable(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock, RAMPE_PSEUDONYM_KEY=PSEUDONYM_KEY))
    programme(talk)  # sets Mette's case number 12345
    assert "kun som nøglet hash" in talk("/borger søren sagsnr JC-778 899")
    stored = in_session(
        talk.app,
        lambda s: dict(s.execute(select(Citizen.name_folded, Citizen.external_ref_hash)).all()),
    )
    assert stored["mette kragelund"] == keyed_hash(PSEUDONYM_KEY, "12345")
    assert scan_tables(engine, ["12345", "778 899", "778899"]) == []
    assert "Mette Kragelund" in talk("/borger sagsnr 12345")
    assert "Søren Vestergaard" in talk("/citizen caseno jc778899")
    assert "Ingen af de borgere" in talk("/borger sagsnr 12345", user="bo")
    assert "Ingen af de borgere" in talk("/borger sagsnr 54321")


def test_case_number_refused_without_a_key(db_url: str, engine: Engine, clock: FixedClock) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    programme(talk)
    reply = talk("/borger mette sagsnr 12345")
    assert "RAMPE_PSEUDONYM_KEY er ikke sat" in reply
    assert scan_tables(engine, ["12345"]) == []
    assert "RAMPE_PSEUDONYM_KEY er ikke sat" in talk("/borger sagsnr 12345")


def test_ambiguous_case_number_is_not_kept_in_a_question(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock, RAMPE_PSEUDONYM_KEY=PSEUDONYM_KEY))
    programme(talk)
    talk.ok("/borger ny Mette Olsen")
    assert "passer på flere borgere" in talk("/borger mette sagsnr 99887")
    pending = in_session(talk.app, lambda s: s.scalar(select(func.count(PendingChoice.id))))
    assert pending == 0 and scan_tables(engine, ["99887"]) == []


SECRET_NOTE = "fortrolig note om hospitalsophold"


def _explode(ctx: Ctx, args: str) -> Reply:
    citizen, _ = resolve_citizen_words(ctx, args.split())
    raise RuntimeError(f"failed for {citizen.full_name} ({citizen.handle}): {SECRET_NOTE}")


@pytest.fixture
def exploding(db_url: str, engine: Engine, clock: FixedClock) -> Talk:
    """An app whose table has one extra command that fails with names in its message."""
    app = make_app(db_url, engine, clock)
    boom = Command("boom", "boom", lambda text, today: text, _explode, examples=("/boom mette",))
    app.commands = CommandTable([*registry.COMMANDS, boom])
    return Talk(app)


def test_logs_never_hold_names_notes_or_bodies(
    exploding: Talk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    people = programme(exploding)
    exploding.ok(f"/log mette tlf {SECRET_NOTE}")
    reply = exploding("/boom mette")
    assert "Noget gik galt" in reply
    records = [r for r in caplog.records if r.name.startswith("rampe")]
    assert any("RuntimeError" in r.getMessage() for r in records)
    logged = "\n".join(
        caplog.handler.format(r) for r in caplog.records
    )  # everything any logger wrote, with tracebacks
    for secret in ("Kragelund", "Vestergaard", str(people["mette"].handle), SECRET_NOTE, "/log"):
        assert secret not in logged, secret
