"""/job: job start, hours change and end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm
from bot.handlers.praktik import split_action
from bot.parsing.dates import take_date
from bot.parsing.tokens import number, rest_of, take_hours
from bot.parsing.words import JOB_KINDS
from bot.resolve import resolve_citizen_words, resolve_company
from kernel.errors import UserError
from kernel.vocabulary import JobKind
from store import course

ACTIONS = {
    "start": "start", "begynd": "start", "begin": "start", "ansat": "start", "hired": "start",
    "timer": "hours", "hours": "hours",
    "slut": "end", "stop": "end", "end": "end", "ophør": "end",
}  # fmt: skip


@dataclass(frozen=True)
class JobArgs:
    name: list[str]
    action: str
    company: str | None = None
    kind: JobKind | None = None
    hours: float | None = None
    start_on: date | None = None
    note: str = ""


def parse(text: str, today: date) -> JobArgs:
    tokens, action, i = split_action(text, ACTIONS, "usage.job")
    name = [t.text for t in tokens[: i - 1]]
    words = [t.text for t in tokens]
    if action == "hours":
        got = take_hours(tokens, i)
        value = got[0] if got else (number(tokens[i].text) if i < len(tokens) else None)
        if value is None:
            raise UserError("usage.job_timer")
        if not 0 < value <= 60:
            raise UserError("error.bad_hours", token=tokens[i].text)
        return JobArgs(name, action, hours=value)
    if action == "end":
        return JobArgs(name, action, note=rest_of(text, tokens, i))
    args: dict[str, object] = {}
    company_at = -2  # where the @company token was
    while i < len(tokens):
        token = tokens[i]
        if token.text.startswith("@") and "company" not in args:
            args["company"] = token.text[1:]
            company_at = i
            i += 1
        elif token.low in JOB_KINDS and "kind" not in args:
            args["kind"] = JOB_KINDS[token.low]
            i += 1
        elif got_h := take_hours(tokens, i):
            args["hours"] = got_h[0]
            i += got_h[1]
        elif token.low in ("fra", "from") and (got_d := take_date(words, i + 1, today, "nearest")):
            args["start_on"] = got_d[0]
            i += 1 + got_d[1]
        elif "start_on" not in args and (got_d := take_date(words, i, today, "nearest")):
            args["start_on"] = got_d[0]
            i += got_d[1]
        elif company_at == i - 1:  # `@bilka tilst`: the company's name goes on
            args["company"] = f"{args['company']} {token.text}"
            company_at = i
            i += 1
        else:
            raise UserError("error.job_word", token=token.text)
    if "company" not in args:
        raise UserError("error.need_company")
    return JobArgs(name, action, **args)  # type: ignore[arg-type]


def handle(ctx: Ctx, args: JobArgs) -> Reply:
    citizen, _ = resolve_citizen_words(ctx, args.name)
    course.refuse_if_ended(citizen)  # before asking which company
    if args.action == "start":
        assert args.company is not None
        company = resolve_company(ctx, args.company)
        kind = args.kind or JobKind.ORDINARY
        start = args.start_on or ctx.today
        job = course.start_job(
            ctx.session,
            citizen=citizen,
            company=company,
            kind=kind,
            hours_per_week=args.hours,
            start_on=start,
            by=ctx.staff,
            now=ctx.now,
        )
        ctx.audit("create", "job", job.id, citizen)
        details = ctx.t("detail.from", day=fmt.day(start, ctx.today, ctx.lang))
        if args.hours:
            details += ", " + ctx.t("detail.hours", hours=fmt.hours(args.hours))
        return confirm(
            ctx,
            "ok.job_started",
            citizen,
            kind=ctx.t(f"jobkind.{kind}"),
            company=company.name,
            details=details,
        )
    if args.action == "hours":
        assert args.hours is not None
        current = course.job_hours(ctx.session, citizen, args.hours, ctx.today, ctx.staff, ctx.now)
        ctx.audit("update", "job", current.id, citizen, "hours")
        return confirm(ctx, "ok.job_hours", citizen, hours=fmt.hours(args.hours))
    current = course.end_job(ctx.session, citizen, args.note, ctx.today)
    ctx.audit("update", "job", current.id, citizen, "end")
    return confirm(ctx, "ok.job_ended", citizen, day=fmt.day(ctx.today, ctx.today, ctx.lang))
