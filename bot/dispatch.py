"""From a message to a reply: safety checks, pending questions, command lookup, a form for a
bare command, parse, handle, and the follow-ups of what a command recorded.

Every platform comes through here (`Rampe.receive`), so what is decided here is decided once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bot import format as fmt
from bot import pending
from bot.commands import Command, CommandTable, route
from bot.context import Ctx, open_ctx
from bot.core import FormCall, Inbound, Reply, Section, Tone
from bot.parsing.safety import check_input
from bot.resolve import choice_by_name, resolve_citizen
from bot.runtime import Runtime
from bot.scheduler.due import refresh
from kernel.errors import Ambiguous, UserError
from kernel.fold import fold
from store.journal import begin_entry, discard_entry, note_refused
from store.models import Citizen
from store.touched import take_touched

RETYPE_CHARS = 40  # a refused command longer than this is shown back, to copy and correct


def dispatch(rt: Runtime, table: CommandTable, session: Session, inbound: Inbound) -> Reply:
    """Answer `inbound` within `session` (the caller commits or rolls back)."""
    ctx, created = open_ctx(rt, session, inbound)
    if inbound.files and not inbound.text.strip():
        # Rampe never opens a file sent to it: it may hold anything, CPR numbers too.
        return Reply(ctx.t("reply.file_not_read"))
    try:
        text = check_input(inbound.text).strip()
    except UserError as err:
        return _error(ctx, err, None)
    reply = _route(table, ctx, text)
    if created and ctx.staff.role == "admin":  # after the command: /sprog en may have run
        ctx.notices.append(ctx.t("notice.first_admin"))
    if ctx.notices:
        reply = replace(reply, summary=reply.summary + "\n" + "\n".join(ctx.notices))
    return reply


def _route(table: CommandTable, ctx: Ctx, text: str) -> Reply:
    if not text:
        return Reply(ctx.t("reply.empty"), tone=Tone.INFO)
    question = pending.pending(ctx)
    if question is not None:
        if text.casefold() in pending.CANCEL_WORDS:
            ctx.session.delete(question)
            return Reply(ctx.t("reply.choice_cancelled"))
        if m := pending.CHOICE.match(text):
            answer = pending.take_answer(ctx, question, int(m.group(1)))
        elif (named := choice_by_name(ctx, question, text)) is not None:
            answer = pending.take_answer(ctx, question, named)
        else:
            answer = None
        if isinstance(answer, Reply):
            return answer
        if answer is not None:
            return run_command(table, ctx, *answer)
    elif text.casefold() in pending.CANCEL_WORDS or pending.CHOICE.match(text):
        return Reply(ctx.t("reply.no_question"), tone=Tone.INFO)
    return run_command(table, ctx, text, {})


def run_command(table: CommandTable, ctx: Ctx, text: str, overrides: dict[str, int]) -> Reply:
    """Find, parse and run the command in `text` with any choices already made."""
    name, rest = route(text)
    command = table.find(name)
    if command is None:
        question = None if text.startswith("/") else _question(table, ctx, text)
        return question or _unknown(table, ctx, name, text)
    citizen_words = command.bare_citizen(rest)
    if citizen_words is not None:
        try:  # what the parser says about the bare words is what a console shows
            command.parse(rest, ctx.today)
            missing = UserError(command.usage_key)
        except UserError as err:
            missing = err
        step = _form(command, rest, citizen_words, missing)
        return _attempt(ctx, command, text, rest, overrides, step, records=False)
    try:
        args = command.parse(rest, ctx.today)
    except UserError as err:
        if command.records:  # so /fortryd does not silently undo the entry before this one
            note_refused(ctx.session, ctx.staff.id, command.name, ctx.now)
        return _error(ctx, err, command, rest)
    return _attempt(
        ctx, command, text, rest, overrides, lambda c: command.handle(c, args),
        records=command.records, refreshes=command.refreshes,
    )  # fmt: skip


def _attempt(
    ctx: Ctx,
    command: Command[Any],
    text: str,
    rest: str,
    overrides: dict[str, int],
    step: Callable[[Ctx], Reply],
    *,
    records: bool,
    refreshes: bool = False,
) -> Reply:
    """Run `step` in a savepoint: all of it is kept, or (a question, a refusal) none of it.

    `records`: its changes are one journal entry (for /fortryd); `refreshes`: the follow-ups
    of the citizens it reached are reconciled with what it recorded.
    """
    ctx.overrides = overrides
    ctx.touched, ctx.denied, ctx.audited = {}, [], set()
    savepoint = ctx.session.begin_nested()
    try:
        if records:
            begin_entry(ctx.session, ctx.staff.id, command.name, ctx.now)
        take_touched(ctx.session)  # facts noted before this command are not its own
        reply = step(ctx)
        _audit_reached(ctx, f"/{command.name}")
        ctx.audit_shown(reply.as_text(), f"/{command.name}")
        if refreshes:
            _refresh_follow_ups(ctx)
        savepoint.commit()
        return reply
    except Ambiguous as amb:
        discard_entry(ctx.session)
        savepoint.rollback()
        _audit_refused(ctx, command)
        _audit_candidates(ctx, amb)
        return pending.ask(ctx, text, amb, overrides)
    except UserError as err:
        discard_entry(ctx.session)
        savepoint.rollback()
        _audit_refused(ctx, command)
        if command.records:
            note_refused(ctx.session, ctx.staff.id, command.name, ctx.now)
        return _error(ctx, err, command, rest)


def _refresh_follow_ups(ctx: Ctx) -> None:
    """Reconcile the follow-ups of every citizen and company the command recorded facts on."""
    citizens, companies = take_touched(ctx.session)
    if citizens or companies:
        refresh(ctx.session, ctx.settings, ctx.now, citizens, companies)


def _form(
    command: Command[Any], rest: str, words: list[str], missing: UserError
) -> Callable[[Ctx], Reply]:
    """The step for a bare command: its form, with the citizen filled in when one was named.

    The reply under the form is what the console shows: what is missing, with an example.
    """
    assert command.form is not None
    form_id = command.form.id
    after = rest.split()[len(words) :]  # the action word (`start`), if one was typed

    def open_form(ctx: Ctx) -> Reply:
        call = FormCall(form_id, command=" ".join([f"/{command.name}", *after]))
        if words:
            citizen = resolve_citizen(ctx, " ".join(words))
            handle = citizen.handle or ""
            again = " ".join([f"/{command.name}", handle, *after])
            call = FormCall(form_id, {"citizen": handle}, {"citizen": fmt.citizen(citizen)}, again)
        return replace(_error(ctx, missing, command, rest), form=call)

    return open_form


# --- Health data: the audit safety net ---
def _audit_reached(ctx: Ctx, detail: str) -> None:
    """Audit every citizen the command reached that its handler did not audit itself."""
    for citizen_id, handle in ctx.touched.items():
        if citizen_id not in ctx.audited:
            ctx.audit("read", "citizen", citizen_id=citizen_id, handle=handle, detail=detail)


def _audit_refused(ctx: Ctx, command: Command[Any]) -> None:
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


def closest_example(command: Command[Any], typed: str, lang: str) -> str:
    """The example in `lang` sharing most words with what was typed (the shortest on a tie)."""
    words = set(fold(typed).split())
    examples = command.examples_for(lang)
    return max(examples, key=lambda e: (len(words & set(fold(e).split()[1:])), -len(e)))


def _error(ctx: Ctx, err: UserError, command: Command[Any] | None, typed: str = "") -> Reply:
    lines: tuple[str, ...] = ()
    if command is not None and command.examples_for(ctx.lang):
        lines = (ctx.t("reply.example", example=closest_example(command, typed, ctx.lang)),)
    if command is not None and len(typed) > RETYPE_CHARS:
        # A Slack slash command vanishes from the input box: give a long text back to fix.
        lines += (ctx.t("reply.you_typed", text=f"/{command.name_for(ctx.lang)} {typed}"),)
    message = ctx.t(err.key, **err.params)
    return Reply(message, sections=(Section(lines=lines),) if lines else (), tone=Tone.ERROR)


def _question(table: CommandTable, ctx: Ctx, text: str) -> Reply | None:
    """A plain-language question: run the command it means, saying which, or ask back."""
    from bot.handlers.questions import answer_question

    return answer_question(ctx, text, lambda c, command: run_command(table, c, command, {}))


def _unknown(table: CommandTable, ctx: Ctx, name: str, text: str) -> Reply:
    from bot.handlers.questions import report_for_word

    report = report_for_word(ctx, text)  # `/trivsel` names a report: point to it, not to /log
    if report is not None:
        return Reply(ctx.t("reply.did_you_mean", name=name, suggestion=report), tone=Tone.ERROR)
    names = table.all_names()
    guesses = process.extract(name, names, scorer=fuzz.WRatio, limit=2, score_cutoff=60)
    if guesses:
        best = table.find(guesses[0][0])
        assert best is not None
        return Reply(
            ctx.t("reply.did_you_mean", name=name, suggestion=f"/{best.name_for(ctx.lang)}"),
            tone=Tone.ERROR,
        )
    return Reply(ctx.t("reply.unknown_command", name=name), tone=Tone.ERROR)
