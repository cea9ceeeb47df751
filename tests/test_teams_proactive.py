"""Proactive Teams messages: the 1:1 conversation reference is stored in the database on first
contact and refreshed; TeamsSender uses it later from a fresh process state, and refuses a
reference whose serviceUrl is not allowed before any token is asked for."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import ErrorResponseException

from bot.core import Action, Recipient, Reply, Section
from bot.platforms.teams import ServiceUrlRefused
from tests.support_teams import (  # noqa: F401
    Loop,
    TeamsServer,
    activity,
    cards,
    fresh_sender,
    stored_recipient,
    teams_say,
    teams_server,
    teams_settings,
)


def test_the_reference_is_stored_on_first_contact_and_refreshed(
    teams: TeamsServer, db_url: str
) -> None:
    teams_say(teams, "anna", "/hjælp")
    address: dict[str, Any] = dict(stored_recipient(db_url).address or {})
    assert address["serviceUrl"] == teams.connector.url + "/"
    assert address["conversation"]["id"] == "a:personal-anna"
    assert address["user"]["aadObjectId"] == "aad-anna"
    assert "activityId" not in address  # it changes with every message
    moved: dict[str, Any] = activity(teams.connector.url, "/caseload")
    moved["conversation"]["id"] = "a:personal-anna-new"
    assert teams.post(moved) == 201
    refreshed: dict[str, Any] = dict(stored_recipient(db_url).address or {})
    assert refreshed["conversation"]["id"] == "a:personal-anna-new"


def test_proactive_delivery_through_the_stored_reference(teams: TeamsServer, db_url: str) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    recipient = stored_recipient(db_url)
    sender, credentials = fresh_sender(db_url)
    before = len(teams.connector.posts)
    loop = Loop()
    try:
        loop.run(sender.send(recipient, Reply("Husk opfølgning med Mette Hansen (BBB-0001)")))
        nudge = Reply("Opfølgninger i dag", sections=(Section(lines=("Mette Hansen (BBB-0001)",)),))
        loop.run(sender.send(recipient, nudge))
    finally:
        loop.close()
    text, card = teams.connector.posts[before:]
    assert text.path.startswith("/v3/conversations/a:personal-anna/activities")
    assert text.body["text"] == "Husk opfølgning med Mette Hansen (BBB-0001)"
    assert text.authorization == "Bearer test-token"  # the bot's token went to this host
    assert cards(card)[0]["body"][1]["text"] == "Mette Hansen (BBB-0001)"
    assert credentials.requests  # the sender asked Bot Framework's hook for credentials


def test_a_nudge_speaks_the_person_s_language_in_teams_own_words_too(
    teams: TeamsServer, db_url: str
) -> None:
    # Seven actions are more than a card shows as buttons: a list to choose from, labelled in
    # the language the person chose (the install's is Danish).
    teams_say(teams, "anna", "/sprog en")
    recipient = stored_recipient(db_url)
    assert recipient.language == "en"
    sender, _ = fresh_sender(db_url)
    before = len(teams.connector.posts)
    actions = tuple(Action(f"Option {n}", f"/help {n}") for n in range(7))
    loop = Loop()
    try:
        loop.run(sender.send(recipient, Reply("Follow-ups today", actions=actions)))
    finally:
        loop.close()
    (post,) = teams.connector.posts[before:]
    card = cards(post)[0]
    assert card["body"][-1]["label"] == "Choose what to do"
    assert card["actions"][0]["title"] == "Do it"


def test_a_reference_naming_a_foreign_host_is_refused_before_any_token(
    teams: TeamsServer, db_url: str
) -> None:
    teams_say(teams, "anna", "/hjælp")
    recipient = stored_recipient(db_url)
    assert recipient.address is not None
    sender, credentials = fresh_sender(db_url)
    before = len(teams.connector.posts)
    loop = Loop()
    try:
        for url in ("https://attacker.example/", "http://smba.trafficmanager.net/emea/"):
            forged = Recipient(
                **{**vars(recipient), "address": {**recipient.address, "serviceUrl": url}}
            )
            with pytest.raises(ServiceUrlRefused):
                loop.run(sender.send(forged, Reply("Husk opfølgning")))
        with pytest.raises(LookupError):
            loop.run(sender.send(Recipient(**{**vars(recipient), "address": None}), Reply("x")))
        assert credentials.requests == []  # no token was asked for
        assert len(teams.connector.posts) == before
        loop.run(sender.send(recipient, Reply("Husk opfølgning")))  # the allowed one goes out
    finally:
        loop.close()
    assert credentials.requests  # the allowed reference does get a token
    assert len(teams.connector.posts) == before + 1


def test_a_delivery_the_connector_refuses_raises(teams: TeamsServer, db_url: str) -> None:
    teams_say(teams, "anna", "/hjælp")
    teams.connector.blocked.add("a:personal-anna")
    sender, _ = fresh_sender(db_url)
    loop = Loop()
    try:
        with pytest.raises(ErrorResponseException, match="ConversationBlockedByUser"):
            loop.run(sender.send(stored_recipient(db_url), Reply("Husk opfølgning")))
    finally:
        loop.close()
    assert teams.connector.posts[-1].path.startswith("/v3/conversations/a:personal-anna/")
