"""Slack modals, type-ahead, the message shortcut, App Home and SlackSender, over real HTTP."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.core import Action, Platform, Recipient, Reply, Section
from bot.platforms.slack_sender import SlackSender
from bot.scheduler.delivery import recipient_for
from store.models import Contact, FollowUp, Placement, StaffIdentity
from tests.support_slack import SlackServer, block_texts, reply_text, slack, slack_say

__all__ = ["slack"]


def opened_view(server: SlackServer, n: int = 1) -> dict[str, Any]:
    view: dict[str, Any] = server.fake.wait("views.open", n)[n - 1].args["view"]
    return view


def submission(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A view_submission payload for `view` with `values` by field (already in Slack's shape)."""
    state = {name: {name: value} for name, value in values.items()}
    return {
        "type": "view_submission",
        "trigger_id": "t-submit",
        "view": {**view, "id": "V1", "state": {"values": state}},
    }


def selected(value: str, kind: str = "external_select") -> dict[str, Any]:
    return {
        "type": kind,
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def typed(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def setup_mette(server: SlackServer) -> None:
    slack_say(server, "U1", "/borger ny Mette Hansen")
    slack_say(server, "U1", "/virksomhed ny Bilka Tilst")


def test_log_modal_opens_suggests_and_submits(slack: SlackServer) -> None:
    setup_mette(slack)
    assert slack.command("/log") == (200, "")
    view = opened_view(slack)
    assert view["callback_id"] == "rampe_form:log"
    assert [b["block_id"] for b in view["blocks"]] == [
        "citizen",
        "form",
        "date",
        "duration",
        "company",
        "note",
    ]
    assert view["blocks"][0]["element"]["type"] == "external_select"
    assert view["blocks"][2]["element"]["type"] == "datepicker"
    status, body = slack.interactive(
        {
            "type": "block_suggestion",
            "action_id": "citizen",
            "block_id": "citizen",
            "value": "mete",
            "view": view,
        }
    )
    assert status == 200
    assert json.loads(body)["options"] == [
        {
            "text": {"type": "plain_text", "text": "Mette Hansen (BBB-0001)", "emoji": False},
            "value": "BBB-0001",
        }
    ]
    values = {
        "citizen": selected("BBB-0001"),
        "form": selected("phone", "static_select"),
        "date": {"type": "datepicker", "selected_date": "2026-11-22"},
        "duration": typed("20m"),
        "company": selected("1"),
        "note": typed("aftalte <!channel> besøg"),
    }
    assert slack.interactive(submission(view, values)) == (200, "")
    posted = slack.fake.wait("chat.postMessage", 3)[2]
    assert posted.args["channel"] == "DU1"
    assert "Logget: telefon med Mette Hansen (BBB-0001) hos Bilka Tilst i går 22/11" in reply_text(
        posted
    )
    with slack.rampe.unit_of_work() as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.note, contact.minutes, contact.company_id) == (
            "aftalte <!channel> besøg",
            20,
            1,
        )


def test_a_bad_submission_shows_errors_inline_and_stores_nothing(slack: SlackServer) -> None:
    setup_mette(slack)
    slack.command("/log")
    view = opened_view(slack)
    values = {
        "form": selected("phone", "static_select"),
        "duration": typed("5 dage"),
        "note": typed("cpr 010190-1234"),
    }
    status, body = slack.interactive(submission(view, values))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"citizen", "duration", "note"}
    assert answer["errors"]["citizen"] == "Skal udfyldes."
    with slack.rampe.unit_of_work() as session:
        assert session.scalars(select(Contact)).first() is None


def test_praktik_and_job_start_open_their_forms(slack: SlackServer) -> None:
    setup_mette(slack)
    slack.command("/praktik")
    view = opened_view(slack)
    assert view["callback_id"] == "rampe_form:praktik"
    values = {
        "citizen": selected("BBB-0001"),
        "company": selected("1"),
        "date": {"type": "datepicker", "selected_date": "2026-11-30"},
        "weeks": typed("8"),
        "hours": typed("10"),
    }
    assert slack.interactive(submission(view, values)) == (200, "")
    assert "Praktik startet" in reply_text(slack.fake.wait("chat.postMessage", 3)[2])
    slack.command("/rampe", "job start")
    assert opened_view(slack, 2)["callback_id"] == "rampe_form:job"
    with slack.rampe.unit_of_work() as session:
        assert session.scalars(select(Placement)).one().hours_per_week == 10


def test_message_shortcut_opens_log_with_the_message_as_note(slack: SlackServer) -> None:
    setup_mette(slack)
    shortcut: dict[str, Any] = {
        "type": "message_action",
        "callback_id": "rampe_log_message",
        "trigger_id": "t-short",
        "response_url": slack.response_url(),
        "channel": {"id": "C1"},
        "message_ts": "1.2",
        "message": {
            "type": "message",
            "user": "U2",
            "ts": "1.2",
            "text": "Mette ringede &lt;@U123&gt; om mødet",
        },
    }
    assert slack.interactive(shortcut)[0] == 200
    view = opened_view(slack)
    note = next(b for b in view["blocks"] if b["block_id"] == "note")
    assert note["element"]["initial_value"] == "Mette ringede <@U123> om mødet"
    long = {**shortcut, "message": {"type": "message", "user": "U2", "text": "x" * 2100}}
    slack.interactive(long)
    answer = slack.fake.wait("respond")[0]
    assert "Noten er 2100 tegn; højst 2000" in answer.args["text"]
    assert len(slack.fake.of("views.open")) == 1


def test_app_home_shows_caseload_follow_ups_due_and_the_week(slack: SlackServer) -> None:
    setup_mette(slack)
    slack_say(slack, "U1", "/log mette tlf i går")
    slack_say(slack, "U1", "/log mette møde i dag")
    now = slack.rampe.clock()
    with slack.rampe.unit_of_work() as session:
        for key, due in (("due", now - timedelta(days=1)), ("later", now + timedelta(days=3))):
            row = FollowUp(
                key=key,
                rule=f"rule_{key}",
                citizen_id=1,
                staff_id=1,
                due_at=due,
                state="due",
                created_at=now,
                updated_at=now,
            )
            session.add(row)
    assert (
        slack.event(
            {
                "type": "app_home_opened",
                "user": "U1",
                "channel": "DU1",
                "tab": "home",
                "event_ts": "1.1",
            }
        )[0]
        == 200
    )
    published = slack.fake.wait("views.publish")[0]
    assert published.args["user_id"] == "U1"
    texts = block_texts(published.args["view"]["blocks"])
    assert published.args["view"]["type"] == "home"
    assert texts[0] == "Rampe for Anna Berg"
    assert "Mine borgere" in texts
    assert any("Mette Hansen (BBB-0001)" in t and "seneste kontakt i dag" in t for t in texts)
    due_line = texts[texts.index("Opfølgninger der er forfaldne") + 1]
    assert "rule_due Mette Hansen (BBB-0001)" in due_line
    assert "rule_later" not in "\n".join(texts)
    week = texts[texts.index("Denne uge") + 1]
    assert week.splitlines() == ["Kontakter siden mandag 23/11: 1", "møde: 1"]


def test_slack_sender_posts_to_the_dm_and_honours_429(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/hjælp")  # U1 is staff; their DM channel is remembered
    slack.fake.fail_next("chat.postMessage", "0", "0")
    sender = SlackSender(slack.rampe)
    with slack.rampe.unit_of_work() as session:
        identity = session.scalars(select(StaffIdentity)).one()
        to = Recipient(identity.staff_id, Platform.SLACK, "U1", "T1", identity.address)
    nudge = Reply("Husk opfølgning med <!channel>", actions=(Action("Udsat", "/udsæt 1"),))
    slack.run(sender.send(to, nudge))
    posts = [c for c in slack.fake.calls if c.method == "chat.postMessage"][1:]
    assert [c.status for c in posts] == [429, 429, 200]
    assert posts[-1].args["channel"] == "DU1"
    assert posts[-1].args["text"] == "Husk opfølgning med &lt;!channel&gt;"
    assert sender.retry.waits == [0.0, 0.0]
    stranger = Recipient(99, Platform.SLACK, "U2", "T1", None)  # no address: opens the DM
    slack.run(sender.send(stranger, Reply("Hej")))
    slack.run(sender.close())
    assert slack.fake.of("conversations.open")[-1].args["users"] == "U2"
    assert slack.fake.of("chat.postMessage")[-1].args["channel"] == "DU2"


def test_the_sender_says_what_did_not_fit_in_the_persons_language(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/sprog en")
    with slack.rampe.unit_of_work() as session:
        identity = session.scalars(select(StaffIdentity)).one()
        to = recipient_for(identity.staff, {Platform.SLACK})  # as the scheduler finds them
    assert to is not None and to.language == "en"
    parts = tuple(Section(f"Part {n}", lines=("x",)) for n in range(60))  # over 50 blocks
    sender = SlackSender(slack.rampe)
    slack.run(sender.send(to, Reply("Follow-ups today", sections=parts)))
    slack.run(sender.close())
    last = slack.fake.of("chat.postMessage")[-1].args["blocks"][-1]
    assert last["elements"][0]["text"].startswith("… more than fits here")


def test_the_modal_speaks_the_persons_language(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/sprog en")
    assert slack.command("/log") == (200, "")
    view = opened_view(slack)
    assert view["title"]["text"] == "Log contact"
    assert view["blocks"][0]["label"]["text"] == "Citizen"


def test_a_bare_command_in_a_dm_offers_its_form_as_a_button(slack: SlackServer) -> None:
    setup_mette(slack)
    text, calls = slack_say(slack, "U1", "praktik mette start")
    assert text.startswith("Skriv hvilken virksomhed")  # what to type, as everywhere
    posted = next(c for c in calls if c.method == "chat.postMessage")
    assert slack.click(posted, "Udfyld formularen")[0] == 200
    view = opened_view(slack)  # a click brings the trigger a modal needs
    assert view["callback_id"] == "rampe_form:praktik"
    citizen = view["blocks"][0]["element"]["initial_option"]
    assert citizen == {
        "text": {"type": "plain_text", "text": "Mette Hansen (BBB-0001)", "emoji": False},
        "value": "BBB-0001",
    }


def test_a_file_sent_in_a_dm_is_not_opened(slack: SlackServer) -> None:
    slack.dm("", subtype="file_share", files=[{"id": "F1", "name": "cpr.xlsx"}])
    posted = slack.fake.wait("chat.postMessage")[0]
    assert reply_text(posted).startswith("Filer og billeder åbner jeg ikke.")
