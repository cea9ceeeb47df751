"""`/borger <navn> sagsnr <nr>` and `/borger sagsnr <nr>`: an external case number, kept only
as a keyed hash (HMAC-SHA256 with RAMPE_PSEUDONYM_KEY) and findable by it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply, Section
from bot.handlers.common import confirm
from bot.resolve import resolve_citizen_words
from kernel.errors import Ambiguous, UserError
from store.identifiers import find_by_external_ref, set_external_ref

if TYPE_CHECKING:
    from bot.handlers.citizen import CitizenAction

MAX_CASE_NUMBER = 40


def case_number(ctx: Ctx, args: CitizenAction) -> Reply:
    """Store or look up a case number; refused without a pseudonym key."""
    if ctx.settings.pseudonym_key is None:
        raise UserError("error.no_pseudonym_key")
    key = ctx.settings.pseudonym_key.get_secret_value()
    value = (args.case_number or "").strip()
    if not value or len(value) > MAX_CASE_NUMBER:
        raise UserError("usage.borger_sagsnr")
    if args.action == "find":
        return _find(ctx, key, value)
    try:
        citizen, _ = resolve_citizen_words(ctx, args.query)
    except Ambiguous as amb:
        # Asking "which one?" would keep the typed number in the pending question.
        raise UserError("error.caseno_ambiguous", query=amb.query) from None
    set_external_ref(ctx.session, citizen, key, value, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "case number")
    return confirm(ctx, "ok.caseno_set", citizen)


def _find(ctx: Ctx, key: str, value: str) -> Reply:
    from bot.handlers.citizen import citizen_card

    found = find_by_external_ref(ctx.session, ctx.staff, key, value)
    if not found:
        raise UserError("error.no_caseno")
    if len(found) == 1:
        return citizen_card(ctx, found[0])
    for citizen in found:
        ctx.audit("read", "citizen", citizen.id, citizen, "by case number")
    return Reply(
        ctx.t("reply.caseno_matches", count=len(found)),
        sections=(Section(lines=tuple(fmt.citizen(c) for c in found)),),
    )
