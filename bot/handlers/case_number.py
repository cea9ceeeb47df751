"""`/borger <navn> sagsnr <nr>` and `/borger sagsnr <nr>`: an external case number, kept only
as a keyed hash (HMAC-SHA256 with RAMPE_PSEUDONYM_KEY) and findable by it."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply, Section
from bot.handlers.common import confirm
from bot.resolve import resolve_citizen_words
from kernel.errors import Ambiguous, UserError
from store.identifiers import find_by_external_ref, set_external_ref
from store.models import Citizen

MAX_CASE_NUMBER = 40


def _key_and_number(ctx: Ctx, number: str | None) -> tuple[str, str]:
    """The pseudonym key and the typed number; refused without a key or a sensible number."""
    if ctx.settings.pseudonym_key is None:
        raise UserError("error.no_pseudonym_key")
    key = ctx.settings.pseudonym_key.get_secret_value()
    value = (number or "").strip()
    if not value or len(value) > MAX_CASE_NUMBER:
        raise UserError("usage.borger_sagsnr")
    return key, value


def set_case_number(ctx: Ctx, query: list[str], number: str | None) -> Reply:
    """Store the citizen's case number (as its keyed hash only)."""
    key, value = _key_and_number(ctx, number)
    try:
        citizen, _ = resolve_citizen_words(ctx, query)
    except Ambiguous as amb:
        # Asking "which one?" would keep the typed number in the pending question.
        raise UserError("error.caseno_ambiguous", query=amb.query) from None
    set_external_ref(ctx.session, citizen, key, value, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "case number")
    return confirm(ctx, "ok.caseno_set", citizen)


def find_by_case_number(ctx: Ctx, number: str | None) -> list[Citizen]:
    """The citizens (in the person's scope) with this case number; refused if there are none."""
    key, value = _key_and_number(ctx, number)
    found = find_by_external_ref(ctx.session, ctx.staff, key, value)
    if not found:
        raise UserError("error.no_caseno")
    return found


def case_number_matches(ctx: Ctx, found: list[Citizen]) -> Reply:
    """Several citizens share a case number: list them (a read of each)."""
    for citizen in found:
        ctx.audit("read", "citizen", citizen.id, citizen, "by case number")
    return Reply(
        ctx.t("reply.caseno_matches", count=len(found)),
        sections=(Section(lines=tuple(fmt.citizen(c) for c in found)),),
    )
