"""/hjælp and /sprog: help generated from the command table, and the reply language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.context import Ctx
from bot.core import Reply, Section, Tone
from bot.dispatch import split_command
from kernel.errors import UserError


@dataclass(frozen=True)
class HelpArgs:
    topic: str


def parse(text: str, today: date) -> HelpArgs:
    return HelpArgs(split_command(text)[0] if text.strip() else "")


def handle(ctx: Ctx, args: HelpArgs) -> Reply:
    from bot.commands import build_table

    table = build_table()
    if args.topic:
        command = table.find(args.topic)
        if command is None:
            raise UserError("reply.unknown_command", name=args.topic)
        name = command.name if ctx.lang == "da" else command.english
        facts = ((ctx.t("label.names"), ", ".join(f"/{n}" for n in command.names)),)
        return Reply(
            f"/{name}: {ctx.t(command.help_key)}",
            sections=(
                Section(facts=facts),
                Section(ctx.t("label.usage"), lines=(ctx.t(command.usage_key),)),
                Section(ctx.t("label.examples"), lines=command.examples_for(ctx.lang)),
            ),
        )
    lines = tuple(
        f"/{c.name if ctx.lang == 'da' else c.english}: {ctx.t(c.help_key)}" for c in table
    )
    return Reply(ctx.t("reply.help_intro"), sections=(Section(lines=lines),))


@dataclass(frozen=True)
class LanguageArgs:
    language: str


LANGUAGES = {"da": "da", "dansk": "da", "danish": "da", "en": "en", "engelsk": "en",
             "english": "en"}  # fmt: skip


def parse_language(text: str, today: date) -> LanguageArgs:
    word = text.strip().casefold()
    if word not in LANGUAGES:
        raise UserError("usage.sprog")
    return LanguageArgs(LANGUAGES[word])


def handle_language(ctx: Ctx, args: LanguageArgs) -> Reply:
    ctx.staff.language = args.language
    return Reply(ctx.t("ok.language"), tone=Tone.OK)
