"""From a message to a reply: safety checks, choice answers, command lookup, parse, handle."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.context import Ctx
from bot.core import Action, Ambiguous, Inbound, Reply, Section, Tone, UserError
from bot.parsing.fold import fold
from bot.parsing.safety import check_input
from bot.resolve import override_key
from store.journal import begin_entry, discard_entry
from store.models import PendingChoice
from store.staff import get_or_create_staff

if TYPE_CHECKING:
    from bot.app import Rampe
    from bot.commands import Command

CHOICE = re.compile(r"^(?:/?(?:vælg|vaelg|choose|valg)\s+)?(\d{1,2})$", re.IGNORECASE)
CANCEL_WORDS = {"annuller", "afbryd", "cancel", "/annuller", "/cancel"}
ROUTER_NAMES = {"rampe"}


def dispatch(app: Rampe, session: Session, inbound: Inbound) -> Reply:
    """Answer `inbound` within `session` (the caller commits or rolls back)."""
    now = app.clock()
    staff, created = get_or_create_staff(
        session,
        platform=inbound.platform,
        workspace=inbound.workspace,
        external_id=inbound.user_id,
        display_name=inbound.display_name or inbound.user_id,
        language=app.settings.language,
        now=now,
        name_folded=fold(inbound.display_name or inbound.user_id),
    )
    ctx = Ctx(
        session=session,
        now=now,
        staff=staff,
        settings=app.settings,
        platform=str(inbound.platform),
        directory=app.directory,
    )
    if created and staff.role == "admin":
        ctx.notices.append(ctx.t("notice.first_admin"))
    try:
        text = check_input(inbound.text).strip()
    except UserError as err:
        return _error(ctx, err, None)
    reply = _route(app, ctx, text)
    if ctx.notices:
        reply = Reply(
            summary=reply.summary + "\n" + "\n".join(ctx.notices),
            sections=reply.sections,
            actions=reply.actions,
            tone=reply.tone,
            private=reply.private,
            files=reply.files,
        )
    return reply


def _route(app: Rampe, ctx: Ctx, text: str) -> Reply:
    if not text:
        return Reply(ctx.t("reply.empty"), tone=Tone.INFO)
    pending = _pending(ctx)
    if pending is not None:
        if text.casefold() in CANCEL_WORDS:
            ctx.session.delete(pending)
            return Reply(ctx.t("reply.choice_cancelled"))
        if m := CHOICE.match(text):
            return _answer_choice(app, ctx, pending, int(m.group(1)))
    return run_command(app, ctx, text, {})


def split_command(text: str) -> tuple[str, str]:
    """`/log mette tlf` -> (`log`, `mette tlf`); the leading slash is optional."""
    head, _, rest = text.lstrip().partition(" ")
    name = head[1:] if head.startswith("/") else head
    return name.casefold(), rest.strip()


def run_command(app: Rampe, ctx: Ctx, text: str, overrides: dict[str, int]) -> Reply:
    """Find, parse and run the command in `text` with any choices already made."""
    name, rest = split_command(text)
    if name in ROUTER_NAMES:
        if not rest:
            name, rest = "hjælp", ""
        else:
            name, rest = split_command(rest)
    command = app.commands.find(name)
    if command is None:
        return _question(app, ctx, text) or _unknown(app, ctx, name)
    try:
        args = command.parse(rest, ctx.today)
    except UserError as err:
        return _error(ctx, err, command)
    ctx.overrides = overrides
    savepoint = ctx.session.begin_nested()
    try:
        if command.records:
            begin_entry(ctx.session, ctx.staff.id, command.name, ctx.now)
        reply = command.handle(ctx, args)
        savepoint.commit()
        return reply
    except Ambiguous as amb:
        discard_entry(ctx.session)
        savepoint.rollback()
        return _ask(ctx, text, amb, overrides)
    except UserError as err:
        discard_entry(ctx.session)
        savepoint.rollback()
        return _error(ctx, err, command)


def _error(ctx: Ctx, err: UserError, command: Command | None) -> Reply:
    lines: tuple[str, ...] = ()
    if command is not None and command.examples:
        lines = (ctx.t("reply.example", example=command.examples[0]),)
    message = ctx.t(err.key, **err.params)
    return Reply(message, sections=(Section(lines=lines),) if lines else (), tone=Tone.ERROR)


def _question(app: Rampe, ctx: Ctx, text: str) -> Reply | None:
    """A plain-language question: run the report it means, saying which, or suggest some."""
    from bot.handlers.questions import SUGGESTIONS, looks_like_question, understand

    command = understand(text, ctx.lang)
    if command is None:
        if not looks_like_question(text):
            return None
        lines = tuple(SUGGESTIONS)
        return Reply(ctx.t("report.not_understood"), sections=(Section(lines=lines),))
    reply = run_command(app, ctx, command, {})
    heading = ctx.t("report.understood_as", command=command)
    return replace(reply, summary=f"{heading}\n{reply.summary}")


def _unknown(app: Rampe, ctx: Ctx, name: str) -> Reply:
    names = app.commands.all_names()
    guesses = process.extract(name, names, scorer=fuzz.WRatio, limit=2, score_cutoff=60)
    if guesses:
        best = app.commands.find(guesses[0][0])
        assert best is not None
        return Reply(
            ctx.t("reply.did_you_mean", name=name, suggestion=f"/{best.name}"),
            tone=Tone.ERROR,
        )
    return Reply(ctx.t("reply.unknown_command", name=name), tone=Tone.ERROR)


def _pending(ctx: Ctx) -> PendingChoice | None:
    ctx.session.execute(
        delete(PendingChoice).where(
            PendingChoice.staff_id == ctx.staff.id, PendingChoice.expires_at < ctx.now
        )
    )
    return ctx.session.scalars(
        select(PendingChoice)
        .where(PendingChoice.staff_id == ctx.staff.id)
        .order_by(PendingChoice.id.desc())
    ).first()


def _ask(ctx: Ctx, text: str, amb: Ambiguous, overrides: dict[str, int]) -> Reply:
    """Store the question and ask which one was meant; nothing else is stored."""
    ctx.session.execute(delete(PendingChoice).where(PendingChoice.staff_id == ctx.staff.id))
    ctx.session.add(
        PendingChoice(
            staff_id=ctx.staff.id,
            command_text=text,
            kind=amb.kind,
            query=amb.query,
            candidate_ids=[c.id for c in amb.candidates],
            overrides=overrides,
            created_at=ctx.now,
            expires_at=ctx.now + timedelta(minutes=ctx.settings.choice_minutes),
        )
    )
    lines = tuple(f"{i}. {c.label}" for i, c in enumerate(amb.candidates, start=1))
    actions = tuple(Action(c.label, str(i)) for i, c in enumerate(amb.candidates, start=1))
    return Reply(
        ctx.t(f"ask.which_{amb.kind}", query=amb.query),
        sections=(Section(lines=(*lines, ctx.t("ask.answer_hint"))),),
        actions=(*actions, Action(ctx.t("action.cancel"), "annuller")),
        tone=Tone.QUESTION,
    )


def _answer_choice(app: Rampe, ctx: Ctx, pending: PendingChoice, number: int) -> Reply:
    ids = list(pending.candidate_ids)
    if not 1 <= number <= len(ids):
        return Reply(ctx.t("error.bad_choice", count=len(ids)), tone=Tone.ERROR)
    overrides = dict(pending.overrides)
    overrides[override_key(pending.kind, pending.query)] = int(ids[number - 1])
    text = pending.command_text
    ctx.session.delete(pending)
    ctx.session.flush()
    return run_command(app, ctx, text, overrides)
