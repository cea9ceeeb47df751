"""Teams over real HTTP: Activity JSON posted to the running server, replies read at a fake
connector. Commands, card forms, ambiguity buttons, channels and literal text."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from botbuilder.schema import Activity
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Action, Inbound, Platform, Reply, Section, Tone
from bot.platforms.teams import to_inbound
from bot.platforms.teams_cards import escape, reply_card
from kernel.clock import FixedClock
from store.db import make_engine
from store.models import AuditEvent, Citizen, Contact, Job, Measurement, Placement, Staff
from tests.conftest import make_settings
from tests.support import count
from tests.support_teams import (  # noqa: F401
    FILE_CONSENT,
    Post,
    TeamsServer,
    activity,
    attachments_of,
    cards,
    deliver,
    posted_text,
    teams_say,
    teams_server,
    teams_settings,
)


def inputs(post: Post) -> dict[str, dict]:
    """The inputs of the card form in a posted reply, by id."""
    return {i["id"]: i for i in cards(post)[0]["body"] if i["type"].startswith("Input.")}


def errors_after(post: Post) -> dict[str, str]:
    """Field id -> the error TextBlock shown right after that input."""
    body = cards(post)[0]["body"]
    return {
        body[i - 1]["id"]: item["text"]
        for i, item in enumerate(body)
        if item.get("color") == "attention" and i and "id" in body[i - 1]
    }


def test_every_command_in_a_personal_chat(teams: TeamsServer, app: Rampe) -> None:
    text, posts = teams_say(teams, "anna", "/borger ny Mette Hansen")
    assert text.startswith("Oprettet: Mette Hansen (BBB-0001)")
    assert (
        posts[0].path
        == "/v3/conversations/a:personal-anna/activities/" + (posts[0].body["replyToId"])
    )
    assert cards(posts[0])[0]["actions"][0]["data"] == {"command": "/fortryd"}
    assert teams_say(teams, "anna", "virksomhed ny Bilka Tilst")[0].startswith(
        "Oprettet virksomhed: Bilka Tilst"
    )  # no leading slash
    text, _ = teams_say(teams, "anna", "log mette tlf i går 20m aftalte besøg")
    assert text.startswith("Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min.")
    assert "Forløb startet" in teams_say(teams, "anna", "/borger mette start")[0]
    assert (
        "Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst"
        in (teams_say(teams, "anna", "/praktik mette start @bilka fra 1/12 8 uger 10 t/uge")[0])
    )
    assert (
        "fleksjob hos Bilka Tilst"
        in teams_say(teams, "anna", "/job mette start @bilka fleksjob")[0]
    )
    assert "WHO-5 64" in teams_say(teams, "anna", "/måling mette who5 64 start")[0]
    assert "Mette Hansen (BBB-0001): aktiv" in teams_say(teams, "anna", "/caseload")[0]
    _, posts = teams_say(teams, "anna", "/borger mette")
    facts = next(i for i in cards(posts[0])[0]["body"] if i["type"] == "FactSet")["facts"]
    assert {"title": "Kontaktperson", "value": "Anna"} in facts
    assert "Bilka Tilst" in teams_say(teams, "anna", "/virksomhed bilka")[0]
    assert teams_say(teams, "anna", "/fortryd")[0].startswith("Fortrudt: din /måling")
    assert "udfald fleksjob" in teams_say(teams, "anna", "/afslut mette fleksjob")[0]
    assert "/caseload: " in teams_say(teams, "anna", "hjælp")[0]
    text, posts = teams_say(teams, "anna", "/sprog en")
    assert text == "I will answer in English now." and posts[0].body["textFormat"] == "plain"
    assert "Did you mean /log?" in teams_say(teams, "anna", "/lgo")[0]
    assert (count(app, Contact), count(app, Placement), count(app, Job)) == (1, 1, 1)
    assert count(app, Measurement) == 0  # undone
    with app.unit_of_work() as session:
        staff = session.scalars(select(Staff)).one()
        assert [(i.platform, i.workspace, i.external_id) for i in staff.identities] == [
            ("teams", "tenant-1", "aad-anna")
        ]


def test_log_alone_sends_a_card_form_of_my_own_citizens(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    teams_say(teams, "bo", "/borger ny Søren Berg")
    teams_say(teams, "anna", "/virksomhed ny Bilka Tilst")
    _, posts = teams_say(teams, "anna", "/log")
    form = inputs(posts[0])
    assert form["citizen"]["type"] == "Input.ChoiceSet"
    assert form["citizen"]["choices"] == [{"title": "Mette Hansen (BBB-0001)", "value": "BBB-0001"}]
    assert form["company"]["choices"] == [{"title": "Bilka Tilst", "value": "1"}]
    assert form["date"]["type"] == "Input.Date"
    assert form["note"]["isMultiline"] is True
    assert form["form"]["value"] == "meeting"
    assert cards(posts[0])[0]["actions"][0]["data"] == {"rampe_form": "log"}
    assert "Input.ChoiceSet" in str(teams_say(teams, "anna", "l")[1][0].body)  # the alias too


def test_a_valid_form_submit_stores_the_contact_literally(teams: TeamsServer, app: Rampe) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    note = "**fed** [link](https://x.example) - punkt\n1. ikke en liste <at>x</at>"
    value = {"rampe_form": "log", "citizen": "BBB-0001", "form": "phone", "date": "2026-11-22",
             "duration": "20m", "note": note}  # fmt: skip
    text, _ = teams_say(teams, "anna", value=value)
    assert text.startswith("Logget: telefon med Mette Hansen (BBB-0001) i går 22/11, 20 min.")
    with app.unit_of_work() as session:
        assert session.scalars(select(Contact.note)).one() == note
    _, posts = teams_say(teams, "anna", "/borger mette")
    (shown,) = [b["text"] for b in cards(posts[0])[0]["body"] if "fed" in b.get("text", "")]
    assert escape(note) in shown  # every markdown mark escaped: the card shows it literally
    assert "\\*\\*fed\\*\\* \\[link\\]" in shown and "\n1\\. ikke" in shown


def test_a_form_with_errors_comes_back_with_messages_beside_the_fields(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    value = {"rampe_form": "log", "citizen": "", "form": "dance", "date": "31/2",
             "duration": "5 dage", "note": "cpr 010190-1234"}  # fmt: skip
    _, posts = teams_say(teams, "anna", value=value)
    errors = errors_after(posts[0])
    assert set(errors) == {"citizen", "form", "date", "duration", "note"}
    assert errors["citizen"] == "Skal udfyldes."
    assert "CPR" in errors["note"]
    assert inputs(posts[0])["date"]["value"] == "31/2"  # what was typed stays in the form
    assert count(app, Contact) == 0


def test_a_tampered_card_naming_someone_elses_citizen_is_refused(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")  # anna is admin; bo is not
    teams_say(teams, "bo", "/hjælp")
    value = {"rampe_form": "log", "citizen": "BBB-0001", "form": "meeting"}
    _, posts = teams_say(teams, "bo", value=value)
    assert "BBB-0001" in errors_after(posts[0])["citizen"]
    assert inputs(posts[0])["citizen"]["type"] == "Input.Text"  # bo has no citizens to offer
    text, _ = teams_say(teams, "bo", value={"command": "/log BBB-0001 tlf"})
    assert "Mette" not in text and "Logget" not in text
    assert count(app, Contact) == 0
    text, _ = teams_say(teams, "bo", value={"rampe_form": "nope", "citizen": "BBB-0001"})
    assert text == "Den formular kender jeg ikke. Skriv /log for at få en ny."


def test_ambiguous_names_offer_buttons_whose_submit_stores_the_entry(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    teams_say(teams, "anna", "/borger ny Mette Jensen")
    text, posts = teams_say(teams, "anna", "/log mette tlf")
    buttons = cards(posts[0])[0]["actions"]
    assert [b["data"]["command"] for b in buttons] == ["1", "2", "annuller"]
    assert count(app, Contact) == 0
    pick = next(b for b in buttons if "Jensen" in b["title"])
    text, _ = teams_say(teams, "anna", value=pick["data"])
    assert text.startswith("Logget: telefon med Mette Jensen")
    with app.unit_of_work() as session:
        contact = session.scalars(select(Contact)).one()
        assert session.get(Citizen, contact.citizen_id).full_name == "Mette Jensen"  # type: ignore[union-attr]


def test_in_a_channel_citizen_replies_go_to_the_1to1_chat(teams: TeamsServer, app: Rampe) -> None:
    text, posts = teams_say(teams, "anna", "/borger mette", channel=True)
    assert "1:1-chat" in text and posts[0].path.startswith("/v3/conversations/19:general")
    assert count(app, AuditEvent) == 0  # nothing ran: no citizen was even looked up
    teams_say(teams, "anna", "/borger ny Mette Hansen")  # 1:1 first contact stores the reference
    text, posts = teams_say(teams, "anna", "borger mette", channel=True)
    private, public = posts
    assert private.path.startswith("/v3/conversations/a:personal-anna/")
    assert posted_text(private).startswith("Mette Hansen (BBB-0001)")
    assert public.path.startswith("/v3/conversations/19:general")
    assert posted_text(public) == "Jeg har svaret dig i vores 1:1-chat."
    assert "Mette" not in str(public.body)


def test_cards_read_like_the_plain_text_reply_and_escape_markdown() -> None:
    reply = Reply(
        "Mette *Hansen* (BBB-0001)\nBemærk: [x](y)",
        sections=(
            Section(facts=(("Note", "**fed** _kursiv_ {{DATE(2026-01-01T00:00:00Z)}}"),)),
            Section("Seneste", lines=("- punkt", "1. tal", "# overskrift", "a|b `kode` <b>")),
        ),
        actions=(Action("1. Mette", "1"), Action("Annuller", "annuller")),
        tone=Tone.QUESTION,
    )
    card = reply_card(reply)
    texts = [b.get("text", "") for b in card["body"]]
    assert texts[0] == "Mette \\*Hansen\\* (BBB-0001)"
    assert "\\- punkt" in texts and "1\\. tal" in texts and "\\# overskrift" in texts
    fact = card["body"][2]["facts"][0]["value"]
    assert fact == "\\*\\*fed\\*\\* \\_kursiv\\_ \\{\\{DATE(2026-01-01T00:00:00Z)\\}\\}"
    post = Post("/", {"attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                       "content": card}]}, None)  # fmt: skip
    assert posted_text(post) == reply.as_text()


DIALOGUE = (
    "/borger ny Mette Hansen",
    "/borger ny Mette Jensen",
    "/virksomhed ny Bilka Tilst",
    "/log mette tlf i går 20m aftalte *besøg*",
    "2",
    "/log hansen møde 1t30 @bilka",
    "/borger mette hansen",
    "/caseload",
    "/fortryd",
    "/hjælp log",
)


def test_the_same_dialogue_reads_and_stores_the_same_in_teams_and_the_local_chat(
    teams: TeamsServer, app: Rampe, sqlite_template: Path, tmp_path: Path, clock: FixedClock
) -> None:
    console_db = tmp_path / "console.db"
    shutil.copy(sqlite_template, console_db)
    url = f"sqlite:///{console_db}"
    engine = make_engine(url)
    console = Rampe(make_settings(url), engine=engine, clock=clock, upgrade=False)
    try:
        for line in DIALOGUE:
            typed = console.handle(Inbound(Platform.CONSOLE, "anna", line, display_name="Anna"))
            assert teams_say(teams, "anna", line)[0] == typed.as_text(), line
        assert contacts(app) == contacts(console) and len(contacts(app)) == 1
    finally:
        engine.dispose()


def contacts(rampe: Rampe) -> list[tuple[object, ...]]:
    with rampe.unit_of_work() as session:
        rows = session.execute(
            select(Citizen.handle, Contact.form, Contact.occurred_on, Contact.minutes, Contact.note)
            .join(Citizen, Contact.citizen_id == Citizen.id)
            .order_by(Contact.id)
        )
        return [tuple(row) for row in rows]


def test_a_channel_activity_becomes_an_inbound_without_the_bots_mention() -> None:
    body = activity("https://smba.trafficmanager.net/emea/", "borger mette", channel=True)
    body["text"] = "<at>Rampe</at>\xa0borger mette overdrag <at>Bo</at>"
    del body["conversation"]["tenantId"]  # Teams also says it in channelData
    inbound = to_inbound(Activity().deserialize(body))
    assert inbound.text == "borger mette overdrag @Bo"
    assert (inbound.platform, inbound.user_id, inbound.workspace) == (
        "teams",
        "aad-anna",
        "tenant-1",
    )
    assert inbound.channel.startswith("19:general") and inbound.display_name == "Anna"
    personal = to_inbound(Activity().deserialize(activity("https://x.example/", "/caseload")))
    assert (personal.text, personal.channel) == ("/caseload", "")


def test_a_reply_the_connector_refuses_is_logged_not_retried(
    teams: TeamsServer, app: Rampe, caplog: pytest.LogCaptureFixture
) -> None:
    teams.connector.blocked.add("a:personal-anna")
    body = activity(teams.connector.url, "/borger ny Mette Hansen")
    with caplog.at_level(logging.ERROR, logger="rampe.teams"):
        assert teams.post(body) == 201  # a 5xx would make Teams resend, and store it twice
    assert [r.getMessage() for r in caplog.records] == ["Teams turn failed: ErrorResponseException"]
    assert count(app, Citizen) == 1


def test_praktik_alone_sends_its_form_and_the_submit_starts_it(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    teams_say(teams, "anna", "/virksomhed ny Bilka Tilst")
    _, posts = teams_say(teams, "anna", "placement")  # the English name, no slash
    assert set(inputs(posts[0])) == {"citizen", "company", "date", "weeks", "hours"}
    assert cards(posts[0])[0]["actions"][0]["data"] == {"rampe_form": "praktik"}
    value = {"rampe_form": "praktik", "citizen": "BBB-0001", "company": "1", "weeks": "8",
             "hours": "10", "date": "2026-11-30"}  # fmt: skip
    text, _ = teams_say(teams, "anna", value=value)
    assert "Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst" in text
    assert count(app, Placement) == 1
    _, posts = teams_say(teams, "anna", "/praktik mette")  # with words it is the typed command
    assert "Input." not in str(posts[0].body)


def test_an_activity_delivered_twice_has_one_effect(teams: TeamsServer, app: Rampe) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    body = activity(teams.connector.url, "/log mette tlf")
    before = len(teams.connector.posts)
    assert teams.post(body) == 201
    assert teams.post(body) == 201  # the same id again, as a redelivery
    assert count(app, Contact) == 1
    assert len(teams.connector.posts) == before + 1


def test_a_chart_travels_inline_and_other_files_ask_for_consent(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    _, posts = teams_say(teams, "anna", "/rapport trivsel år png")
    (image,) = attachments_of(posts[0], "image/png")
    assert image["contentUrl"].startswith("data:image/png;base64,iVBOR")  # a PNG's signature
    assert attachments_of(posts[0], FILE_CONSENT) == []
    _, posts = teams_say(teams, "anna", "/rapport jobrate år csv")
    assert [a["name"] for a in attachments_of(posts[0], FILE_CONSENT)] == ["rampe-jobrate.csv"]


def test_a_file_sent_to_the_bot_is_not_opened_and_the_reply_says_what_to_type(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/hjælp")
    body = activity(teams.connector.url, user="anna")
    body["attachments"] = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "contentUrl": "https://contoso.sharepoint.com/personal/anna/notes.xlsx",
            "name": "notes.xlsx",
            "content": {"downloadUrl": "https://contoso.sharepoint.com/dl/1", "fileType": "xlsx"},
        },
        {"contentType": "text/html", "content": "<div></div>"},
    ]
    posts = deliver(teams, body)
    assert [posted_text(p) for p in posts] == [
        "Filer og billeder åbner jeg ikke. Skriv det, du vil registrere, som en kommando, fx "
        "/log mette tlf i går 20m. Et regneark med mange registreringer indlæses med rampe import."
    ]
    assert count(app, Contact) == 0
