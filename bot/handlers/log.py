"""/log: store a contact with a citizen, a company, or both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Tone
from bot.parsing.dates import take_date
from bot.parsing.durations import format_minutes, parse_duration
from bot.parsing.tokens import Token, tokenize
from bot.parsing.words import CONTACT_FORMS
from bot.resolve import resolve_citizen_words, resolve_company
from kernel.errors import UserError
from kernel.vocabulary import CitizenStatus, ContactForm
from store.contacts import add_contact

MAX_NOTE = 2000
NOTE_MARK = "--"
_UNITS = {"m", "min", "mins", "minutter", "minutes", "t", "time", "timer", "h", "hr", "hrs",
          "hour", "hours"}  # fmt: skip


@dataclass(frozen=True)
class LogArgs:
    text: str
    head: list[Token]  # the words before the first recognised word: the citizen's name
    company: str | None
    form: ContactForm | None
    on: date | None
    minutes: int | None
    note: str


def _recognise(tokens: list[Token], i: int, today: date, found: dict[str, object]) -> int:
    """How many tokens at i are a form, date, duration or @company not yet seen (0 if none)."""
    token = tokens[i]
    if "form" not in found and token.low in CONTACT_FORMS:
        found["form"] = CONTACT_FORMS[token.low]
        return 1
    if "company" not in found and token.text.startswith("@") and len(token.text) > 1:
        found["company"] = token.text[1:]
        return 1
    if "minutes" not in found:
        minutes = parse_duration(token.text)
        used = 1
        if minutes is None and i + 1 < len(tokens) and tokens[i + 1].low in _UNITS:
            minutes = parse_duration(token.text + tokens[i + 1].low)
            used = 2
        if minutes is not None:
            found["minutes"] = minutes
            return used
    if "on" not in found:
        got = take_date([t.text for t in tokens], i, today, prefer="past")
        if got is not None:
            found["on"] = got[0]
            return got[1]
    return 0


def parse(text: str, today: date) -> LogArgs:
    """`<borger|@virksomhed> [form] [dato] [varighed] [@virksomhed] [note]`, in any order."""
    tokens = tokenize(text)
    if not tokens:
        raise UserError("usage.log")
    found: dict[str, object] = {}
    i = 0
    head: list[Token] = []
    if tokens[0].text.startswith("@"):
        if len(tokens[0].text) == 1:
            raise UserError("error.need_company")
        found["company"] = tokens[0].text[1:]
        i = 1
    else:
        while i < len(tokens) and tokens[i].text != NOTE_MARK:
            used = _recognise(tokens, i, today, found)
            if used:
                i += used
                break
            head.append(tokens[i])
            i += 1
    while i < len(tokens) and tokens[i].text != NOTE_MARK:
        used = _recognise(tokens, i, today, found)
        if used == 0:
            break
        i += used
    if i < len(tokens) and tokens[i].text == NOTE_MARK:
        i += 1  # `--` ends the recognised words: everything after it is the note, verbatim
    note = text[tokens[i].start :].strip() if i < len(tokens) else ""
    if len(note) > MAX_NOTE:
        raise UserError("error.note_too_long", limit=MAX_NOTE, length=len(note))
    if not head and "company" not in found:
        raise UserError("error.need_citizen")
    on = found.get("on")
    if isinstance(on, date) and on > today:
        raise UserError("error.future_contact", day=f"{on.day}/{on.month}")
    return LogArgs(
        text=text,
        head=head,
        company=found.get("company"),  # type: ignore[arg-type]
        form=found.get("form"),  # type: ignore[arg-type]
        on=on,  # type: ignore[arg-type]
        minutes=found.get("minutes"),  # type: ignore[arg-type]
        note=note,
    )


def handle(ctx: Ctx, args: LogArgs) -> Reply:
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
    on = args.on or ctx.today
    contact = add_contact(
        ctx.session,
        staff=ctx.staff,
        form=form,
        occurred_on=on,
        minutes=args.minutes,
        note=note,
        citizen=citizen,
        company=company,
        platform=ctx.platform,
        now=ctx.now,
    )
    ctx.audit("create", "contact", contact.id, citizen)
    who = fmt.citizen(citizen) if citizen else company.name  # type: ignore[union-attr]
    if citizen and company:
        who = f"{who} {ctx.t('word.at')} {company.name}"
    parts = [
        ctx.t(
            "ok.logged", form=ctx.t(f"form.{form}"), who=who, day=fmt.day(on, ctx.today, ctx.lang)
        )
    ]
    if args.minutes:
        parts.append(format_minutes(args.minutes, ctx.lang))
    summary = ", ".join(parts) + "."
    if note:
        summary += " " + ctx.t("ok.with_note", chars=len(note))
    if citizen and citizen.status == CitizenStatus.ENDED:
        summary += "\n" + ctx.t("warn.logged_on_ended")
    return Reply(summary, actions=(Action(ctx.t("action.undo"), "/fortryd"),), tone=Tone.OK)
