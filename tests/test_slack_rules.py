"""What Slack checks and no schema or fake knows: built-in command names, the scope each Web API
method needs, and the options load URL the forms' external selects need over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from bot.forms import FORMS
from bot.platforms.slack import EVENTS_PATH
from bot.platforms.slack_manifest import BOT_EVENTS, BOT_SCOPES, build_manifest
from bot.platforms.slack_modals import form_view
from bot.platforms.slack_names import SLACK_BUILTIN_COMMANDS, slash_name
from bot.registry import build_table
from kernel.i18n import t
from tests.support_slack import SlackServer, reply_text, slack, slack_say

__all__ = ["slack"]

# The bot scope each Web API method Rampe calls needs (Slack's method reference); None: none.
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "views.open": None,
    "views.publish": None,
}
EVENT_SCOPES = {"message.im": "im:history", "app_home_opened": None}


def test_no_slash_command_is_one_of_slacks_own() -> None:
    commands = build_manifest(build_table())["features"]["slash_commands"]
    names = {c["command"].removeprefix("/") for c in commands}
    assert not names & SLACK_BUILTIN_COMMANDS
    assert {"status", "remind", "me", "dnd", "shrug"} <= SLACK_BUILTIN_COMMANDS
    status = build_table().find("status")
    assert status is not None and slash_name(status) == "statustal"
    assert all(len(c["command"]) <= 32 for c in commands)


def test_statustal_and_rampe_status_both_answer_the_status_report(slack: SlackServer) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    answers = []
    for command, text in (("/statustal", "år"), ("/rampe", "status år")):
        before = len(slack.fake.of("respond"))
        assert slack.command(command, text) == (200, "")
        answers.append(reply_text(slack.fake.wait("respond", before + 1)[before]))
    assert answers[0] == answers[1]
    assert t("da", "metric.referrals") in answers[0]


def test_every_web_api_method_rampe_calls_has_its_scope_in_the_manifest(
    slack: SlackServer,
) -> None:
    slack_say(slack, "U1", "/borger ny Mette Hansen")  # users.info, chat.postMessage
    assert slack.command("/rapport", "jobrate år xlsx") == (200, "")  # the file upload
    slack.fake.wait("files.completeUploadExternal")
    assert slack.command("/log") == (200, "")  # views.open
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    slack.fake.wait("views.publish")
    called = {c.method for c in slack.fake.calls if "/" not in c.method and ":" not in c.method}
    called -= {"respond", "upload"}
    assert called <= set(METHOD_SCOPES), f"a method without a known scope: {called}"
    needed = {METHOD_SCOPES[m] for m in called} | {EVENT_SCOPES[e] for e in BOT_EVENTS}
    needed |= {"commands"}  # slash commands and the message shortcut
    assert needed - {None} <= set(BOT_SCOPES)
    assert "files:write" in needed


def test_external_selects_have_an_options_load_url_that_answers(slack: SlackServer) -> None:
    def da(key: str, **params: object) -> str:
        return t("da", key, **params)

    external = [
        block
        for form in FORMS.values()
        for block in form_view(form, da)["blocks"]
        if block["element"]["type"] == "external_select"
    ]
    assert external  # the forms use them, so the manifest must say where options come from
    url = "https://rampe.example.org"
    interactivity = build_manifest(build_table(), url)["settings"]["interactivity"]
    assert interactivity["message_menu_options_url"] == url + EVENTS_PATH
    slack_say(slack, "U1", "/borger ny Mette Hansen")
    suggestion = {"type": "block_suggestion", "action_id": "citizen", "value": "met"}
    status, body = slack.interactive(suggestion)  # what Slack posts to that URL
    assert status == 200
    assert [o["value"] for o in json.loads(body)["options"]] == ["BBB-0001"]


def test_the_readme_names_every_command_slack_knows_by_another_name() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    slack_part = " ".join(readme[readme.index("## Slack") :].split())
    renamed = [(c.name, slash_name(c)) for c in build_table() if c.menu and slash_name(c) != c.name]
    assert ("måling", "maaling") in renamed and ("status", "statustal") in renamed
    for name, slash in renamed:
        assert f"`/{slash}` for `/{name}`" in slack_part, f"README: /{slash} for /{name}"
