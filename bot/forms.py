"""Forms: the fields of `/log`, `/praktik start` and `/job start` as a platform-neutral spec.

A Slack modal and a Teams card form are renderings of a `Form`. A submitted form is checked
field by field with the same parsers the typed commands use, then turned into the command a
person would have typed and run through the dispatcher, so a form can do nothing a typed
command could not, and reaches no citizen outside the person's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.context import Ctx
from bot.core import Inbound, Reply, Tone
from bot.dispatch import open_ctx
from bot.handlers.log import MAX_NOTE
from bot.parsing.dates import parse_date
from bot.parsing.durations import parse_duration
from bot.parsing.safety import check_input
from bot.parsing.tokens import MAX_HOURS, number
from bot.parsing.words import CONTACT_FORMS, JOB_KINDS
from bot.resolve import visible_ids
from kernel.errors import UserError
from kernel.vocabulary import ContactForm, JobKind
from store.scope import scoped_ids

if TYPE_CHECKING:
    from bot.app import Rampe

SUGGESTION_LIMIT = 25


class FieldKind(StrEnum):
    CITIZEN = "citizen"  # one of the person's citizens, by handle (type-ahead)
    COMPANY = "company"  # a company, by id (type-ahead)
    CHOICE = "choice"  # one of `choices`
    DATE = "date"  # a date picker; ISO yyyy-mm-dd
    TEXT = "text"  # one line
    NOTE = "note"  # several lines
    NUMBER = "number"  # hours or weeks


@dataclass(frozen=True)
class Field:
    """One input of a form. `label` is a text key; choices are (value, text key)."""

    name: str
    kind: FieldKind
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""  # a text key shown as placeholder or help
    max_length: int = 200


@dataclass(frozen=True)
class Form:
    """A form: its id (used in callback ids), title key, fields and how values become text."""

    id: str
    title: str
    fields: tuple[Field, ...]
    command: Callable[[Mapping[str, str]], str]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


class FormErrors(Exception):
    """Field name -> message, in the person's language; shown beside each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def first_word(table: Mapping[str, object], value: object) -> str:
    """The first (Danish) word a word table maps to `value`: what a person would type."""
    return next(word for word, meant in table.items() if meant == value)


def _log_command(v: Mapping[str, str]) -> str:
    parts = ["/log", v["citizen"], first_word(CONTACT_FORMS, ContactForm(v["form"]))]
    parts.append(v.get("date") or "i dag")
    if v.get("duration"):
        parts.append(v["duration"].replace(" ", ""))
    if v.get("company"):
        parts.append(f"@#{v['company']}")
    if v.get("note"):
        parts += ["--", v["note"]]
    return " ".join(parts)


def _praktik_command(v: Mapping[str, str]) -> str:
    parts = ["/praktik", v["citizen"], "start", f"@#{v['company']}"]
    if v.get("date"):
        parts += ["fra", v["date"]]
    if v.get("weeks"):
        parts += [v["weeks"], "uger"]
    if v.get("hours"):
        parts += [v["hours"].replace(",", "."), "t/uge"]
    return " ".join(parts)


def _job_command(v: Mapping[str, str]) -> str:
    parts = ["/job", v["citizen"], "start", f"@#{v['company']}"]
    parts.append(first_word(JOB_KINDS, JobKind(v.get("kind") or JobKind.ORDINARY)))
    if v.get("hours"):
        parts += [v["hours"].replace(",", "."), "t/uge"]
    if v.get("date"):
        parts += ["fra", v["date"]]
    return " ".join(parts)


_CITIZEN = Field("citizen", FieldKind.CITIZEN, "field.citizen", required=True)
_COMPANY = Field("company", FieldKind.COMPANY, "field.company", required=True)

LOG_FORM = Form(
    "log",
    "form.title.log",
    (
        _CITIZEN,
        Field(
            "form",
            FieldKind.CHOICE,
            "field.form",
            required=True,
            choices=tuple((f.value, f"form.{f.value}") for f in ContactForm),
        ),
        Field("date", FieldKind.DATE, "field.date", hint="hint.date_past"),
        Field("duration", FieldKind.TEXT, "field.duration", hint="hint.duration", max_length=10),
        replace(_COMPANY, required=False),
        Field("note", FieldKind.NOTE, "field.note", hint="hint.note", max_length=MAX_NOTE),
    ),
    _log_command,
)
PRAKTIK_FORM = Form(
    "praktik",
    "form.title.praktik",
    (
        _CITIZEN,
        _COMPANY,
        Field("date", FieldKind.DATE, "field.start_date"),
        Field("weeks", FieldKind.NUMBER, "field.weeks", hint="hint.weeks", max_length=3),
        Field("hours", FieldKind.NUMBER, "field.hours", hint="hint.hours", max_length=5),
    ),
    _praktik_command,
)
JOB_FORM = Form(
    "job",
    "form.title.job",
    (
        _CITIZEN,
        _COMPANY,
        Field(
            "kind",
            FieldKind.CHOICE,
            "field.job_kind",
            required=True,
            choices=tuple((k.value, f"jobkind.{k.value}") for k in JobKind),
        ),
        Field("hours", FieldKind.NUMBER, "field.hours", hint="hint.hours", max_length=5),
        Field("date", FieldKind.DATE, "field.start_date"),
    ),
    _job_command,
)
FORMS: dict[str, Form] = {f.id: f for f in (LOG_FORM, PRAKTIK_FORM, JOB_FORM)}


def _parses(parser: Callable[..., object], *args: object) -> bool:
    try:
        return parser(*args) is not None
    except UserError:
        return False


def _check_field(field: Field, value: str, today: date) -> str | None:
    """The text key of what is wrong with `value`, or None."""
    if not value:
        return "form.error.required" if field.required else None
    if len(value) > field.max_length:
        return "form.error.too_long"
    if field.kind is FieldKind.CHOICE and value not in {v for v, _ in field.choices}:
        return "form.error.choice"
    if field.kind is FieldKind.DATE and not _parses(parse_date, value, today):
        return "form.error.date"
    if field.kind is FieldKind.COMPANY and not value.isdigit():
        return "form.error.choice"
    if field.kind is FieldKind.CITIZEN and not value.replace("-", "").isalnum():
        return "form.error.choice"
    if field.name == "duration" and not _parses(parse_duration, value.replace(" ", "")):
        return "form.error.duration"
    if field.name == "hours" and not 0 < (number(value) or 0) <= MAX_HOURS:
        return "form.error.hours"
    if field.name == "weeks" and not (value.isdigit() and 1 <= int(value) <= 104):
        return "form.error.weeks"
    return None


def validate(ctx: Ctx, form: Form, values: Mapping[str, str]) -> dict[str, str]:
    """Clean values, or FormErrors naming each bad field. Unknown fields are ignored."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        raw = (values.get(field.name) or "").strip()
        try:
            value = check_input(raw)  # CPR numbers and control characters, as when typed
        except UserError as err:
            errors[field.name] = ctx.t(err.key, **err.params)
            continue
        problem = _check_field(field, value, ctx.today)
        if problem:
            errors[field.name] = ctx.t(problem, limit=field.max_length)
        elif value:
            clean[field.name] = value
    if errors:
        raise FormErrors(errors)
    return clean


def submit(app: Rampe, inbound: Inbound, form: Form, values: Mapping[str, str]) -> Reply:
    """Run a submitted form as the command it stands for; FormErrors if a field is wrong.

    `inbound` says who submitted it (its text is ignored). A command that fails (an unknown
    or out-of-scope citizen, a course that has ended) raises FormErrors on the citizen field.
    """
    with app.unit_of_work() as session:
        ctx, _ = open_ctx(app, session, inbound)
        clean = validate(ctx, form, values)
    reply = app.handle(replace(inbound, text=form.command(clean)))
    if reply.tone is Tone.ERROR:
        raise FormErrors({"citizen": reply.summary})
    return reply


def suggest(app: Rampe, inbound: Inbound, kind: FieldKind, query: str) -> list[tuple[str, str]]:
    """Type-ahead: (value, label) pairs for a citizen or company field, scoped and audited."""
    with app.unit_of_work() as session:
        ctx, _ = open_ctx(app, session, inbound)
        if kind is FieldKind.CITIZEN:
            found = suggest_citizens(ctx, query)
        else:
            found = suggest_companies(ctx, query)
        ctx.audit("search", kind.value, detail=f"{len(found)} suggestions")
    return found


def suggest_citizens(ctx: Ctx, query: str) -> list[tuple[str, str]]:
    """Citizens the person may see whose name or handle matches `query`; own active first."""
    index = ctx.directory.citizens(ctx.session)
    if query.strip():
        records = [m.record for m in index.search(query, visible_ids(ctx, index))]
    else:
        records = [r for r in index.records.values() if r.owner_id == ctx.staff.id]
    records.sort(key=lambda r: (r.ended, r.owner_id != ctx.staff.id, r.name))
    shown = records[:SUGGESTION_LIMIT]
    allowed = scoped_ids(ctx.session, ctx.staff, [r.id for r in shown])  # the store decides
    shown = [r for r in shown if r.id in allowed]
    for r in shown:  # a name shown is a name read
        ctx.audit("read", "citizen", citizen_id=r.id, handle=r.handle, detail="type-ahead")
    return [(r.handle, f"{r.name} ({r.handle})") for r in shown]


def suggest_companies(ctx: Ctx, query: str) -> list[tuple[str, str]]:
    """Companies whose name matches `query` (all of them, by name, when it is empty)."""
    index = ctx.directory.companies(ctx.session)
    if query.strip():
        records = [m.record for m in sorted(index.search(query), key=lambda m: -m.score)]
    else:
        records = sorted(index.records.values(), key=lambda r: r.name)
    return [(str(r.id), r.name) for r in records[:SUGGESTION_LIMIT]]
