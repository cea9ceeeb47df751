"""The neutral shapes that flow through the bot: `Inbound` in, `Reply` out.

Platform adapters turn a Slack, Teams or console message into an `Inbound` and render a
`Reply` as Block Kit, an Adaptive Card or plain text. Nothing here knows a platform.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Platform(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    TEAMS = "teams"


@dataclass(frozen=True)
class Inbound:
    """One message from a person: who wrote what, where."""

    platform: Platform
    user_id: str  # the platform's id for the person (Slack user id, Teams AAD id, console name)
    text: str
    workspace: str = ""  # Slack team id, Teams tenant id, empty for the console
    display_name: str = ""  # the person's name as the platform knows it, used on first contact
    channel: str = ""  # where it was written; replies about citizens never go to a channel
    # The platform's id for this delivery (Slack event id, Teams conversation/activity id):
    # a platform may deliver the same event again, and it must have its effect once.
    event_id: str = ""
    files: int = 0  # files or pictures sent with the text; Rampe never opens them


class Tone(StrEnum):
    OK = "ok"
    INFO = "info"
    QUESTION = "question"
    ERROR = "error"


@dataclass(frozen=True)
class Action:
    """A button. Clicking it is the same as typing `command` as the next message."""

    label: str
    command: str
    primary: bool = False


@dataclass(frozen=True)
class Section:
    """A block of a reply: an optional heading, label/value facts and plain lines."""

    heading: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a report as xlsx/csv, a PNG chart)."""

    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class FormCall:
    """A form to open in place of a reply: its id, the values to fill in, for a choice field
    (a citizen, a company) the label that goes with its value, and the command that asks for
    this form again (a button's, where a platform cannot open the form right away)."""

    form: str
    values: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    command: str = ""


@dataclass(frozen=True)
class Reply:
    """What the bot answers. User text inside it is literal; adapters escape it."""

    summary: str
    sections: tuple[Section, ...] = ()
    actions: tuple[Action, ...] = ()
    tone: Tone = Tone.INFO
    private: bool = True  # visible only to the person asking
    # Unprompted messages only: the same key is the same message, so a sender may drop a repeat.
    delivery_key: str = ""
    files: tuple[Attachment, ...] = ()  # the console writes them to ./out/; Slack/Teams upload
    # A command typed bare asks for its form: a platform with forms opens this one instead,
    # the console shows the reply (what to type).
    form: FormCall | None = None
    # Sent before by a worker that stopped before it could tell: it may have got through.
    resent: bool = False

    def as_text(self) -> str:
        """The reply as plain text, the form the console and dialogue tests read."""
        out = [self.summary]
        for section in self.sections:
            if section.heading:
                out.append(f"{section.heading}:")
            width = max((len(label) for label, _ in section.facts), default=0)
            out.extend(f"  {label.ljust(width)}  {value}" for label, value in section.facts)
            out.extend(f"  {line}" for line in section.lines)
        if self.actions:
            out.append("  ".join(f"[{a.label}]" for a in self.actions))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.as_text()

    def to_json(self) -> str:
        """The reply as JSON text, to keep until it is sent (`Reply.from_json` reads it)."""
        data = asdict(self)
        del data["resent"]
        data["files"] = [
            {**f, "data": base64.b64encode(f["data"]).decode("ascii")} for f in data["files"]
        ]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Reply:
        """The reply `to_json` wrote."""
        data: dict[str, Any] = json.loads(text)
        form = data.get("form")
        return cls(
            summary=data["summary"],
            sections=tuple(
                Section(s["heading"], tuple((a, b) for a, b in s["facts"]), tuple(s["lines"]))
                for s in data["sections"]
            ),
            actions=tuple(Action(**a) for a in data["actions"]),
            tone=Tone(data["tone"]),
            private=data["private"],
            delivery_key=data["delivery_key"],
            files=tuple(
                Attachment(f["name"], f["mime"], base64.b64decode(f["data"])) for f in data["files"]
            ),
            form=FormCall(**form) if form else None,
        )


@dataclass(frozen=True)
class Recipient:
    """Where an unprompted message (a nudge, a digest) goes: one person on one platform."""

    staff_id: int
    platform: Platform
    external_id: str
    workspace: str = ""
    address: dict[str, object] | None = None  # Slack DM channel, Teams conversation reference
    language: str = ""  # the person's, for the platform's own words; "" for the install's


class Sender(Protocol):
    """Delivers a reply outside a conversation turn. Raises if it could not deliver."""

    platform: Platform

    async def send(self, recipient: Recipient, reply: Reply) -> None: ...
