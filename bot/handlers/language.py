"""/sprog: the reply language of the person asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.context import Ctx
from bot.core import Reply, Tone
from kernel.errors import UserError


@dataclass(frozen=True)
class LanguageArgs:
    language: str


LANGUAGES = {"da": "da", "dansk": "da", "danish": "da", "en": "en", "engelsk": "en",
             "english": "en"}  # fmt: skip


def parse(text: str, today: date) -> LanguageArgs:
    word = text.strip().casefold()
    if word not in LANGUAGES:
        raise UserError("usage.sprog")
    return LanguageArgs(LANGUAGES[word])


def handle(ctx: Ctx, args: LanguageArgs) -> Reply:
    ctx.staff.language = args.language
    return Reply(ctx.t("ok.language"), tone=Tone.OK)
