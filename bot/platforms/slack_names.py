"""Which commands become Slack slash commands, and under which name.

Slack refuses a manifest that declares one of its built-in commands ("the slash command has an
invalid name") and the whole command list with it; its published schema does not list them, so
only this list keeps `/status` out. A command whose names are all taken or not ASCII is still
reached through `/rampe <command>`.
"""

from __future__ import annotations

import re

from bot.commands import Command, CommandTable
from bot.dispatch import ROUTER_NAMES

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
