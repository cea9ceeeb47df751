"""One dialogue in the local chat, in Slack and in Teams: the same wording, the same rows."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from store.models import Citizen, Company, Contact, Measurement, Placement
from tests.conftest import Chat
from tests.support_slack import slack, slack_say  # noqa: F401
from tests.support_teams import cards, teams_say, teams_server, teams_settings  # noqa: F401

Say = Callable[[str], str]

DIALOGUE = [
    ("/borger ny Mette Hansen kommune:Silkeborg", "Oprettet: Mette Hansen (BBB-0001)"),
    ("/virksomhed ny Bilka Tilst", "Oprettet virksomhed: Bilka Tilst"),
    (
        "/log mette tlf i går 20m aftalte praktikbesøg",
        "Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min. "
        "Note: »aftalte praktikbesøg«.",
    ),
    (
        "praktik mette start @bilka fra 1/12 8 uger 10 t/uge",
        "Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst, fra 1/12, til 26/1 2027 "
        "(8 uger), 10 t/uge.",
    ),
    (
        "/måling mette who5 3 4 2 3 4 start",
        "Måling gemt: WHO-5 64 for Mette Hansen (BBB-0001) (start).",
    ),
    ("/borger mete", "Mette Hansen (BBB-0001)"),
    ("/log bob", "Jeg kan ikke finde en borger der hedder »bob« blandt dem du har adgang til. "
     "Opret borgeren med /borger ny <fulde navn>."),
    ("/caseload", "Dine aktive borgere (1):"),
    ("/status uge", "Status for alle borgere, uge 48 2026 (forrige: uge 47 2026):"),
    ("hvor mange er kommet i job i år?", "Forstået som: /jobrate i år"),
]  # fmt: skip


@pytest.fixture(params=["console", "slack", "teams"])
def say(request: pytest.FixtureRequest) -> Iterator[Say]:
    """Send a message as one person on one platform; the reply as text."""
    if request.param == "console":
        chat: Chat = request.getfixturevalue("chat")
        yield lambda text: chat(text, user="anna")
    elif request.param == "slack":
        server: Any = request.getfixturevalue("slack")
        yield lambda text: html.unescape(slack_say(server, "U1", text)[0])
    else:
        teams: Any = request.getfixturevalue("teams")
        yield lambda text: teams_say(teams, "anna", text)[0]


def stored(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What the dialogue stored, without ids, times or the platform it came from."""
    with Session(engine) as session:
        return {
            "citizens": [
                (c.handle, c.full_name, c.municipality, c.status, c.started_on)
                for c in session.scalars(select(Citizen))
            ],
            "companies": [(c.name,) for c in session.scalars(select(Company))],
            "contacts": [
                (c.form, c.occurred_on, c.minutes, c.note) for c in session.scalars(select(Contact))
            ],
            "placements": [
                (p.start_on, p.planned_end_on, p.hours_per_week)
                for p in session.scalars(select(Placement))
            ],
            "measurements": [(m.score, m.phase) for m in session.scalars(select(Measurement))],
        }


def test_the_same_dialogue_everywhere(say: Say, engine: Engine) -> None:
    for text, first_line in DIALOGUE:
        reply = say(text)
        assert reply.splitlines()[0] == first_line, (text, reply)
    assert stored(engine) == {
        "citizens": [("BBB-0001", "Mette Hansen", "Silkeborg", "active", date(2026, 12, 1))],
        "companies": [("Bilka Tilst",)],
        "contacts": [("phone", date(2026, 11, 22), 20, "aftalte praktikbesøg")],
        "placements": [(date(2026, 12, 1), date(2027, 1, 26), 10.0)],
        "measurements": [(64, "start")],
    }


# A form: its id, the citizen filled in (a handle) and that citizen's name as shown.
FormShown = tuple[str, str, str]
BARE = [
    ("/praktik mette start", ("praktik", "BBB-0001", "Mette Hansen (BBB-0001)")),
    ("/job start", ("job", "", "")),
    ("/log", ("log", "", "")),
]


def slack_form(server: Any, text: str) -> FormShown:
    """Type `text` as a slash command; the modal Slack was asked to open."""
    name, _, rest = text.partition(" ")
    opened = len(server.fake.of("views.open"))
    assert server.command(name, rest) == (200, "")
    view = server.fake.wait("views.open", opened + 1)[opened].args["view"]
    citizen = next(b for b in view["blocks"] if b["block_id"] == "citizen")["element"]
    chosen = citizen.get("initial_option") or {"value": "", "text": {"text": ""}}
    return view["callback_id"].removeprefix("rampe_form:"), chosen["value"], chosen["text"]["text"]


def teams_form(server: Any, text: str) -> FormShown:
    """Type `text` in the personal chat; the card form Teams was sent."""
    _, posts = teams_say(server, "anna", text)
    card = cards(posts[0])[0]
    citizen = next(i for i in card["body"] if i.get("id") == "citizen")
    value = citizen.get("value", "")
    label = next((c["title"] for c in citizen["choices"] if c["value"] == value), "")
    return card["actions"][0]["data"]["rampe_form"], value, label


@pytest.mark.parametrize("platform", ["console", "slack", "teams"])
def test_a_bare_command_asks_for_the_same_form_everywhere(
    platform: str, db_url: str, request: pytest.FixtureRequest
) -> None:
    """Slack opens a modal, Teams sends a card form, the console says what to type: each
    renders the same decision, made once in the conversation from the command table."""
    shown: list[FormShown] = []
    if platform == "console":
        chat: Chat = request.getfixturevalue("chat")
        chat("/borger ny Mette Hansen")
        for text, form in BARE:
            call = chat.reply(text).form  # type: ignore[attr-defined]
            shown.append(
                (call.form, call.values.get("citizen", ""), call.labels.get("citizen", ""))
            )
            assert f"Eksempel: /{form[0]}" in chat(text)  # no forms here: what to type
    elif platform == "slack":
        server: Any = request.getfixturevalue("slack")
        slack_say(server, "U1", "/borger ny Mette Hansen")
        shown = [slack_form(server, text) for text, _ in BARE]
    else:
        teams: Any = request.getfixturevalue("teams")
        teams_say(teams, "anna", "/borger ny Mette Hansen")
        shown = [teams_form(teams, text) for text, _ in BARE]
    assert shown == [form for _, form in BARE]
