"""/fortryd: undo your own last entry within a few minutes, and say exactly what it was."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Tone
from kernel.errors import UserError
from store.directory import bump_directory
from store.journal import REFUSED, entry_citizens, entry_day, undo_entry
from store.models import Citizen, Entry

ANYWAY_WORDS = {"forrige", "alligevel", "previous", "anyway"}


def parse(text: str, today: date) -> bool:
    """True for `/fortryd forrige`: undo the entry before a refused command knowingly."""
    word = text.strip().casefold()
    if word and word not in ANYWAY_WORDS:
        raise UserError("usage.fortryd")
    return bool(word)


def _newest(ctx: Ctx, undoable: bool) -> Entry | None:
    query = select(Entry).where(Entry.staff_id == ctx.staff.id)
    if undoable:
        query = query.where(Entry.undone_at.is_(None), Entry.summary != REFUSED)
    return ctx.session.scalars(query.order_by(Entry.id.desc()).limit(1)).first()


def _about(ctx: Ctx, entry: Entry, citizens: dict[int, Citizen]) -> str:
    """` om Mette Hansen (MH-0001), dato i går 22/11`: whom and which day an entry was about."""
    about = ""
    if citizens:
        names = ", ".join(fmt.citizen(c) for c in citizens.values())
        about = " " + ctx.t("undo.about", citizens=names)
    day = entry_day(entry)
    if day is not None:
        about += ctx.t("undo.day", day=fmt.day(day, ctx.today, ctx.lang))
    return about


def _described(ctx: Ctx, entry: Entry) -> tuple[str, dict[int, str | None]]:
    handles = entry_citizens(ctx.session, entry)
    citizens = {cid: c for cid in handles if (c := ctx.session.get(Citizen, cid)) is not None}
    return _about(ctx, entry, citizens), handles


def handle(ctx: Ctx, anyway: bool) -> Reply:
    since = ctx.now - timedelta(minutes=ctx.settings.undo_minutes)
    entry = _newest(ctx, undoable=True)
    if entry is None or entry.created_at < since:
        raise UserError("error.nothing_to_undo", minutes=ctx.settings.undo_minutes)
    latest = _newest(ctx, undoable=False)
    about, citizens = _described(ctx, entry)
    at = entry.created_at.astimezone(ctx.tz).strftime("%H:%M")
    if latest is not None and latest.summary == REFUSED and latest.id > entry.id and not anyway:
        # The last command was refused: undoing the one before it is rarely what was meant.
        return Reply(
            ctx.t(
                "ask.undo_after_refused",
                refused=latest.command,
                command=entry.command,
                about=about,
                at=at,
            ),
            actions=(Action(ctx.t("action.undo_previous"), "/fortryd forrige"),),
            tone=Tone.QUESTION,
        )
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
    return Reply(ctx.t("ok.undone", command=entry.command, about=about, at=at), tone=Tone.OK)
