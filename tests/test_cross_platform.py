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
from tests.support_teams import teams_say, teams_server, teams_settings  # noqa: F401

Say = Callable[[str], str]

DIALOGUE = [
    ("/borger ny Mette Hansen kommune:Silkeborg", "Oprettet: Mette Hansen (BBB-0001)"),
    ("/virksomhed ny Bilka Tilst", "Oprettet virksomhed: Bilka Tilst"),
    (
        "/log mette tlf i går 20m aftalte praktikbesøg",
        "Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min. Note gemt (20 tegn).",
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
