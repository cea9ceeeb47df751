"""Which commands become Slack slash commands, and under which name.

Slack refuses a manifest that declares one of its built-in commands ("the slash command has an
invalid name") and the whole command list with it; its published schema does not list them, so
only this list keeps `/status` out. A command whose names are all taken or not ASCII is still
reached through `/rampe <command>`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from bot.commands import ROUTER_NAMES, Command, CommandTable
from bot.core import Reply, Section
from bot.registry import build_table

ROUTER = next(iter(ROUTER_NAMES))
SLACK_BUILTIN_COMMANDS = frozenset(
    {
        "active", "archive", "away", "collapse", "dm", "dnd", "expand", "feed", "invite",
        "join", "kick", "leave", "me", "msg", "mute", "open", "remind", "remove", "rename",
        "search", "shortcuts", "shrug", "status", "topic", "who",
    }
)  # fmt: skip
_ALLOWED = re.compile(r"[a-z0-9_-]{1,31}")


def slash_name(command: Command) -> str | None:
    """The command's slash name: Danish, else a Danish ASCII alias, else English, skipping
    every name Slack keeps for itself."""
    names = (command.name, *command.aliases, command.english)
    return next(
        (n for n in names if _ALLOWED.fullmatch(n) and n not in SLACK_BUILTIN_COMMANDS), None
    )


def slash_commands(table: CommandTable) -> list[tuple[str, str]]:
    """(slash name, help key) for each menu command, then `/rampe` for everything."""
    found = [(slash_name(c), c.help_key) for c in table if c.menu]
    return [(n, key) for n, key in found if n] + [(ROUTER, "slack.rampe_help")]


@cache
def _spellings() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every name of a command that Slack cannot take, and the slash name typed instead."""
    typed: dict[str, str] = {}
    for command in build_table():
        slash = slash_name(command)
        for name in (command.name, *command.aliases, command.english):
            if slash and name != slash:
                typed[name.casefold()] = slash
    names = "|".join(re.escape(n) for n in sorted(typed, key=len, reverse=True))
    return re.compile(rf"(?<![\w/])/({names})(?![\w-])", re.IGNORECASE), typed


def as_typed_in_slack(text: str) -> str:
    """`/hjælp`, `/help` and `/status` as Slack users must type them: `/hjaelp`, `/statustal`."""
    pattern, typed = _spellings()
    return pattern.sub(lambda m: "/" + typed[m.group(1).casefold()], text)


def slack_spelling(reply: Reply) -> Reply:
    """The reply with every command it names spelt as it is typed in Slack (texts only: a
    button's command comes back to Rampe, which knows every name)."""
    return replace(
        reply,
        summary=as_typed_in_slack(reply.summary),
        sections=tuple(
            Section(
                as_typed_in_slack(s.heading),
                tuple((label, as_typed_in_slack(value)) for label, value in s.facts),
                tuple(as_typed_in_slack(line) for line in s.lines),
            )
            for s in reply.sections
        ),
    )
