"""Report files in Teams: charts inline, xlsx/csv through the file-consent flow of a 1:1 chat.

Teams lets a bot send a file only after the person accepts a FileConsentCard; Teams then opens
an upload session in their OneDrive and hands its URL over in a `fileConsent/invoke`. No report
bytes are kept meanwhile (health data: store less): the card's context holds the command that
made the file and the file's name, and on accept the file is made again through `Rampe.handle`
as the same person, so scope and audit apply exactly as for a typed command. The bytes go only
to an upload URL on TEAMS_UPLOAD_HOSTS.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientSession, ClientTimeout
from botbuilder.schema import Activity, ActivityTypes, Attachment
from botbuilder.schema.teams import (
    FileConsentCard,
    FileConsentCardResponse,
    FileInfoCard,
    FileUploadInfo,
)
from botbuilder.schema.teams.additional_properties import ContentType

from bot import core
from bot.dispatch import split_command
from bot.platforms.teams_hosts import host_of, url_allowed
from kernel.i18n import t

if TYPE_CHECKING:
    from bot.app import Rampe

log = logging.getLogger("rampe.teams")
FILE_CONSENT_INVOKE = "fileConsent/invoke"
REPORT_COMMAND = "rapport"  # the one command whose replies carry files
MAX_CONTEXT = 500  # characters of a command or file name a card's context may hold
UPLOAD_SECONDS = 60


def plain_message(text: str, attachments: list[Attachment] | None = None) -> Activity:
    """A message whose text Teams shows as typed (never markdown), with any attachments."""
    return Activity(
        type=ActivityTypes.message, text=text, text_format="plain", attachments=attachments
    )


def file_attachments(
    files: tuple[core.Attachment, ...], lang: str, command: str, inline: bool = True
) -> tuple[list[Attachment], list[str]]:
    """The attachments for a reply's files and the lines to add to its text.

    A chart (PNG) travels inline (unless `inline` is False: a chart too large for a message is
    offered like any other file). Any other file becomes a consent card naming `command`, the
    report command that made it; without one (a numbered choice, a nudge) the reply says what
    to type to get the file.
    """
    attachments: list[Attachment] = []
    notes: list[str] = []
    for file in files:
        if file.mime == "image/png" and inline:
            attachments.append(inline_image(file))
        elif command:
            attachments.append(consent_card(file, command, lang))
        else:
            notes.append(t(lang, "teams.file_type_command", name=file.name))
    return attachments, notes


def inline_image(file: core.Attachment) -> Attachment:
    """A PNG chart as a data URL: Teams shows it in the message."""
    data = base64.b64encode(file.data).decode("ascii")
    return Attachment(
        content_type="image/png", content_url=f"data:image/png;base64,{data}", name=file.name
    )


def consent_card(file: core.Attachment, command: str, lang: str) -> Attachment:
    """A FileConsentCard for `file`: its size, and the command and name to make it again."""
    context = {"command": command, "name": file.name}
    card = FileConsentCard(
        description=t(lang, "teams.file_consent", name=file.name),
        size_in_bytes=len(file.data),
        accept_context=context,
        decline_context=context,
    )
    return Attachment(
        content_type=ContentType.FILE_CONSENT_CARD, content=card.serialize(), name=file.name
    )


def file_info_card(info: FileUploadInfo) -> Attachment:
    """The card that shows the uploaded file in the chat (open, preview, download)."""
    card = FileInfoCard(unique_id=info.unique_id, file_type=info.file_type)
    return Attachment(
        content_type=ContentType.FILE_INFO_CARD,
        content=card.serialize(),
        content_url=info.content_url,
        name=info.name,
    )


def is_report_command(rampe: Rampe, text: str) -> bool:
    """True if `text` runs the report command, so accepting its file can make it again."""
    name, _ = split_command(text)
    command = rampe.commands.find(name)
    return command is not None and command.name == REPORT_COMMAND


async def put_file(url: str, data: bytes) -> bool:
    """PUT the whole file into the upload session in one range, as Microsoft's sample does.

    No token goes with it (the session URL is its own authorisation), and no redirect is
    followed: the bytes go to the checked host or nowhere.
    """
    headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=UPLOAD_SECONDS)) as client,
            client.put(url, data=data, headers=headers, allow_redirects=False) as response,
        ):
            if response.status in (200, 201):
                return True
            log.warning("Teams upload failed: HTTP %s", response.status)
    except (ClientError, TimeoutError) as err:
        log.warning("Teams upload failed (%s)", type(err).__name__)
    return False


class FileConsent:
    """Answers a person's accept or decline of a file consent card."""

    def __init__(self, rampe: Rampe, upload_hosts: tuple[str, ...]) -> None:
        self.rampe = rampe
        self.upload_hosts = upload_hosts

    async def respond(self, value: object, inbound: core.Inbound, lang: str) -> Activity:
        """The message answering a `fileConsent/invoke` value (the caller answers the invoke)."""
        response = _consent_response(value)
        wanted = self.wanted_file(response.context if response else None)
        if response is None or wanted is None:
            return plain_message(t(lang, "teams.file_unknown"))
        command, name = wanted
        if response.action != "accept":
            return plain_message(t(lang, "teams.file_declined", name=name, command=command))
        return await self.accept(response.upload_info, replace(inbound, text=command), name, lang)

    def wanted_file(self, context: object) -> tuple[str, str] | None:
        """The (command, file name) a card's context names, if the command is a report's."""
        if not isinstance(context, dict):
            return None
        command, name = context.get("command"), context.get("name")
        if not isinstance(command, str) or not isinstance(name, str):
            return None
        if len(command) > MAX_CONTEXT or len(name) > MAX_CONTEXT:
            return None
        return (command, name) if is_report_command(self.rampe, command) else None

    async def accept(
        self, info: FileUploadInfo | None, inbound: core.Inbound, name: str, lang: str
    ) -> Activity:
        """Check the upload host, make the file again, upload it and show it; or say why not."""
        url = info.upload_url if info else None
        if info is None or not url or not url_allowed(url, self.upload_hosts):
            log.warning("Teams upload refused: host %s is not on TEAMS_UPLOAD_HOSTS", host_of(url))
            return plain_message(t(lang, "teams.file_upload_refused", name=name))
        file = await asyncio.to_thread(self.remake, inbound, name)
        if file is None:
            return plain_message(t(lang, "teams.file_gone", name=name, command=inbound.text))
        if not await put_file(url, file.data):
            return plain_message(
                t(lang, "teams.file_upload_failed", name=name, command=inbound.text)
            )
        return plain_message(t(lang, "teams.file_sent", name=name), [file_info_card(info)])

    def remake(self, inbound: core.Inbound, name: str) -> core.Attachment | None:
        """The file called `name` as the command makes it now, for the person asking."""
        reply = self.rampe.handle(inbound)
        return next((f for f in reply.files if f.name == name and f.data), None)


def _consent_response(value: object) -> FileConsentCardResponse | None:
    if not isinstance(value, dict):
        return None
    try:
        response: Any = FileConsentCardResponse.deserialize(value)
    except Exception:  # msrest's DeserializationError and friends: a malformed value
        return None
    return response if isinstance(response, FileConsentCardResponse) else None
