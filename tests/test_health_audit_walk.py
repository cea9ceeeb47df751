"""Every access path is audited: walk every command in the table, run its examples (Danish,
then English by someone who reads English) on a standard programme, and require audit rows for
what each one touched.

The walk reads the command table, so a command added later without auditing fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as D
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from bot.commands import Command
from bot.core import Tone
from bot.registry import build_table
from kernel.clock import FixedClock
from store.audit import audit, audit_reads
from store.models import Staff
from tests.support_health import (
    ADMIN,
    PSEUDONYM_KEY,
    Rows,
    Talk,
    audit_since,
    citizens_by_first_name,
    in_session,
    last_audit_id,
    make_app,
    new_key,
    programme,
    restore_rows,
    save_rows,
    wipe,
)
from tests.support_reports import citizen as new_citizen
from tests.support_reports import staff

# Commands that touch no stored data at all: nothing to audit.
NO_DATA = {"hjælp", "sprog"}


def seed_own(talk: Talk) -> None:
    """Seed A: anna's citizens in praktik and a job (see `programme`)."""
    programme(talk)


def seed_colleague(talk: Talk) -> None:
    """Seed B: bo's citizens, Mette paused with a case number, no teams."""
    for user in (ADMIN, "anna", "bo"):
        talk.ok("/hjælp", user=user)
    talk.ok("/borger ny Mette Hansen henvist:1/10", user="bo")
    talk.ok("/borger ny Søren Jensen", user="bo")
    talk.ok("/virksomhed ny Bilka", user="bo")
    talk.ok("/borger mette start 2/11", user="bo")
    talk.ok("/borger mette pause til 1/12", user="bo")
    talk.ok("/borger mette sagsnr 12345", user="bo")


ATTEMPTS: list[tuple[Callable[[Talk], None], str]] = [
    (seed_own, "anna"),
    (seed_colleague, "anna"),
    (seed_own, ADMIN),
    (seed_colleague, ADMIN),
]


def _staff_id(talk: Talk, user: str) -> int:
    return in_session(
        talk.app, lambda s: s.scalar(select(Staff.id).where(Staff.display_name == user.title()))
    )


Seeds = dict[tuple[int, str], Rows]


def _seed(talk: Talk, attempt: int, lang: str, seeds: Seeds) -> None:
    """Standard seed number `attempt` for a reader of `lang`: typed in the chat the first time,
    its rows put back after that (typing it for every example made the walk slow)."""
    if (attempt, lang) in seeds:
        restore_rows(talk.app, seeds[attempt, lang])
        return
    seed, user = ATTEMPTS[attempt]
    wipe(talk.app)
    seed(talk)
    if lang == "en":
        talk.ok("/language en", user=user)
    seeds[attempt, lang] = save_rows(talk.app)


def _run(talk: Talk, example: str, lang: str, seeds: Seeds) -> tuple[str, str, int] | None:
    """Run `example` on the first standard seed where it succeeds, typed by someone who reads
    `lang`: (reply, user, audit mark)."""
    for attempt, (_, user) in enumerate(ATTEMPTS):
        _seed(talk, attempt, lang, seeds)
        mark = last_audit_id(talk.app)
        reply = talk.reply(example, user=user)
        if reply.tone != Tone.ERROR:
            return reply.as_text(), user, mark
    return None


def _walk(talk: Talk, command: Command, lang: str, seeds: Seeds) -> list[int]:
    """Run each of the command's examples in `lang` and check its audit; the ones that ran."""
    ran = []
    for number, example in enumerate(command.examples_for(lang)):
        outcome = _run(talk, example, lang, seeds)
        if outcome is None:
            continue  # needs a state no standard seed has; another example must run
        ran.append(number)
        reply, user, mark = outcome
        events = audit_since(talk.app, mark)
        if command.name not in NO_DATA:
            assert events, f"{example!r} as {user} wrote no audit row"
            actor = _staff_id(talk, user)
            assert all(e.staff_id == actor and e.platform == "console" for e in events)
        for citizen in citizens_by_first_name(talk.app).values():
            if citizen.handle and citizen.handle in reply:
                audited = {e.citizen_id for e in events}
                assert citizen.id in audited, f"{example!r} showed {citizen.handle} unaudited"
    return ran


@pytest.mark.parametrize("name", [c.name for c in build_table()])
def test_every_command_is_audited(
    name: str, db_url: str, engine: Engine, clock: FixedClock
) -> None:
    app = make_app(
        db_url, engine, clock, RAMPE_PSEUDONYM_KEY=PSEUDONYM_KEY, RAMPE_ENCRYPTION_KEY=new_key()
    )
    talk = Talk(app)
    command = app.commands.find(name)
    assert command is not None
    seeds: Seeds = {}
    ran = _walk(talk, command, "da", seeds)
    assert ran, f"no example of /{name} runs on a standard seed: {command.examples}"
    ran_en = _walk(talk, command, "en", seeds)
    assert ran_en == ran, f"the English examples of /{name} that ran: {ran_en}, Danish: {ran}"


def test_refused_and_ambiguous_paths_are_audited(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    people = programme(talk)
    talk.ok("/borger ny Mette Olsen")
    mark = last_audit_id(talk.app)
    assert "Hvilken borger" in talk("/borger mette")
    shown = {e.citizen_id for e in audit_since(talk.app, mark) if e.detail == "choice"}
    assert people["mette"].id in shown and len(shown) == 2
    talk("annuller")
    mark = last_audit_id(talk.app)
    reply = talk("/borger søren genoptag")  # refused: not paused, but Søren was reached
    assert "ikke sat på pause" in reply
    events = audit_since(talk.app, mark)
    assert [(e.action, e.citizen_id, e.detail) for e in events] == [
        ("read", people["soren"].id, "/borger refused")
    ]


def test_undo_is_audited_against_the_citizen(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    people = programme(talk)
    talk.ok("/log søren tlf")
    mark = last_audit_id(talk.app)
    talk.ok("/fortryd")
    events = audit_since(talk.app, mark)
    assert ("update", people["soren"].id, "undo /log") in {
        (e.action, e.citizen_id, e.detail) for e in events
    }


@pytest.mark.parametrize(
    "question",
    ["/status år borgere", "/status nu borgere", "/jobrate år", "/rapport udfald år borgere",
     "/rapport status år csv", "/rapport jobrate år xlsx"],
)  # fmt: skip
def test_handles_a_report_shows_are_audited_per_citizen(
    question: str, db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    people = programme(talk)
    talk.ok("/afslut søren job", user="anna")  # an outcome: Søren is behind the job rate too
    mark = last_audit_id(talk.app)
    reply = talk.reply(question, user="anna")
    assert reply.tone != Tone.ERROR, reply.as_text()
    shown = reply.as_text() + "".join(_file_text(f.name, f.data) for f in reply.files)
    events = audit_since(talk.app, mark)
    read = {e.citizen_id for e in events if e.action == "read" and e.entity == "citizen"}
    behind = {c.id for c in people.values() if c.handle and c.handle in shown}
    if not question.endswith("csv"):  # the csv file holds the figures only
        assert behind, f"{question} shows no handle: {shown}"
    assert behind <= read, (question, behind, read)


def _file_text(name: str, data: bytes) -> str:
    """Every cell of a report file as text (an xlsx file is zipped)."""
    if not name.endswith(".xlsx"):
        return data.decode("utf-8-sig")
    book = load_workbook(BytesIO(data), read_only=True)
    return " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )


def test_shown_handles_are_audited_once_each_in_batches(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    """`audit_reads` finds and audits handles 500 at a time: a citizen in the first batch and
    one in the third are read once each; an id audited already and a handle nobody has are not.
    The moment is stored as `audit` stores it."""
    app = make_app(db_url, engine, clock)
    with app.unit_of_work() as s:
        anna = staff(s, "anna")
        first, skipped, last = (new_citizen(s, anna, n, D(2026, 1, 5)) for n in "ABC")
    mark = last_audit_id(app)
    with app.unit_of_work() as s:
        noise = [f"ZZZ-{n:04d}" for n in range(1_000)]  # shown, but no citizen's
        shown = [str(first.handle), *noise, str(last.handle), str(skipped.handle), "ZZZ-9999"]
        found = audit_reads(s, at=clock(), staff_id=anna.id, platform="console", handles=shown,
                            skip={skipped.id}, detail="/rapport")  # fmt: skip
        audit(s, at=clock(), staff_id=anna.id, platform="console", action="read", entity="report")
        expected = sorted((c.id, c.handle) for c in (first, last))
    assert sorted(found) == [cid for cid, _ in expected]
    events = audit_since(app, mark)
    reads = [e for e in events if e.entity == "citizen"]
    assert sorted((e.citizen_id, e.citizen_handle) for e in reads) == expected
    assert {(e.action, e.detail, e.staff_id, e.platform, e.purpose) for e in reads} == {
        ("read", "/rapport", anna.id, "console", "casework")
    }
    assert len({e.at for e in events}) == 1 and len(events) == 3
