"""The command table: every command's names, parser, handler, help and examples.

Help, "did you mean", Slack's manifest and Teams' command list are all generated from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from bot.context import Ctx
from bot.core import Reply

Parser = Callable[[str, date], Any]
Handler = Callable[[Ctx, Any], Reply]


@dataclass(frozen=True)
class Command:
    """One command: Danish name first, English name second, then other aliases."""

    name: str
    english: str
    parse: Parser
    handle: Handler
    examples: tuple[str, ...]
    examples_en: tuple[str, ...] = ()  # the same examples with the English words
    aliases: tuple[str, ...] = ()
    menu: bool = True  # shown in Slack's slash commands and Teams' command menu
    records: bool = True  # its changes can be undone with /fortryd

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the command answers to, Danish first, each once."""
        return tuple(dict.fromkeys((self.name, self.english, *self.aliases)))

    def examples_for(self, lang: str) -> tuple[str, ...]:
        """The examples in `lang`: the English ones for `en` when there are any, else Danish."""
        if lang == "en" and self.examples_en:
            return self.examples_en
        return self.examples

    def name_for(self, lang: str) -> str:
        """The command's name in `lang`: English for `en`, Danish otherwise."""
        return self.english if lang == "en" else self.name

    @property
    def help_key(self) -> str:
        return f"help.{self.name}"

    @property
    def usage_key(self) -> str:
        return f"usage.{self.name}"


class CommandTable:
    """Commands looked up by any of their names."""

    def __init__(self, commands: list[Command]) -> None:
        self.commands = commands
        self._by_name: dict[str, Command] = {}
        for command in commands:
            for name in command.names:
                if self._by_name.get(name, command) is not command:
                    raise ValueError(f"two commands are called {name!r}")
                self._by_name[name] = command

    def find(self, name: str) -> Command | None:
        return self._by_name.get(name.casefold())

    def all_names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.commands)


@cache
def build_table() -> CommandTable:
    """The full command table (imported late so handler modules can import this one)."""
    from bot.handlers import registry

    return CommandTable(registry.COMMANDS)
