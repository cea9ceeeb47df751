"""Report files in Teams through the file-consent flow, over real HTTP: a consent card with the
file's size (never its bytes), the file made again on accept as the same person and PUT into
the upload session the fake connector stands in for, a file info card after; decline, a
foreign upload host and a tampered card upload nothing, and every invoke is answered 200."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Attachment, Inbound, Platform, Reply
from bot.platforms.teams_hosts import host_patterns, url_allowed
from bot.platforms.teams_messages import outgoing
from kernel.i18n import t
from kernel.settings import Settings
from store.models import AuditEvent, Citizen
from tests.support import count
from tests.support_teams import (  # noqa: F401
    FILE_CONSENT,
    FILE_INFO,
    TENANT,
    TeamsServer,
    attachments_of,
    consent_invoke,
    deliver,
    posted_text,
    teams_say,
    teams_server,
    teams_settings,
)


def consent_card(teams: TeamsServer, text: str, **kw: Any) -> dict[str, Any]:
    """Ask for a report file as Anna; the one consent card her 1:1 chat receives."""
    _, posts = teams_say(teams, "anna", text, **kw)
    found = [a for p in posts for a in attachments_of(p, FILE_CONSENT)]
    assert len(found) == 1, posts
    return found[0]


def report_reads(app: Rampe) -> int:
    with app.unit_of_work() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.entity == "report"))
        return len(list(rows))


def typed_file(app: Rampe, text: str) -> Attachment:
    """The file Anna gets for `text` typed now (the same path a Teams message takes)."""
    inbound = Inbound(Platform.TEAMS, "aad-anna", text, workspace=TENANT, display_name="Anna")
    (file,) = app.handle(inbound).files
    return file


def test_a_report_file_comes_as_a_consent_card_with_its_size_and_no_bytes(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    text, posts = teams_say(teams, "anna", "/rapport jobrate år csv")
    assert text.startswith("Rapport klar: Jobrate")
    (card,) = attachments_of(posts[0], FILE_CONSENT)
    content = card["content"]
    assert card["name"] == "rampe-jobrate.csv"
    assert content["sizeInBytes"] == len(typed_file(app, "/rapport jobrate år csv").data)
    context = {"command": "/rapport jobrate år csv", "name": "rampe-jobrate.csv"}
    assert content["acceptContext"] == content["declineContext"] == context
    assert "rampe-jobrate.csv" in content["description"]
    assert "contentUrl" not in card and "Jobrate" not in str(content)  # nothing of the file
    xlsx = consent_card(teams, "/rapport status år xlsx")
    assert xlsx["name"] == "rampe-status.xlsx"
    assert xlsx["content"]["sizeInBytes"] > 1000  # a zip; its exact size is checked below


def test_the_card_gives_the_exact_size_of_the_file_it_offers() -> None:
    data = b"PK\x03\x04" + bytes(range(256)) * 7
    reply = Reply("Rapport klar", files=(Attachment("rampe-status.xlsx", "application/x", data),))
    (message,) = outgoing(reply, "en", "/rapport status år xlsx")
    (card,) = [a for a in message.attachments if a.content_type == FILE_CONSENT]
    assert card.content["sizeInBytes"] == len(data) == 1796
    assert card.content["description"].startswith("The report rampe-status.xlsx")


def test_accepting_uploads_the_file_made_again_now_and_shows_it(
    teams: TeamsServer, app: Rampe
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport status år xlsx")
    teams_say(teams, "anna", "/borger ny Søren Berg")  # after the card: the file must show it
    reads = report_reads(app)
    invoke = consent_invoke(teams.connector.url, card)
    (shown,) = deliver(teams, invoke, status=200)
    (upload,) = teams.connector.uploads
    size = len(upload.data)
    assert upload.path == "/upload/rampe-status.xlsx"
    assert upload.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}"
    assert "Authorization" not in upload.headers  # the bot's token never goes to an upload
    sheet = load_workbook(io.BytesIO(upload.data)).worksheets[0]
    assert sheet["A1"].value == "Status, alle borgere, 2026"
    assert [c.value for c in sheet[2]] == ["Tal", "Art", "2026", "2025"]
    assert [c.value for c in sheet[3]] == ["Nye henvisninger", None, 2, 0]  # made at accept
    assert report_reads(app) == reads + 1  # audited like a typed /rapport
    assert posted_text(shown) == "Filen rampe-status.xlsx ligger nu i din OneDrive."
    (info,) = attachments_of(shown, FILE_INFO)
    assert info["name"] == "rampe-status.xlsx"
    assert info["contentUrl"].endswith("/Documents/rampe-status.xlsx")
    assert info["content"] == {
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
        "fileType": "xlsx",
    }
    assert deliver(teams, invoke, status=200) == []  # delivered again: one upload, one card
    assert len(teams.connector.uploads) == 1


def test_declining_says_so_in_one_line_and_uploads_nothing(teams: TeamsServer, app: Rampe) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport jobrate år csv")
    reads = report_reads(app)
    (said,) = deliver(teams, consent_invoke(teams.connector.url, card, "decline"), status=200)
    assert posted_text(said) == (
        "Filen rampe-jobrate.csv er ikke sendt. Skriv /rapport jobrate år csv igen, "
        "når du vil have den."
    )
    assert teams.connector.uploads == [] and report_reads(app) == reads


@pytest.mark.parametrize(
    "url",
    ["http://localhost:{port}/upload/rampe-jobrate.csv", "https://attacker.example/upload/x"],
)
def test_an_upload_url_off_the_allowlist_gets_no_bytes(
    teams: TeamsServer, app: Rampe, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport jobrate år csv")
    reads = report_reads(app)
    port = teams.connector.url.rsplit(":", 1)[1]  # localhost reaches the fake, if it were let
    invoke = consent_invoke(teams.connector.url, card, upload_url=url.format(port=port))
    with caplog.at_level(logging.WARNING, logger="rampe.teams"):
        (said,) = deliver(teams, invoke, status=200)
    assert posted_text(said) == t("da", "teams.file_upload_refused", name="rampe-jobrate.csv")
    assert teams.connector.uploads == []
    assert report_reads(app) == reads  # refused before the file was even made
    host = "localhost" if "localhost" in url else "attacker.example"
    assert [r.getMessage() for r in caplog.records] == [
        f"Teams upload refused: host {host} is not on TEAMS_UPLOAD_HOSTS"
    ]


def test_a_tampered_card_runs_only_report_commands(teams: TeamsServer, app: Rampe) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport jobrate år csv")
    card["content"]["acceptContext"] = {"command": "/borger ny Ulla Ulv", "name": "x.csv"}
    (said,) = deliver(teams, consent_invoke(teams.connector.url, card), status=200)
    assert posted_text(said) == t("da", "teams.file_unknown")
    assert teams.connector.uploads == [] and count(app, Citizen) == 1


def test_a_file_that_cannot_be_made_again_is_not_sent(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport jobrate år csv")
    card["content"]["acceptContext"]["name"] = "rampe-jobrate.xlsx"  # not what the command makes
    (said,) = deliver(teams, consent_invoke(teams.connector.url, card), status=200)
    assert posted_text(said).startswith("Jeg kunne ikke lave filen rampe-jobrate.xlsx igen")
    assert teams.connector.uploads == []


def test_an_upload_the_session_refuses_is_reported(teams: TeamsServer) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")
    card = consent_card(teams, "/rapport jobrate år csv")
    teams.connector.upload_status = 500
    (said,) = deliver(teams, consent_invoke(teams.connector.url, card), status=200)
    assert posted_text(said).startswith("Filen rampe-jobrate.csv kunne ikke lægges i din OneDrive")
    assert attachments_of(said, FILE_INFO) == []
    assert len(teams.connector.uploads) == 1  # it was tried once


def test_a_report_asked_for_in_a_channel_brings_the_card_to_the_1to1_chat(
    teams: TeamsServer,
) -> None:
    teams_say(teams, "anna", "/borger ny Mette Hansen")  # the 1:1 reference is stored
    _, posts = teams_say(teams, "anna", "rapport jobrate år csv", channel=True)
    private, public = posts
    assert private.path.startswith("/v3/conversations/a:personal-anna/")
    (card,) = attachments_of(private, FILE_CONSENT)
    assert card["content"]["acceptContext"]["command"] == "rapport jobrate år csv"
    assert public.path.startswith("/v3/conversations/19:general")
    assert posted_text(public) == "Jeg har svaret dig i vores 1:1-chat."
    assert attachments_of(public, FILE_CONSENT) == []
    deliver(teams, consent_invoke(teams.connector.url, card), status=200)
    assert teams.connector.uploads[0].data.startswith(b"Tal,")  # the CSV header


def test_a_file_reached_by_a_numbered_choice_says_what_to_type() -> None:
    reply = Reply("Rapport klar", files=(Attachment("rampe-status.csv", "text/csv", b"Tal\n"),))
    (message,) = outgoing(reply, "da")  # no report command to make it again
    assert message.attachments is None
    assert message.text.splitlines() == [
        "Rapport klar",
        t("da", "teams.file_type_command", name="rampe-status.csv"),
    ]


def test_other_invokes_are_not_answered_as_file_consents(teams: TeamsServer) -> None:
    card = {"name": "x", "content": {"declineContext": {}}}
    body = consent_invoke(teams.connector.url, card, "decline")
    body["name"] = "task/fetch"
    assert deliver(teams, body, status=501) == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://contoso-my.sharepoint.com/personal/anna/_api/v2.0/drive/uploadSession?x=1", True),
        ("http://contoso-my.sharepoint.com/personal/anna/", False),  # health data over http
        ("https://sharepoint.com.attacker.example/", False),
        ("https://attacker.example/contoso.sharepoint.com/", False),
        ("https://contoso.sharepoint.com@attacker.example/", False),
        ("https://127.0.0.1/upload", False),  # loopback only when listed
        ("", False),
    ],
)
def test_by_default_files_go_only_to_sharepoint(url: str, allowed: bool) -> None:
    default = Settings.model_fields["teams_upload_hosts"].default
    assert url_allowed(url, host_patterns(default)) is allowed
