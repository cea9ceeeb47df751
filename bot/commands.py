"""The shape of the command table: a command's names, parser, handler, help and examples.

A `Command[A]` pairs a parser that returns an `A` with a handler that takes one, so mypy checks
that they agree. `TableBuilder.add` builds each row from its parts: a row written as a literal
inside a `list[Command[Any]]` would be inferred as `Command[Any]` and checked for nothing.
The rows themselves are in `bot.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from bot.context import Ctx
from bot.core import Reply
from bot.forms import Form

A = TypeVar("A")
Parser = Callable[[str, date], A]  # the words after the command name, and today
Handler = Callable[[Ctx, A], Reply]
BareTest = Callable[[str], "list[str] | None"]  # the citizen words of a bare command, or None


@dataclass(frozen=True)
class Command(Generic[A]):
    """One command: Danish name first, English name second, then other aliases."""

    name: str
    english: str
    parse: Parser[A]
    handle: Handler[A]
    examples: tuple[str, ...]
    examples_en: tuple[str, ...] = ()  # the same examples with the English words
    aliases: tuple[str, ...] = ()
    menu: bool = True  # shown in Slack's slash commands and Teams' command menu
    records: bool = True  # its changes can be undone with /fortryd
    # It records a fact the follow-up rules read: the dispatcher reconciles the follow-ups of
    # the citizens it reached, once, after it succeeds.
    refreshes: bool = False
    form: Form | None = None  # the form it opens when typed bare (see `bare`)
    bare: BareTest | None = None  # None: it opens its form only when typed with no words

    def bare_citizen(self, text: str) -> list[str] | None:
        """The citizen words when `text` asks for the command's form, else None."""
        if self.form is None:
            return None
        if self.bare is None:
            return [] if not text.strip() else None
        return self.bare(text)

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

    def __init__(self, commands: list[Command[Any]]) -> None:
        self.commands = commands
        self._by_name: dict[str, Command[Any]] = {}
        for command in commands:
            for name in command.names:
                if self._by_name.get(name, command) is not command:
                    raise ValueError(f"two commands are called {name!r}")
                self._by_name[name] = command

    def find(self, name: str) -> Command[Any] | None:
        """The command called `name` (any of its names, any case), if there is one."""
        return self._by_name.get(name.casefold())

    def all_names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self) -> Iterator[Command[Any]]:
        return iter(self.commands)


class TableBuilder:
    """Collects rows one call at a time, so each parser is checked against its handler."""

    def __init__(self) -> None:
        self.rows: list[Command[Any]] = []

    def add(
        self,
        name: str,
        english: str,
        parse: Parser[A],
        handle: Handler[A],
        *,
        examples: tuple[str, ...],
        examples_en: tuple[str, ...] = (),
        aliases: tuple[str, ...] = (),
        menu: bool = True,
        records: bool = True,
        refreshes: bool = False,
        form: Form | None = None,
        bare: BareTest | None = None,
    ) -> None:
        """One row: `parse` must return what `handle` takes."""
        command: Command[A] = Command(
            name, english, parse, handle, examples, examples_en, aliases, menu, records,
            refreshes, form, bare,
        )  # fmt: skip
        self.rows.append(command)

    def table(self) -> CommandTable:
        return CommandTable(self.rows)


ROUTER_NAMES = {"rampe"}  # `/rampe log ...` is `/log ...` (Slack's catch-all slash command)


def split_command(text: str) -> tuple[str, str]:
    """`/log mette tlf` -> (`log`, `mette tlf`); the leading slash is optional."""
    head, _, rest = text.lstrip().partition(" ")
    name = head[1:] if head.startswith("/") else head
    return name.casefold(), rest.strip()


def route(text: str) -> tuple[str, str]:
    """The command name and its words, through `/rampe` (`/rampe` alone asks for help)."""
    name, rest = split_command(text)
    if name in ROUTER_NAMES:
        return split_command(rest) if rest else ("hjælp", "")
    return name, rest
