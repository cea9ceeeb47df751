"""/fortryd: undo your own last entry within a few minutes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.context import Ctx
from bot.core import Reply, Tone
from kernel.errors import UserError
from store.directory import bump_directory
from store.journal import entry_citizens, undo_entry
from store.models import Entry


def parse(text: str, today: date) -> None:
    if text.strip():
        raise UserError("usage.fortryd")


def handle(ctx: Ctx, _args: None) -> Reply:
    since = ctx.now - timedelta(minutes=ctx.settings.undo_minutes)
    entry = ctx.session.scalars(
        select(Entry)
        .where(Entry.staff_id == ctx.staff.id, Entry.undone_at.is_(None))
        .order_by(Entry.id.desc())
        .limit(1)
    ).first()
    if entry is None or entry.created_at < since:
        raise UserError("error.nothing_to_undo", minutes=ctx.settings.undo_minutes)
    citizens = entry_citizens(ctx.session, entry)
    undo_entry(ctx.session, entry, ctx.now)
    bump_directory(ctx.session)
    ctx.audit("delete", "entry", entry.id, detail=f"undo /{entry.command}")
    for citizen_id, handle in citizens.items():
        ctx.audit(
            "update",
            "citizen",
            citizen_id=citizen_id,
            handle=handle,
            detail=f"undo /{entry.command}",
        )
    at = entry.created_at.astimezone(ctx.tz).strftime("%H:%M")
    return Reply(ctx.t("ok.undone", command=entry.command, at=at), tone=Tone.OK)
