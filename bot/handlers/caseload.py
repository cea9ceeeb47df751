"""/caseload: my active citizens with their last contact."""

from __future__ import annotations

from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply, Section, UserError
from bot.handlers.citizen import status_text
from store.citizens import caseload


def parse(text: str, today: date) -> None:
    if text.strip():
        raise UserError("usage.caseload")


def handle(ctx: Ctx, _args: None) -> Reply:
    rows = caseload(ctx.session, ctx.staff)
    if not rows:
        return Reply(ctx.t("reply.caseload_empty"))
    lines = []
    for row in rows:
        ctx.audit("read", "citizen", row.citizen.id, row.citizen, "caseload")
        last = (
            fmt.day(row.last_contact, ctx.today, ctx.lang)
            if row.last_contact
            else ctx.t("word.none")
        )
        lines.append(
            f"{fmt.citizen(row.citizen)}: {status_text(ctx, row.citizen)}; "
            f"{ctx.t('label.last_contact').lower()} {last}"
        )
    return Reply(ctx.t("reply.caseload", count=len(rows)), sections=(Section(lines=tuple(lines)),))
