"""Slack over real HTTP: signed requests into the running server, a fake Slack Web API."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from bot.core import Inbound, Platform
from bot.platforms.slack_sender import SlackSender
from bot.scheduler.runner import sweep
from kernel.clock import FixedClock
from store.models import Contact, InboundEvent, Staff, StaffIdentity
from tests.support_slack import (
    BOT_USER,
    SECRET,
    TEAM,
    SlackServer,
    delivery_key,
    reply_text,
    signed_headers,
    slack,
    slack_say,
)

__all__ = ["slack"]


def contacts(server: SlackServer) -> list[Contact]:
    with server.rampe.unit_of_work() as session:
        return list(session.scalars(select(Contact).order_by(Contact.id)))


def command(server: SlackServer, name: str, text: str = "", user: str = "U1") -> str:
    """Run a slash command; the ephemeral answer posted to its response_url."""
    before = len(server.fake.of("respond"))
    status, body = server.command(name, text, user)
    assert (status, body) == (200, "")  # acknowledged at once, with nothing for the channel
    answer = server.fake.wait("respond", before + 1)[before]
    assert answer.args["response_type"] == "ephemeral"
    return reply_text(answer)


def test_a_dm_creates_staff_from_users_info_and_answers_in_the_dm(slack: SlackServer) -> None:
    text, calls = slack_say(slack, "U1", "borger ny Mette Hansen")
    assert "Oprettet: Mette Hansen (BBB-0001)" in text
    assert [c.args["user"] for c in calls if c.method == "users.info"] == ["U1"]
    text, calls = slack_say(slack, "U1", "/log mette tlf i går 20m")
    assert "Logget: telefon med Mette Hansen (BBB-0001)" in text
    assert not [c for c in calls if c.method == "users.info"]  # known now
    with slack.rampe.unit_of_work() as session:
        staff = session.scalars(select(Staff)).one()
        assert staff.display_name == "Anna Berg"
        assert session.scalars(select(StaffIdentity)).one().address == {"channel": "DU1"}
    assert len(contacts(slack)) == 1


DIALOGUE = [
    ("/borger", "ny Mette Hansen", "Oprettet: Mette Hansen (BBB-0001)"),
    ("/virksomhed", "ny Bilka Tilst", "Oprettet virksomhed: Bilka Tilst"),
    ("/log", "mette tlf i går 20m aftalte besøg", "Logget: telefon med Mette Hansen"),
    ("/fortryd", "", "Fortrudt: din /log"),
    ("/praktik", "mette start @bilka fra 1/12 8 uger 10 t/uge", "Praktik startet"),
    ("/maaling", "mette who5 64 start", "Måling gemt: WHO-5 64"),
    ("/praktik", "mette slut job", "Praktik afsluttet"),
    ("/job", "mette start @bilka fleksjob 12 t/uge fra 1/12", "Job startet"),
    ("/caseload", "", "Dine aktive borgere (1)"),
    ("/rampe", "caseload", "Dine aktive borgere (1)"),
    ("/hjaelp", "", "Det kan jeg"),
    ("/rampe", "hjælp", "Det kan jeg"),
    ("/rampe", "", "Det kan jeg"),
    ("/afslut", "mette fleksjob", "Forløb afsluttet: Mette Hansen (BBB-0001)"),
]


def test_every_slash_command_answers_ephemerally(slack: SlackServer) -> None:
    for name, text, expected in DIALOGUE:
        assert expected in command(slack, name, text), (name, text)
    assert not slack.fake.of("chat.postMessage")  # nothing went to a channel


def test_help_names_commands_as_they_are_typed_in_slack(slack: SlackServer) -> None:
    """Slack has no `/status` of ours and no slash command with æ, ø or å: help and usage
    examples name `/statustal`, `/hjaelp`, `/opfolgning`, as a Slack user must type them."""
    overview = command(slack, "/hjaelp")
    assert "/statustal" in overview and "/hjaelp" in overview and "/opfolgning" in overview
    detail = command(slack, "/hjaelp", "status")
    usage = command(slack, "/maaling", "mette")
    for text in (overview, detail, usage):
        for unusable in ("/status ", "/hjælp", "/opfølgning", "/måling", "/help", "/påmind"):
            assert unusable not in text, (unusable, text)
    assert "/statustal" in detail and "/maaling" in usage


def test_dm_with_and_without_slash_and_the_bot_ignores_itself(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    # the bot's own message, a bot's, an edit: no answer (the next DM is answered first)
    slack.dm("log mette tlf", user=BOT_USER)
    slack.dm("log mette tlf", bot_id="B999")
    slack.dm("log mette tlf", subtype="message_changed")
    text, _ = slack_say(slack, "U1", "log mette møde")
    assert "Logget: møde med Mette Hansen" in text
    assert [c.form for c in contacts(slack)] == ["meeting"]
    assert all(c.args["channel"] == "DU1" for c in slack.fake.of("chat.postMessage"))


def test_ambiguous_name_buttons_store_on_click_and_fortryd_undoes(slack: SlackServer) -> None:
    command(slack, "/borger", "ny Mette Hansen")
    command(slack, "/borger", "ny Mette Jensen")
    question = command(slack, "/log", "mette tlf i går")
    assert "Hvilken borger mener du med »mette«?" in question
    assert contacts(slack) == []
    asked = slack.fake.of("respond")[-1]
    slack.click(asked, "Mette Jensen (BBB-0002)")
    answer = slack.fake.wait("respond", 4)[3]
    assert answer.args["replace_original"] is True
    assert "Logget: telefon med Mette Jensen (BBB-0002)" in reply_text(answer)
    assert [c.citizen_id for c in contacts(slack)] == [2]
    slack.click(answer, "Fortryd")
    undone = slack.fake.wait("respond", 5)[4]
    assert undone.args["replace_original"] is True
    assert "Fortrudt: din /log" in reply_text(undone)
    assert contacts(slack) == []


def test_the_same_event_four_times_has_one_effect(slack: SlackServer) -> None:
    gate = slack.fake.hold("chat.postMessage")  # the first delivery is still answering ...
    event = {
        "type": "message",
        "channel": "DU1",
        "user": "U1",
        "text": "/borger ny Mette Hansen",
        "ts": "1.1",
        "channel_type": "im",
    }
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(slack.event, event, "EvSame")
        slack.fake.wait("chat.postMessage:held")
        for retry in (1, 2):  # ... while Slack retries it: not answered yet, deliver again
            assert slack.event(event, "EvSame", retry=retry)[0] == 503
        gate.set()
        assert first.result()[0] == 200  # acknowledged once it was answered
    assert slack.event(event, "EvSame", retry=3)[0] == 200  # answered: nothing more to do
    text, _ = slack_say(slack, "U1", "/caseload")  # later traffic is still answered
    assert "Dine aktive borgere (1)" in text
    assert len(slack.fake.of("chat.postMessage")) == 2
    with slack.rampe.unit_of_work() as session:
        assert session.scalar(select(func.count(InboundEvent.id))) == 2
        assert session.scalar(select(func.count(Staff.id))) == 1


def test_a_retry_whose_original_never_arrived_is_processed(slack: SlackServer) -> None:
    event = {
        "type": "message",
        "channel": "DU1",
        "user": "U1",
        "text": "borger ny Mette Hansen",
        "ts": "1.1",
        "channel_type": "im",
    }
    assert slack.event(event, "EvLost", retry=1)[0] == 200
    posted = slack.fake.wait("chat.postMessage")[0]
    assert "Oprettet: Mette Hansen" in reply_text(posted)


def _bad_headers(body: bytes) -> dict[str, dict[str, str]]:
    now = str(int(time.time()))
    good = signed_headers(body)
    forged = signed_headers(body)
    forged["X-Slack-Signature"] = "v0=" + "0" * 64
    stale_ts = str(int(time.time()) - 301)
    return {
        "forged": forged,
        "other secret": {**good, "X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=x"},
        "stale": signed_headers(body, stale_ts),
        "timestamp abc": {**good, "X-Slack-Request-Timestamp": "abc"},
        "5000-digit timestamp": {**good, "X-Slack-Request-Timestamp": "9" * 5000},
        "non-ASCII signature": {**good, "X-Slack-Signature": "v0=" + "æ" * 64},
        "none": {},
    }


@pytest.mark.parametrize(
    "case",
    [
        "forged",
        "other secret",
        "stale",
        "timestamp abc",
        "5000-digit timestamp",
        "non-ASCII signature",
        "none",
    ],
)
def test_every_signature_failure_is_401_and_logs_no_body(
    slack: SlackServer, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fields = {
        "command": "/borger",
        "text": "ny Mette Hansen",
        "user_id": "U1",
        "team_id": "T1",
        "response_url": slack.response_url(),
        "trigger_id": "t",
    }
    body = urllib.parse.urlencode(fields).encode()
    headers = _bad_headers(body)[case] or {"X-Nothing": "1"}
    status, _ = slack.post(body, "application/x-www-form-urlencoded", headers)
    assert status == 401
    assert slack.post(body, "application/x-www-form-urlencoded")[0] == 200  # the same, signed
    slack.fake.wait("respond")
    assert "Mette" not in caplog.text
    assert SECRET not in caplog.text


def test_a_429_is_retried_after_retry_after(slack: SlackServer) -> None:
    slack.fake.fail_next("chat.postMessage", "0")
    text, calls = slack_say(slack, "U1", "/hjælp")
    assert "Det kan jeg" in text
    posts = [c.status for c in calls if c.method == "chat.postMessage"]
    assert posts == [429, 200]


def test_mentions_and_mrkdwn_in_a_note_are_inert(slack: SlackServer) -> None:
    command(slack, "/borger", "ny Mette Hansen")
    # Slack sends what a person typed with &, < and > as entities
    note = "&lt;!channel&gt; &lt;@U123&gt; *fed* &lt;https://x.dk|klik&gt; &amp; _kursiv_"
    command(slack, "/log", f"mette tlf -- {note}")
    assert contacts(slack)[0].note == "<!channel> <@U123> *fed* <https://x.dk|klik> & _kursiv_"
    command(slack, "/borger", "mette")
    card = slack.fake.of("respond")[-1]
    assert "<!channel> <@U123> *fed*" in reply_text(card)
    assert all(
        obj["type"] == "plain_text"
        for block in card.args["blocks"]
        for obj in [block.get("text"), *block.get("fields", [])]
        if obj
    )
    assert "<" not in card.args["text"]


def test_an_oversize_note_gets_a_clear_message(slack: SlackServer) -> None:
    command(slack, "/borger", "ny Mette Hansen")
    answer = command(slack, "/log", "mette tlf -- " + "x" * 2500)
    assert "Noten er 2500 tegn; højst 2000. Intet er gemt." in answer
    assert contacts(slack) == []


def test_unhandled_requests_are_acknowledged_without_logging_the_body(
    slack: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, _ = slack.event({"type": "reaction_added", "user": "U1", "reaction": "Mette Hansen"})
    assert status == 404  # bolt's answer for an event nobody listens to; Slack does not retry
    assert "Mette" not in caplog.text


def test_url_verification_is_answered(slack: SlackServer) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    status, answer = slack.post(body, "application/json")
    assert status == 200
    assert "abc123" in answer


def test_socket_mode_without_a_public_url(db_url: str, engine: Engine, clock: FixedClock) -> None:
    server = SlackServer(
        db_url, engine, clock, SLACK_APP_TOKEN="xapp-test", SLACK_SIGNING_SECRET=None
    )
    try:
        server.fake.wait("socket:hello")
        payload = {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/borger",
            "text": "ny Mette Hansen",
            "response_url": server.response_url(),
            "trigger_id": "t",
        }
        envelope = {
            "envelope_id": "E1",
            "type": "slash_commands",
            "payload": payload,
            "accepts_response_payload": True,
        }
        server.run(server.fake.socket_send(envelope))
        assert server.fake.wait("socket:ack")[0].args["envelope_id"] == "E1"
        assert "Oprettet: Mette Hansen (BBB-0001)" in reply_text(server.fake.wait("respond")[0])
        assert server.post(b"{}", "application/json")[0] == 404  # no HTTP endpoint without it
    finally:
        server.close()


def test_when_users_info_fails_the_new_staff_member_is_named_by_slack_id(
    slack: SlackServer,
) -> None:
    slack.fake.errors["users.info"] = "user_not_found"
    text, _ = slack_say(slack, "U2", "/hjælp")
    assert "Det kan jeg" in text
    with slack.rampe.unit_of_work() as session:
        assert session.scalars(select(Staff.display_name)).one() == "U2"


def test_listener_errors_are_logged_without_slacks_answer(
    slack: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    slack.fake.errors["chat.postMessage"] = "Mette Hansen is not in channel"
    slack.dm("/borger ny Mette Hansen")
    slack.fake.wait("chat.postMessage")
    slack.fake.errors.pop("chat.postMessage")
    slack_say(slack, "U1", "/hjælp")  # the failed listener has finished by now
    assert "SlackApiError" in caplog.text
    assert "Mette" not in caplog.text


def test_report_files_are_uploaded_into_the_dm(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    text = command(slack, "/rapport", "jobrate år csv")
    assert "jobrate" in text.casefold()
    complete = slack.fake.wait("files.completeUploadExternal")[0]
    assert json.loads(complete.args["files"])[0]["title"].endswith(".csv")
    assert complete.args["channel_id"] == "DU1"  # the person's DM, not the channel it was typed in
    (data,) = slack.fake.uploads.values()
    assert data.decode("utf-8").splitlines()[0]  # a CSV with a header line


def test_an_answer_recorded_by_a_worker_that_stopped_is_sent_once_by_the_redelivery(
    slack: SlackServer, clock: FixedClock
) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    event = {"type": "message", "channel": "DU1", "user": "U1", "text": "log mette tlf 20m",
             "ts": "2.1", "channel_type": "im"}  # fmt: skip
    # A worker recorded the message and its answer, then stopped before sending it.
    who = Inbound(Platform.SLACK, "U1", "log mette tlf 20m", workspace=TEAM, event_id="EvDied")
    assert slack.rampe.receive(who) is not None
    assert slack.event(event, "EvDied", retry=1)[0] == 503  # its lease has not run out
    clock.advance(seconds=slack.rampe.settings.reply_lease_seconds + 1)
    assert slack.event(event, "EvDied", retry=2)[0] == 200
    assert slack.event(event, "EvDied", retry=3)[0] == 200  # answered now: nothing more
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == 2 and "Logget: telefon med Mette Hansen" in reply_text(posts[1])
    assert slack.fake.of("conversations.history")  # it looked before posting again
    assert len(contacts(slack)) == 1
    with slack.rampe.unit_of_work() as session:
        kept = select(InboundEvent.reply).where(InboundEvent.event_id == "EvDied")
        assert session.scalar(kept) is None


def test_an_answer_never_delivered_again_is_sent_once_by_the_sweep(
    slack: SlackServer, clock: FixedClock
) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    # A worker recorded the message and its answer, then stopped; Slack gave up redelivering.
    who = Inbound(Platform.SLACK, "U1", "log mette tlf 20m", workspace=TEAM, event_id="EvGone")
    assert slack.rampe.receive(who) is not None

    def swept() -> list[str]:
        asyncio.run(sweep(slack.rampe, {Platform.SLACK: SlackSender(slack.rampe)}, clock()))
        posted = slack.fake.of("chat.postMessage")
        return [reply_text(c) for c in posted if delivery_key(c) == "reply:EvGone"]

    assert swept() == []  # within the lease: its worker may still be sending it
    clock.advance(seconds=slack.rampe.settings.reply_lease_seconds + 1)
    [sent] = swept()
    assert "Logget: telefon med Mette Hansen" in sent
    clock.advance(seconds=slack.rampe.settings.reply_lease_seconds + 1)
    assert len(swept()) == 1  # sent: the next sweep has nothing to send
    event = {"type": "message", "channel": "DU1", "user": "U1", "text": "log mette tlf 20m",
             "ts": "3.1", "channel_type": "im"}  # fmt: skip
    assert slack.event(event, "EvGone", retry=3)[0] == 200  # a late redelivery: nothing more
    assert len(swept()) == 1 and len(contacts(slack)) == 1
