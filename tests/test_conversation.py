"""The conversation's own policy, the same for every platform: one effect per delivered event,
and follow-ups reconciled by the dispatcher after each command that records a fact."""

from __future__ import annotations

import pytest

from bot.app import Rampe, Redeliver
from bot.core import Inbound, Platform
from store.models import Citizen
from tests.conftest import Chat
from tests.support import count
from tests.support_followups import open_keys


def test_a_redelivered_event_has_one_effect(app: Rampe) -> None:
    first = Inbound(Platform.SLACK, "U1", "/borger ny Mette Hansen", event_id="Ev1")
    reply = app.receive(first)
    assert reply is not None and reply.summary.startswith("Oprettet: Mette Hansen")
    with pytest.raises(Redeliver):  # Slack retried while the answer is being sent: later
        app.receive(first)
    app.replied(first)  # the adapter has sent it
    assert app.receive(first) is None  # Slack retried: nothing runs, nothing is answered
    assert count(app, Citizen) == 1
    elsewhere = Inbound(Platform.TEAMS, "anna", "/borger ny Søren Jensen", event_id="Ev1")
    assert app.receive(elsewhere) is not None  # the key is the platform and the event id
    assert app.receive(Inbound(Platform.CONSOLE, "bo", "/caseload")) is not None
    assert app.receive(Inbound(Platform.CONSOLE, "bo", "/caseload")) is not None  # no id
    assert count(app, Citizen) == 2


def test_follow_ups_follow_each_recording_command_without_being_read(
    chat: Chat, app: Rampe
) -> None:
    chat("/borger ny Mette Hansen henvist:20/11")
    assert open_keys(app) == {  # nobody has looked yet
        "referral:citizen:1:2026-11-20",
        "still_referred:citizen:1:2026-11-20",
    }
    chat("/log mette tlf i dag")
    assert open_keys(app, "referral") == set()  # the first contact answered it
    chat("/borger mette start 23/11")
    assert open_keys(app, "who5_start") == {"who5_start:citizen:1"}
    assert open_keys(app, "still_referred") == set()  # started: no longer "start or close?"
    chat("/fortryd")
    assert open_keys(app, "who5_start") == set()  # undoing the start takes its follow-ups back
    assert open_keys(app, "still_referred") == {"still_referred:citizen:1:2026-11-20"}
    assert chat("/caseload").startswith("Dine aktive borgere")
