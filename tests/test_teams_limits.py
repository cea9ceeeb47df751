"""Teams as it really is: 6 actions a card, type-ahead by `application/search`, indented
breakdowns, kept line breaks, 80 KB a message, and no unauthenticated public endpoint."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy import Engine

from bot.app import Rampe
from bot.core import Action, Reply, Section
from bot.platforms.server import build_web_app, platform_senders
from bot.platforms.teams_cards import MAX_ACTIONS, SUB_ROW
from bot.platforms.teams_messages import outgoing
from bot.platforms.teams_size import MESSAGE_LIMIT, utf16_size
from bot.scheduler.runner import sweep
from kernel.clock import FixedClock
from tests.conftest import make_settings
from tests.support_followups import cph
from tests.support_teams import (  # noqa: F401
    TeamsServer,
    activity,
    cards,
    teams_say,
    teams_server,
    teams_settings,
)


def _card(text: str, teams: TeamsServer, user: str = "anna") -> dict[str, Any]:
    _, posts = teams_say(teams, user, text)
    (card,) = cards(posts[-1])
    return card


def test_a_follow_up_list_beyond_six_buttons_is_one_dropdown_whose_choice_runs(
    teams: TeamsServer,
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    teams_say(teams, "anna", "/borger ny Søren Berg")
    teams_say(teams, "anna", "/påmind mette i dag ring om praktik")
    teams_say(teams, "anna", "/påmind søren i dag ring til jobcentret")
    card = _card("/opfølgning", teams)
    assert len(card["actions"]) <= MAX_ACTIONS
    (choice,) = [b for b in card["body"] if b["type"] == "Input.ChoiceSet"]
    commands = [c["value"] for c in choice["choices"]]
    assert len(commands) >= 8 and len(commands) % 4 == 0  # four for each item, none cut off
    done = next(c for c in commands if "udført" in c)
    text, _ = teams_say(teams, "anna", value={choice["id"]: done})  # what the submit sends
    assert text.startswith("Udført: #")


def test_a_morning_digest_with_many_items_fits_on_one_card(teams: TeamsServer) -> None:
    for name in ("Søren Jensen", "Mette Hansen", "Bo Berg", "Ida Holm"):
        teams_say(teams, "anna", f"/borger ny {name} henvist:2/11")  # not started: a nudge each
    before = len(teams.connector.posts)
    asyncio.run(sweep(teams.rampe, platform_senders(teams.rampe), cph(2026, 11, 24, 8, 30)))
    (digest,) = [p for p in teams.connector.posts[before:] if cards(p)]
    (card,) = cards(digest)
    (choice,) = [b for b in card["body"] if b["type"] == "Input.ChoiceSet"]
    assert len(choice["choices"]) >= 16  # four actions for each of the four, all offered
    assert len(card["actions"]) == 1  # Teams would have shown 6 of 16 buttons


def test_forms_search_every_citizen_and_company_as_you_type(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    for i in range(30):
        teams_say(teams, "anna", f"/virksomhed ny Firma {i:02d}")
    card = _card("/log", teams)
    fields = {b["id"]: b for b in card["body"] if "id" in b}
    assert fields["company"]["choices.data"] == {"type": "Data.Query", "dataset": "company"}
    assert fields["citizen"]["choices.data"]["dataset"] == "citizen"
    shown = {c["title"] for c in fields["company"]["choices"]}
    assert "Firma 29" not in shown  # beyond the first choices: only searching finds it
    status, answer = _search(teams, "company", "firma 29")
    assert status == 200
    assert answer["type"] == "application/vnd.microsoft.search.searchResponse"
    assert answer["value"]["results"][0]["title"] == "Firma 29"
    assert _search(teams, "citizen", "mete")[1]["value"]["results"] == [
        {"value": "BBB-0001", "title": "Mette Hansen (BBB-0001)"}
    ]
    assert _search(teams, "staff", "anna")[0] == 400  # only the two datasets exist


def _search(teams: TeamsServer, dataset: str, text: str) -> tuple[int, Any]:
    body = activity(teams.connector.url, user="anna")
    body.update(type="invoke", name="application/search")
    body["value"] = {"queryText": text, "dataset": dataset, "queryOptions": {"skip": 0, "top": 15}}

    async def post() -> tuple[int, Any]:
        async with (
            ClientSession() as client,
            client.post(f"{teams.url}/api/messages", json=body) as resp,
        ):
            raw = await resp.text()
            return resp.status, json.loads(raw) if raw else None

    return teams.loop.run(post())


def test_status_breakdown_rows_stay_indented_under_their_figure(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    teams_say(teams, "anna", "/log mette tlf i går")
    card = _card("/status år", teams)
    (facts,) = [b["facts"] for b in card["body"] if b["type"] == "FactSet"]
    titles = [f["title"] for f in facts]
    contacts = titles.index("Kontakter")
    assert titles[contacts + 1].startswith(SUB_ROW)  # telefon, under Kontakter
    assert not any(title.startswith((" ", "\u00a0")) for title in titles)  # Teams trims those


def test_a_note_of_several_lines_keeps_its_lines(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    note = "ringede kl. 9\naftalte møde\nhun var glad"
    value = {"rampe_form": "log", "citizen": "BBB-0001", "form": "phone", "date": "2026-11-22",
             "note": note}  # fmt: skip
    teams_say(teams, "anna", value=value)
    card = _card("/borger mette", teams)
    (shown,) = [b["text"] for b in card["body"] if "aftalte" in b.get("text", "")]
    assert "ringede kl. 9\n\naftalte møde\n\nhun var glad" in shown  # a paragraph each


def test_a_reply_beyond_80_kb_comes_in_messages_under_it() -> None:
    lines = tuple(
        f"#{i} Ingen kontakt for længe: Borger Nummer {i} (BN-{i:04d}), æøå" for i in range(4000)
    )
    actions = tuple(Action(f"Udført #{i}", f"/opfølgning udført {i}") for i in range(8))
    reply = Reply(
        "Mange opfølgninger", sections=(Section("Frister", lines=lines),), actions=actions
    )
    messages = outgoing(reply, "da")
    assert len(messages) > 1
    sizes = [utf16_size(m.serialize()) for m in messages]
    assert max(sizes) <= MESSAGE_LIMIT
    text = json.dumps([m.serialize() for m in messages], ensure_ascii=False)
    assert all(f"(BN-{i:04d})" in text for i in (0, 1999, 3999))  # nothing is lost
    assert "Mange opfølgninger" in json.dumps(messages[0].serialize(), ensure_ascii=False)
    assert [bool(m.attachments[0].content.get("actions")) for m in messages][-1]


def test_a_plain_text_beyond_80_kb_comes_in_messages_under_it_too() -> None:
    text = "Svar\n" + "\n".join(f"linje {i} æøå" for i in range(20_000))
    messages = outgoing(Reply(text), "da")
    assert len(messages) > 1
    assert max(utf16_size(m.serialize()) for m in messages) <= MESSAGE_LIMIT
    assert "linje 19999 æøå" in json.dumps(messages[-1].serialize(), ensure_ascii=False)


def test_the_fake_connector_refuses_a_message_beyond_80_kb_as_teams_does(
    teams: TeamsServer,
) -> None:
    async def post() -> int:
        url = f"{teams.connector.url}/v3/conversations/a:x/activities"
        async with ClientSession() as client, client.post(url, json={"text": "x" * 50_000}) as r:
            return r.status

    assert teams.loop.run(post()) == 413


@pytest.mark.parametrize(
    ("host", "starts"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
     ("", False), ("192.168.1.20", False), ("rampe.example.org", False)],
)  # fmt: skip
def test_unauthenticated_teams_starts_only_on_a_loopback_address(
    db_url: str, engine: Engine, clock: FixedClock, host: str, starts: bool
) -> None:
    settings = make_settings(db_url, TEAMS_ALLOW_UNAUTHENTICATED=True, RAMPE_HOST=host)
    rampe = Rampe(settings, engine=engine, clock=clock, upgrade=False)
    if starts:
        build_web_app(rampe)
        return
    with pytest.raises(RuntimeError, match="loopback"):
        build_web_app(rampe)
