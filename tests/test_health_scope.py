"""A contact person cannot read or change another team's citizen by any path: every command's
examples as typed, the same with the other citizen's handle, and a tampered choice answer."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select, update

from bot.commands import build_table
from kernel.clock import FixedClock
from kernel.vocabulary import Role
from store.models import AuditEvent, Citizen, PendingChoice, Staff
from store.scope import scoped_citizen, visible_citizens
from tests.support_health import (
    ADMIN,
    PSEUDONYM_KEY,
    Talk,
    audit_since,
    in_session,
    last_audit_id,
    make_app,
    programme,
    snapshot,
)

EXAMPLES = [example for command in build_table() for example in command.examples]


def _as_handles(example: str, handles: dict[str, str]) -> str:
    for first, handle in handles.items():
        example = re.sub(rf"\b{first}\b", handle, example)
    return example


@pytest.fixture
def talk(db_url: str, engine: Engine, clock: FixedClock) -> Talk:
    return Talk(make_app(db_url, engine, clock, RAMPE_PSEUDONYM_KEY=PSEUDONYM_KEY))


def test_no_command_reaches_another_teams_citizen(talk: Talk) -> None:
    people = programme(talk)  # anna's Mette and Søren; bo is in another (sharing) team
    theirs = {people["mette"].id, people["soren"].id}
    handles = {"mette": people["mette"].handle or "", "søren": people["soren"].handle or ""}
    before = {cid: snapshot(talk.app, cid) for cid in theirs}
    mark = last_audit_id(talk.app)
    for example in EXAMPLES:
        by_name = talk(example, user="bo")
        assert not any(h in by_name for h in handles.values()), (example, by_name)
        assert "Kragelund" not in by_name and "Vestergaard" not in by_name, (example, by_name)
        typed = _as_handles(example, handles)
        if typed != example:
            by_handle = talk(typed, user="bo")
            assert "Kragelund" not in by_handle and "Vestergaard" not in by_handle, typed
    assert {cid: snapshot(talk.app, cid) for cid in theirs} == before
    bo = in_session(talk.app, lambda s: s.scalar(select(Staff.id).where(Staff.name_folded == "bo")))
    reached = [e for e in audit_since(talk.app, mark) if e.citizen_id in theirs]
    assert all(e.staff_id != bo for e in reached), [(e.action, e.detail) for e in reached]


def test_tampered_choice_answer_is_refused_and_audited(talk: Talk) -> None:
    people = programme(talk)
    talk.ok("/borger ny Mette Jensen", user="bo")
    talk.ok("/borger ny Mette Olsen", user="bo")
    assert "Hvilken borger" in talk("/log mette tlf aftalt møde", user="bo")
    target = people["mette"].id

    def tamper(session):  # type: ignore[no-untyped-def]
        session.execute(update(PendingChoice).values(candidate_ids=[target, target]))

    in_session(talk.app, tamper)
    before = snapshot(talk.app, target)
    mark = last_audit_id(talk.app)
    reply = talk("1", user="bo")
    assert "Kragelund" not in reply and str(people["mette"].handle) not in reply
    assert "Jeg kan ikke finde en borger" in reply
    assert snapshot(talk.app, target) == before
    events = audit_since(talk.app, mark)
    assert [(e.action, e.citizen_id) for e in events] == [("denied", target)]


def test_tampered_choice_cannot_add_a_measurement(talk: Talk) -> None:
    people = programme(talk)
    talk.ok("/borger ny Mette Jensen", user="bo")
    talk.ok("/borger ny Mette Olsen", user="bo")
    assert "Hvilken borger" in talk("/måling mette who5 64", user="bo")
    in_session(
        talk.app,
        lambda s: s.execute(update(PendingChoice).values(candidate_ids=[people["mette"].id])),
    )
    assert "Jeg kan ikke finde en borger" in talk("1", user="bo")
    assert len(snapshot(talk.app, people["mette"].id)["measurements"]) == 1


def test_same_name_warning_only_names_visible_citizens(talk: Talk) -> None:
    people = programme(talk)
    reply = talk("/borger ny Mette Kragelund", user="bo")
    assert "Oprettet" in reply and str(people["mette"].handle) not in reply
    own = talk("/borger ny Mette Kragelund", user="anna")
    assert f"samme navn ({people['mette'].handle})" in own


def test_store_queries_enforce_scope(talk: Talk) -> None:
    people = programme(talk, shares=False)
    talk.ok("/hjælp", user="carl")
    talk.ok("/team Team Nord tilføj @carl", user=ADMIN)
    mette = people["mette"].id

    def visible_to(name: str) -> tuple[bool, list[int]]:
        def work(session):  # type: ignore[no-untyped-def]
            staff = session.scalars(select(Staff).where(Staff.name_folded == name)).one()
            ids = list(session.scalars(select(Citizen.id).where(visible_citizens(session, staff))))
            return scoped_citizen(session, staff, mette) is not None, sorted(ids)

        return in_session(talk.app, work)

    assert visible_to("carl") == (False, [])  # same team, but it does not share
    assert visible_to("bo") == (False, [])
    assert visible_to("anna")[0] is True
    talk.ok("/rolle @carl teamleder", user=ADMIN)
    assert visible_to("carl") == (True, sorted([mette, people["soren"].id]))
    assert "Mette Kragelund" in talk("/borger mette", user="carl")
    assert "Mette Kragelund" not in talk("/borger mette", user="bo")


def test_team_that_shares_lets_colleagues_see_each_other(talk: Talk) -> None:
    programme(talk, shares=True)
    talk.ok("/hjælp", user="carl")
    assert "Mette Kragelund" not in talk("/borger mette", user="carl")
    talk.ok("/team Team Nord tilføj @carl", user=ADMIN)
    assert "Mette Kragelund" in talk("/borger mette", user="carl")
    talk.ok("/team Team Nord fjern @carl", user=ADMIN)
    assert "Mette Kragelund" not in talk("/borger mette", user="carl")


def test_admin_commands_are_refused_for_others(talk: Talk) -> None:
    programme(talk)
    for text in ("/rolle @bo admin", "/team ny Hemmeligt", "/team Team Syd tilføj @anna"):
        reply = talk(text, user="anna")
        assert "Kun en administrator" in reply, reply
    roles = in_session(
        talk.app, lambda s: dict(s.execute(select(Staff.name_folded, Staff.role)).all())
    )
    assert roles == {ADMIN: Role.ADMIN, "anna": Role.CONTACT, "bo": Role.CONTACT}
    assert "sidste administrator" in talk("/rolle @root kontaktperson", user=ADMIN)
    assert "Bo er nu administrator" in talk("/role @bo admin", user=ADMIN)
    assert "Root er nu kontaktperson" in talk("/rolle @root kontaktperson", user="bo")
    assert "Kun en administrator" in talk("/team", user=ADMIN)


def test_first_user_is_told_they_are_admin(talk: Talk) -> None:
    assert "første bruger og er derfor administrator" in talk("/hjælp", user="root")
    assert "administrator" not in talk("/hjælp", user="anna")
    events = in_session(talk.app, lambda s: list(s.scalars(select(AuditEvent))))
    assert events == []


def test_a_stale_name_cache_cannot_show_another_teams_citizen(talk: Talk) -> None:
    people = programme(talk)
    talk.ok("/borger ny Mette Jensen", user="bo")
    talk.ok("/borger ny Mette Olsen", user="bo")
    mette = people["mette"].id
    anna = people["mette"].owner_id

    def give(owner_name: str):  # type: ignore[no-untyped-def]
        def work(session):  # type: ignore[no-untyped-def]
            owner = session.scalars(select(Staff).where(Staff.name_folded == owner_name)).one()
            # Straight SQL, no directory bump: the name cache still thinks the old owner has her.
            session.execute(
                update(Citizen)
                .where(Citizen.id == mette)
                .values(owner_id=owner.id, team_id=owner.team_id)
            )

        return work

    in_session(talk.app, give("bo"))
    talk.app.directory.invalidate()
    talk("/borger mette", user="bo")  # the cache now lists three Mettes for bo
    talk("annuller", user="bo")
    in_session(talk.app, give("anna"))
    reply = talk("/borger mette", user="bo")
    assert "Mette Jensen" in reply and "Mette Olsen" in reply and "Kragelund" not in reply
    assert (
        in_session(
            talk.app, lambda s: s.scalar(select(Citizen.owner_id).where(Citizen.id == mette))
        )
        == anna
    )
