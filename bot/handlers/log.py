"""/log: store a contact with a citizen, a company, or both, and say what was understood."""

from __future__ import annotations

from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Tone
from bot.handlers.plausible import checked_date, checked_minutes
from bot.parsing.durations import format_minutes
from bot.parsing.logline import LogLine, read_log_line
from bot.parsing.names import checked_length
from bot.resolve import resolve_citizen_words, resolve_company
from kernel.errors import UserError
from kernel.vocabulary import CitizenStatus, ContactForm
from store.contacts import add_contact
from store.journal import describe_entry
from store.models import Citizen, Company

MAX_NOTE = 2000
MAX_COMPANY = 120
PREVIEW_WORDS = 6
PREVIEW_CHARS = 40
LogArgs = LogLine


def parse(text: str, today: date) -> LogLine:
    """`<borger|@virksomhed> [form] [dato] [varighed] [@virksomhed] [note]`, in any order."""
    line = read_log_line(text, today)
    if len(line.note) > MAX_NOTE:
        raise UserError("error.note_too_long", limit=MAX_NOTE, length=len(line.note))
    if line.company is not None:
        checked_length(line.company, MAX_COMPANY, "error.long.company")
    if line.on is not None and line.on > today:
        raise UserError("error.future_contact", day=f"{line.on.day}/{line.on.month}")
    return line


def preview(note: str) -> str:
    """The note's first words, enough to recognise it: `aftalte praktikbesøg hos…`."""
    words = note.split()
    shown = " ".join(words[:PREVIEW_WORDS])
    if len(shown) > PREVIEW_CHARS:
        shown = shown[:PREVIEW_CHARS].rstrip()
    return shown + ("…" if shown != " ".join(words) else "")


def handle(ctx: Ctx, args: LogLine) -> Reply:
    citizen = None
    note = args.note
    if args.head:
        citizen, used = resolve_citizen_words(ctx, [t.text for t in args.head])
        if used < len(args.head):  # words after the name belong to the note
            extra = args.text[args.head[used].start : args.head[-1].end]
            note = f"{extra} {note}".strip()
    if len(note) > MAX_NOTE:
        raise UserError("error.note_too_long", limit=MAX_NOTE, length=len(note))
    company = resolve_company(ctx, args.company) if args.company else None
    form = args.form or (ContactForm.PHONE if citizen is None else ContactForm.MEETING)
    on = checked_date(ctx, args, citizen)
    minutes = checked_minutes(ctx, args, form)
    contact = add_contact(
        ctx.session,
        staff=ctx.staff,
        form=form,
        occurred_on=on,
        minutes=minutes,
        note=note,
        citizen=citizen,
        company=company,
        platform=ctx.platform,
        now=ctx.now,
    )
    ctx.audit("create", "contact", contact.id, citizen)
    describe_entry(ctx.session, citizen.handle if citizen else None, on)
    summary = understood(ctx, form, citizen, company, on, minutes, note)
    if citizen and citizen.status == CitizenStatus.ENDED:
        summary += "\n" + ctx.t("warn.logged_on_ended")
    return Reply(summary, actions=(Action(ctx.t("action.undo"), "/fortryd"),), tone=Tone.OK)


def understood(
    ctx: Ctx,
    form: ContactForm,
    citizen: Citizen | None,
    company: Company | None,
    on: date,
    minutes: int | None,
    note: str,
) -> str:
    """One line with everything that was read: form, who, date, duration and the note's start."""
    who = fmt.citizen(citizen) if citizen else company.name  # type: ignore[union-attr]
    if citizen and company:
        who = f"{who} {ctx.t('word.at')} {company.name}"
    day = fmt.day(on, ctx.today, ctx.lang)
    parts = [ctx.t("ok.logged", form=ctx.t(f"form.{form}"), who=who, day=day)]
    if minutes:
        parts.append(format_minutes(minutes, ctx.lang))
    summary = ", ".join(parts) + "."
    if note:
        summary += " " + ctx.t("ok.with_note", start=preview(note))
    return summary
