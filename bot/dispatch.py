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
from bot.core import Action, Inbound, Reply, Section, Tone
from bot.parsing.safety import check_input
from bot.resolve import override_key
from kernel.errors import Ambiguous, UserError
from kernel.fold import fold
from store.journal import begin_entry, discard_entry
from store.models import Citizen, PendingChoice
from store.staff import get_or_create_staff

if TYPE_CHECKING:
    from bot.app import Rampe
    from bot.commands import Command

CHOICE = re.compile(r"^(?:/?(?:vælg|vaelg|choose|valg)\s+)?(\d{1,2})$", re.IGNORECASE)
CANCEL_WORDS = {"annuller", "afbryd", "cancel", "/annuller", "/cancel"}
ROUTER_NAMES = {"rampe"}
RETYPE_CHARS = 40  # a refused command longer than this is shown back, to copy and correct


def dispatch(app: Rampe, session: Session, inbound: Inbound) -> Reply:
    """Answer `inbound` within `session` (the caller commits or rolls back)."""
    ctx, created = open_ctx(app, session, inbound)
    try:
        text = check_input(inbound.text).strip()
    except UserError as err:
        return _error(ctx, err, None)
    reply = _route(app, ctx, text)
    if created and ctx.staff.role == "admin":  # after the command: /sprog en may have run
        ctx.notices.append(ctx.t("notice.first_admin"))
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


def open_ctx(app: Rampe, session: Session, inbound: Inbound) -> tuple[Ctx, bool]:
    """The handler context for the person behind `inbound` (created on first contact)."""
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
    return ctx, created


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
    elif text.casefold() in CANCEL_WORDS or CHOICE.match(text):
        return Reply(ctx.t("reply.no_question"), tone=Tone.INFO)
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
        return _error(ctx, err, command, rest)
    ctx.overrides = overrides
    ctx.touched, ctx.denied, ctx.audited = {}, [], set()
    savepoint = ctx.session.begin_nested()
    try:
        if command.records:
            begin_entry(ctx.session, ctx.staff.id, command.name, ctx.now)
        reply = command.handle(ctx, args)
        _audit_reached(ctx, f"/{command.name}")
        savepoint.commit()
        return reply
    except Ambiguous as amb:
        discard_entry(ctx.session)
        savepoint.rollback()
        _audit_refused(ctx, command)
        _audit_candidates(ctx, amb)
        return _ask(ctx, text, amb, overrides)
    except UserError as err:
        discard_entry(ctx.session)
        savepoint.rollback()
        _audit_refused(ctx, command)
        return _error(ctx, err, command, rest)


# --- Health data: the audit safety net ---
def _audit_reached(ctx: Ctx, detail: str) -> None:
    """Audit every citizen the command reached that its handler did not audit itself."""
    for citizen_id, handle in ctx.touched.items():
        if citizen_id not in ctx.audited:
            ctx.audit("read", "citizen", citizen_id=citizen_id, handle=handle, detail=detail)


def _audit_refused(ctx: Ctx, command: Command) -> None:
    """A refused command still read the citizens it reached; out-of-scope ids are denials."""
    ctx.audited = set()  # the handler's own audit rows went with the savepoint
    _audit_reached(ctx, f"/{command.name} refused")
    for citizen_id in ctx.denied:
        ctx.audit("denied", "citizen", citizen_id=citizen_id, detail=f"/{command.name}")


def _audit_candidates(ctx: Ctx, amb: Ambiguous) -> None:
    """Listing candidates shows their names: a read of each."""
    if amb.kind != "citizen":
        return
    for candidate in amb.candidates:
        if candidate.id not in ctx.audited:
            citizen = ctx.session.get(Citizen, candidate.id)
            ctx.audit("read", "citizen", candidate.id, citizen, "choice", citizen_id=candidate.id)


def closest_example(command: Command, typed: str, lang: str) -> str:
    """The example in `lang` sharing most words with what was typed (the shortest on a tie)."""
    words = set(fold(typed).split())
    examples = command.examples_for(lang)
    return max(examples, key=lambda e: (len(words & set(fold(e).split()[1:])), -len(e)))


def _error(ctx: Ctx, err: UserError, command: Command | None, typed: str = "") -> Reply:
    lines: tuple[str, ...] = ()
    if command is not None and command.examples_for(ctx.lang):
        lines = (ctx.t("reply.example", example=closest_example(command, typed, ctx.lang)),)
    if command is not None and len(typed) > RETYPE_CHARS:
        # A Slack slash command vanishes from the input box: give a long text back to fix.
        lines += (ctx.t("reply.you_typed", text=f"/{command.name_for(ctx.lang)} {typed}"),)
    message = ctx.t(err.key, **err.params)
    return Reply(message, sections=(Section(lines=lines),) if lines else (), tone=Tone.ERROR)


def _question(app: Rampe, ctx: Ctx, text: str) -> Reply | None:
    """A plain-language question: run the report it means, saying which, or suggest some."""
    from bot.handlers.questions import SUGGESTIONS, looks_like_question, understand

    command = understand(text, ctx.lang)
    if command is None:
        if not looks_like_question(text):
            return None
        lines = SUGGESTIONS.get(ctx.lang, SUGGESTIONS["da"])
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
            ctx.t("reply.did_you_mean", name=name, suggestion=f"/{best.name_for(ctx.lang)}"),
            tone=Tone.ERROR,
        )
    return Reply(ctx.t("reply.unknown_command", name=name), tone=Tone.ERROR)


def _pending(ctx: Ctx) -> PendingChoice | None:
    # One query on most messages; a DELETE only when there is an expired question to clear
    # (it holds the command text). Older questions expire first and `_ask` keeps just one.
    newest = ctx.session.scalars(
        select(PendingChoice)
        .where(PendingChoice.staff_id == ctx.staff.id)
        .order_by(PendingChoice.id.desc())
        .limit(1)
    ).first()
    if newest is None or newest.expires_at >= ctx.now:
        return newest
    ctx.session.execute(
        delete(PendingChoice).where(
            PendingChoice.staff_id == ctx.staff.id, PendingChoice.expires_at < ctx.now
        )
    )
    return None


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
