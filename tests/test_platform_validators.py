"""The platforms' own validators on what Rampe sends, and proof that each one can fail.

Every card sent in any Teams test is also validated when its server stops
(`support_teams.check_cards`); every Slack payload is checked against Slack's limits when its
server stops (`support_slack.limit_problems`).
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bot.core import Action, Reply, Section
from bot.forms import FORMS
from bot.platforms.slack_manifest import build_manifest
from bot.platforms.slack_modals import form_view, suggestion_options
from bot.platforms.teams_cards import form_card, reply_card
from bot.platforms.teams_package import manifest as teams_manifest
from bot.registry import build_table
from kernel.i18n import t
from tests import support_validators as validators
from tests.support_slack import SlackServer, limit_problems, slack, slack_payloads, slack_say

__all__ = ["slack"]
APP_ID = "00000000-0000-0000-0000-0000000000b2"


@pytest.fixture(autouse=True)
def _installed() -> None:
    validators.require()


def test_the_teams_manifest_passes_the_schema_of_its_declared_version() -> None:
    manifest = teams_manifest(build_table(), APP_ID, "https://example.org/rampe")
    assert validators.teams_manifest_errors(manifest) == []


@pytest.mark.parametrize(
    "breakage",
    ["app id not a GUID", "eleven commands", "no bots", "unknown manifest version"],
)
def test_the_teams_manifest_validator_fails_on_a_broken_manifest(breakage: str) -> None:
    manifest = teams_manifest(build_table(), APP_ID, "https://example.org/rampe")
    if breakage == "app id not a GUID":
        manifest["id"] = "abc"
    elif breakage == "eleven commands":
        menu = manifest["bots"][0]["commandLists"][0]["commands"]
        menu.extend([{"title": f"c{i}", "description": "d"} for i in range(11 - len(menu))])
    elif breakage == "no bots":
        manifest["bots"] = [{"scopes": ["personal"]}]
    else:
        manifest["manifestVersion"] = "0.9"
    assert validators.teams_manifest_errors(manifest) != []


def _replies() -> list[Reply]:
    many = tuple(Action(f"Udført #{i}", f"/opfølgning udført {i}", i == 0) for i in range(20))
    sections = (Section("Status", facts=(("Kontakter", "3"), ("  Telefon", "2"))),)
    return [
        Reply("Svar", sections=sections),
        Reply("Mange", sections=(Section(lines=("#1 a", "#2 b")),), actions=many),
        Reply("Noter", sections=(Section(lines=("linje 1\nlinje 2",)),)),
        Reply("Få", actions=many[:6]),
    ]


def _form_cards() -> list[dict[str, Any]]:
    options = {"citizen": [("BBB-0001", "Mette Hansen (BBB-0001)")], "company": [("1", "Bilka")]}
    return [form_card(form, "da", options) for form in FORMS.values()]


def test_every_kind_of_card_rampe_sends_is_valid_with_teams_limits() -> None:
    cards = [reply_card(r, "da") for r in _replies()] + _form_cards()
    assert validators.card_errors(cards) == [[] for _ in cards]


@pytest.mark.parametrize("breakage", ["seven buttons", "unknown element", "required, no label"])
def test_the_card_validator_fails_on_a_broken_card(breakage: str) -> None:
    card = reply_card(Reply("Svar", actions=(Action("Ok", "/hjælp"),)), "da")
    if breakage == "seven buttons":
        card["actions"] = card["actions"] * 7
    elif breakage == "unknown element":
        card["body"].append({"type": "Text.Block", "text": "x"})
    else:
        card["body"].append({"type": "Input.Text", "id": "note", "isRequired": True})
    (errors,) = validators.card_errors([card])
    assert errors


DIALOGUE = (
    "/borger ny Mette Hansen", "/log mette tlf i går 20m ring\nigen", "/borger mette", "/hjælp",
    "/opfølgning", "/status år borgere", "/jobrate år", "/caseload",
)  # fmt: skip


def _slack_payloads(server: SlackServer) -> list[validators.SlackPayload]:
    for text in DIALOGUE:
        slack_say(server, "U1", text)

    def da(key: str, **params: object) -> str:
        return t("da", key, **params)

    views = [("form:" + f.id, "view", form_view(f, da)) for f in FORMS.values()]
    options = [("options", "options", {"options": suggestion_options([("BBB-0001", "Mette")])})]
    sent = slack_payloads(server.fake.calls)
    return [("manifest", "manifest", build_manifest(build_table())), *views, *options, *sent]


def test_the_slack_manifest_and_every_payload_type_check_against_slacks_types(
    slack: SlackServer,
) -> None:
    payloads = _slack_payloads(slack)
    assert len(payloads) > 10
    assert validators.slack_type_errors(payloads) == {}
    assert limit_problems(payloads) == []


def test_the_slack_type_check_fails_on_a_broken_manifest_and_broken_blocks() -> None:
    manifest = build_manifest(build_table())
    bad_scope = copy.deepcopy(manifest)
    bad_scope["oauth_config"]["scopes"]["bot"].append("files:upload")
    bad_key = copy.deepcopy(manifest)
    bad_key["settings"]["interactivity"]["options_url"] = "https://example.org"
    block = {"type": "section", "text": {"type": "plain_text", "text": "x"}}
    payloads: list[validators.SlackPayload] = [
        ("bad scope", "manifest", bad_scope),
        ("bad key", "manifest", bad_key),
        ("bad block", "message", {"text": "x", "blocks": [{**block, "type": "sektion"}]}),
        ("bad text", "message", {"text": "x", "blocks": [{**block, "text": {"type": "html"}}]}),
        ("good", "message", {"text": "x", "blocks": [block]}),
    ]
    errors = validators.slack_type_errors(payloads)
    assert sorted(errors) == ["bad block", "bad key", "bad scope", "bad text"]


def test_slacks_limits_fail_on_a_message_beyond_them() -> None:
    section = {"type": "section", "text": {"type": "plain_text", "text": "x" * 3001}}
    buttons = {"type": "actions", "elements": [{"type": "button"}] * 26}
    payloads: list[validators.SlackPayload] = [
        ("long", "message", {"text": "x", "blocks": [section]}),
        ("many", "message", {"text": "x", "blocks": [{"type": "divider"}] * 51}),
        ("buttons", "message", {"text": "x", "blocks": [buttons]}),
    ]
    assert len(limit_problems(payloads)) == 3
    assert json.dumps(payloads)  # plain data, as the validators get it


def test_the_tsc_command_itself_accepts_the_manifest_and_refuses_a_broken_one() -> None:
    manifest = build_manifest(build_table())
    broken = copy.deepcopy(manifest)
    broken["oauth_config"]["scopes"]["bot"].append("files:upload")
    with tempfile.TemporaryDirectory(dir=validators.TOOLS) as work:
        good = validators.tsc([("manifest", "manifest", manifest)], Path(work))
        bad = validators.tsc([("manifest", "manifest", broken)], Path(work))
    assert good.returncode == 0, good.stdout
    assert bad.returncode != 0 and "files:upload" in bad.stdout
