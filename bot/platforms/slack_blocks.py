"""A `Reply` as Block Kit: user text shown literally, within Slack's limits.

Text goes into `plain_text` objects wherever Block Kit allows them, so `<!channel>`, `<@U123>`,
links and mrkdwn in a note are shown as typed and notify nobody. The one mrkdwn string Slack
insists on, a message's top-level `text` (notifications, screen readers), is escaped.
"""

from __future__ import annotations

from typing import Any

from bot.core import Reply, Section
from bot.platforms.slack_names import slack_spelling

TEXT_LIMIT = 3000  # a section's text
FIELD_LIMIT = 2000  # one of a section's fields
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
VALUE_LIMIT = 2000  # a button's value
FALLBACK_LIMIT = 3000  # a message's top-level text (Slack truncates at 40,000; we keep it short)
MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # a modal or the Home tab
FIELDS_PER_SECTION = 10
BUTTONS_PER_ACTIONS = 25
ACTION_ID = "rampe_cmd"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, limit: int = TEXT_LIMIT) -> dict[str, Any]:
    """A plain_text object (never parsed for mentions or formatting), cut to `limit`."""
    return {"type": "plain_text", "text": clip(text or " ", limit), "emoji": False}


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` split into pieces of at most `limit` characters, at line breaks where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def text_blocks(text: str) -> list[Block]:
    """Sections holding `text` as plain text, split to fit."""
    return [{"type": "section", "text": plain(piece)} for piece in chunks(text)]


def section_blocks(section: Section) -> list[Block]:
    """One `Section` of a reply: a heading, facts as fields, lines as plain text."""
    blocks: list[Block] = []
    if section.heading:
        blocks.append({"type": "header", "text": plain(section.heading, HEADER_LIMIT)})
    facts = [f"{label}: {value}" for label, value in section.facts]
    for start in range(0, len(facts), FIELDS_PER_SECTION):
        group = facts[start : start + FIELDS_PER_SECTION]
        blocks.append({"type": "section", "fields": [plain(f, FIELD_LIMIT) for f in group]})
    if section.lines:
        blocks.extend(text_blocks("\n".join(section.lines)))
    return blocks


def action_blocks(reply: Reply) -> list[Block]:
    """The reply's buttons; each carries the command that clicking it stands for."""
    buttons: list[Block] = []
    for i, action in enumerate(reply.actions):
        button: Block = {
            "type": "button",
            "action_id": f"{ACTION_ID}:{i}",
            "text": plain(action.label, BUTTON_LIMIT),
            "value": action.command[:VALUE_LIMIT],
        }
        if action.primary:
            button["style"] = "primary"
        buttons.append(button)
    return [
        {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_ACTIONS]}
        for start in range(0, len(buttons), BUTTONS_PER_ACTIONS)
    ]


def reply_blocks(reply: Reply, limit: int = MESSAGE_BLOCKS, more: str = "…") -> list[Block]:
    """The whole reply as blocks, at most `limit`; `more` marks what did not fit."""
    body = text_blocks(reply.summary)
    for section in reply.sections:
        body.extend(section_blocks(section))
    actions = action_blocks(reply)
    room = limit - len(actions)
    if len(body) > room:
        body = [*body[: room - 1], {"type": "context", "elements": [plain(more, 150)]}]
    return body + actions


def fallback_text(reply: Reply) -> str:
    """The message's top-level text (mrkdwn to Slack), escaped so it can ping nobody."""
    return escape(clip(reply.summary, FALLBACK_LIMIT))


def message(reply: Reply, more: str = "…") -> dict[str, Any]:
    """Arguments for chat.postMessage / response_url: fallback text and blocks."""
    reply = slack_spelling(reply)
    return {"text": fallback_text(reply), "blocks": reply_blocks(reply, more=more)}
