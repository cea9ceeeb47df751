"""A `Reply` as the Teams messages that carry it: cards or plain text, each within Teams' size
limit, with its files (no Bot Framework turn logic here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from bot.core import Reply, Section
from bot.platforms.teams_cards import needs_card, reply_card
from bot.platforms.teams_files import file_attachments, plain_message
from bot.platforms.teams_size import ENVELOPE, MESSAGE_LIMIT, split_reply, utf16_size
from kernel.i18n import t

SEARCH_RESPONSE = "application/vnd.microsoft.search.searchResponse"
LIMIT = MESSAGE_LIMIT - ENVELOPE


def outgoing(reply: Reply, lang: str = "da", command: str = "") -> list[Activity]:
    """A Reply as Teams messages: an Adaptive Card when it has structure, else plain text; a
    reply too large for one message comes as several, the first saying so.

    Its files go with the last: a chart (PNG) inline when it fits, else like a report file
    (xlsx, csv): a FileConsentCard whose context names `command`, the report command that made
    it, and the file's name, never its bytes. When the person accepts, Teams opens an upload
    session in their OneDrive and `FileConsent` makes the file again as them and uploads it.
    Without a report command to make it again, the reply says what to type to get the file.
    """
    if not needs_card(reply) and utf16_size(plain_message(reply.summary).serialize()) > LIMIT:
        head, _, rest = reply.summary.partition("\n")  # a huge plain text: a card of its lines
        reply = replace(reply, summary=head, sections=(Section(lines=tuple(rest.splitlines())),))
    pieces = split_reply(reply, lambda r: reply_card(r, lang)) if needs_card(reply) else [reply]
    if len(pieces) > 1:
        notice = Section(lines=(t(lang, "teams.more_parts", count=len(pieces)),))
        pieces[0] = replace(pieces[0], sections=(*pieces[0].sections, notice))
    messages = [_message(piece, lang) for piece in pieces[:-1]]
    last = _with_files(pieces[-1], reply, lang, command, inline=True)
    if utf16_size(last.serialize()) > MESSAGE_LIMIT:
        last = _with_files(pieces[-1], reply, lang, command, inline=False)
    return [*messages, last]


def _message(reply: Reply, lang: str) -> Activity:
    if needs_card(reply):
        return card_message(reply_card(reply, lang), reply.summary)
    return plain_message(reply.summary)


def _with_files(piece: Reply, reply: Reply, lang: str, command: str, inline: bool) -> Activity:
    message = _message(piece, lang)
    attachments, notes = file_attachments(reply.files, lang, command, inline)
    if attachments:
        message.attachments = [*(message.attachments or []), *attachments]
    if notes:
        message.text = "\n".join([message.text, *notes] if message.text else notes)
    return message


def card_message(card: dict[str, Any], summary: str) -> Activity:
    """A message carrying one Adaptive Card; `summary` is what notifications show."""
    message = MessageFactory.attachment(CardFactory.adaptive_card(card))
    message.summary = summary.splitlines()[0] if summary else ""
    return message


def search_response(pairs: list[tuple[str, str]], skip: int, count: int) -> dict[str, Any]:
    """The answer to Teams' `application/search` invoke: (value, label) pairs as choices."""
    results = [{"value": value, "title": label} for value, label in pairs[skip : skip + count]]
    return {"type": SEARCH_RESPONSE, "value": {"results": results}}
