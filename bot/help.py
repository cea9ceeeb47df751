"""/hjælp: help generated from the command table, so it sits beside the table, above handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.commands import CommandTable, split_command
from bot.context import Ctx
from bot.core import Reply, Section
from kernel.errors import UserError


@dataclass(frozen=True)
class HelpArgs:
    topic: str


def parse(text: str, today: date) -> HelpArgs:
    return HelpArgs(split_command(text)[0] if text.strip() else "")


def help_reply(table: CommandTable, ctx: Ctx, args: HelpArgs) -> Reply:
    """Every command with its one-line help, or one command's names, usage and examples."""
    if args.topic:
        command = table.find(args.topic)
        if command is None:
            raise UserError("reply.unknown_command", name=args.topic)
        facts = ((ctx.t("label.names"), ", ".join(f"/{n}" for n in command.names)),)
        return Reply(
            f"/{command.name_for(ctx.lang)}: {ctx.t(command.help_key)}",
            sections=(
                Section(facts=facts),
                Section(ctx.t("label.usage"), lines=(ctx.t(command.usage_key),)),
                Section(ctx.t("label.examples"), lines=command.examples_for(ctx.lang)),
            ),
        )
    lines = tuple(f"/{c.name_for(ctx.lang)}: {ctx.t(c.help_key)}" for c in table)
    questions = Section(lines=(ctx.t("help.questions"),))
    return Reply(ctx.t("reply.help_intro"), sections=(Section(lines=lines), questions))
