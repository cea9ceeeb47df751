"""The Slack adapter's pure parts: signatures, Block Kit rendering, the manifest, pacing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core import Action, Reply, Section
from bot.platforms.slack_blocks import MESSAGE_BLOCKS, TEXT_LIMIT, escape, message, reply_blocks
from bot.platforms.slack_manifest import MANIFEST_PATH, manifest_text
from bot.platforms.slack_sender import Pacer
from bot.platforms.slack_signature import is_valid, signature
from bot.registry import build_table

ROOT = Path(__file__).resolve().parent.parent

# Slack's published example ("Verifying requests from Slack")
VECTOR_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
VECTOR_TS = "1531420618"
VECTOR_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
    b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
    b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    b"%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
    b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
VECTOR_SIG = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_slacks_published_signing_example() -> None:
    assert signature(VECTOR_SECRET, VECTOR_TS, VECTOR_BODY) == VECTOR_SIG
    headers = {"X-Slack-Request-Timestamp": VECTOR_TS, "X-Slack-Signature": VECTOR_SIG}
    assert is_valid(VECTOR_SECRET, headers, VECTOR_BODY, now=1531420618 + 299)
    assert not is_valid(VECTOR_SECRET, headers, VECTOR_BODY, now=1531420618 + 301)
    assert not is_valid(VECTOR_SECRET, headers, VECTOR_BODY + b"x", now=1531420618)
    assert not is_valid("another secret", headers, VECTOR_BODY, now=1531420618)


def test_malformed_headers_are_invalid_not_errors() -> None:
    base = {"X-Slack-Request-Timestamp": VECTOR_TS, "X-Slack-Signature": VECTOR_SIG}
    for bad in (
        {"X-Slack-Request-Timestamp": "abc"},
        {"X-Slack-Request-Timestamp": "9" * 5000},
        {"X-Slack-Request-Timestamp": "-1531420618"},
        {"X-Slack-Request-Timestamp": "１５３１４２０６１８"},  # full-width digits
        {"X-Slack-Signature": "v0=" + "é" * 64},
        {"X-Slack-Signature": VECTOR_SIG[:-1]},
        {"X-Slack-Signature": ""},
    ):
        assert not is_valid(VECTOR_SECRET, {**base, **bad}, VECTOR_BODY, now=1531420618)
    assert not is_valid(VECTOR_SECRET, {}, VECTOR_BODY, now=1531420618)


def test_user_text_is_plain_text_and_the_fallback_is_escaped() -> None:
    reply = Reply(
        "Note: <!channel> & <@U123> *fed*",
        sections=(Section(heading="<!here>", facts=(("Navn", "<#C1>"),), lines=("_x_",)),),
        actions=(Action("<!channel>", "1"),),
    )
    out = message(reply)
    assert out["text"] == "Note: &lt;!channel&gt; &amp; &lt;@U123&gt; *fed*"
    assert escape("a&b<c>d") == "a&amp;b&lt;c&gt;d"
    texts = []
    for block in out["blocks"]:
        texts += [block["text"]] if "text" in block else []
        texts += block.get("fields", [])
        texts += [e["text"] for e in block.get("elements", [])]
    assert texts and all(t["type"] == "plain_text" for t in texts)
    assert texts[0]["text"] == "Note: <!channel> & <@U123> *fed*"  # shown literally


def test_long_replies_are_split_and_capped_at_slacks_limits() -> None:
    lines = tuple(f"Borger {i:04d}: " + "x" * 80 for i in range(3000))
    blocks = reply_blocks(
        Reply("Mange", sections=(Section(lines=lines),), actions=(Action("Fortryd", "/fortryd"),)),
        more="mere",
    )
    assert len(blocks) == MESSAGE_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert blocks[-2] == {
        "type": "context",
        "elements": [{"type": "plain_text", "text": "mere", "emoji": False}],
    }
    assert all(len(b["text"]["text"]) <= TEXT_LIMIT for b in blocks if "text" in b)
    one = reply_blocks(Reply("y" * 7000))
    assert [len(b["text"]["text"]) for b in one] == [3000, 3000, 1000]


def test_the_committed_manifest_is_up_to_date() -> None:
    committed = (ROOT / MANIFEST_PATH).read_text(encoding="utf-8")
    assert committed == manifest_text(build_table()), "run `rampe slack-manifest` and commit"
    assert '- command: "/rampe"' in committed
    assert '- command: "/log"' in committed
    assert 'description: "Log en kontakt med en borger eller virksomhed"' in committed


def test_pacer_spaces_messages_per_channel() -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(1.0, clock=lambda: now[0], sleep=sleep)

    async def scenario() -> None:
        await pacer.wait("D1")
        await pacer.wait("D2")  # another channel: no wait
        now[0] += 0.25
        await pacer.wait("D1")
        await pacer.wait("D1")

    asyncio.run(scenario())
    assert waits == [0.75, 1.0]


def test_pacer_spreads_a_method_over_the_workspace_and_keeps_each_channel_apart() -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(1.0, {"chat.postMessage": 120}, clock=lambda: now[0], sleep=sleep)

    async def scenario() -> None:
        for channel in ("D1", "D2", "D3", "D1"):  # 120 a minute: one every half second
            await pacer.wait(channel)
        await pacer.wait("", "conversations.history")  # another method: its own limit (none)

    asyncio.run(scenario())
    assert waits == [0.5, 0.5, 0.5]
    assert now[0] == 101.5
