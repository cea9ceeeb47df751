"""/praktik: start, hours, extension and end of a company internship."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply
from bot.handlers.common import confirm
from bot.parsing.dates import take_date
from bot.parsing.tokens import Token, number, rest_of, take_hours, take_weeks, tokenize
from bot.parsing.words import PLACEMENT_ENDS
from bot.resolve import resolve_citizen_words, resolve_company
from kernel.errors import UserError
from kernel.fold import fold
from kernel.vocabulary import PlacementEnd
from store import course
from store.models import Citizen

ACTIONS = {
    "start": "start", "begynd": "start",
    "timer": "hours", "hours": "hours",
    "forlæng": "extend", "forlaeng": "extend", "extend": "extend",
    "slut": "end", "stop": "end", "end": "end", "afslut": "end",
}  # fmt: skip
_BENEFIT = re.compile(r"^(?:ydelse|benefit):(\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class PraktikArgs:
    name: list[str]
    action: str
    company: str | None = None
    start_on: date | None = None
    end_on: date | None = None
    weeks: int | None = None
    hours: float | None = None
    reason: PlacementEnd | None = None
    note: str = ""
    benefit: str | None = None  # the citizen's benefit group, for the length limit


def split_action(text: str, actions: dict[str, str], usage: str) -> tuple[list[Token], str, int]:
    """The name words before the first action word, the action, and where its arguments start."""
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if token.low in actions and i > 0:
            return tokens, actions[token.low], i + 1
    raise UserError(usage)


def parse(text: str, today: date) -> PraktikArgs:
    tokens, action, i = split_action(text, ACTIONS, "usage.praktik")
    name = [t.text for t in tokens[: i - 1]]
    words = [t.text for t in tokens]
    if action == "hours":
        value = number(tokens[i].text) if i < len(tokens) else None
        got = take_hours(tokens, i)
        if got is None and value is None:
            raise UserError("usage.praktik_timer")
        hours = got[0] if got else value
        if not hours or not 0 < hours <= 60:
            raise UserError("error.bad_hours", token=tokens[i].text)
        return PraktikArgs(name, action, hours=hours)
    if action == "extend":
        got_w = take_weeks(tokens, i)
        if got_w is None and i < len(tokens) and tokens[i].text.isdigit():
            got_w = (int(tokens[i].text), 1)
        if got_w is None:
            raise UserError("usage.praktik_forlaeng")
        return PraktikArgs(name, action, weeks=got_w[0])
    if action == "end":
        reason = PlacementEnd.ENDED
        if i < len(tokens) and tokens[i].low in PLACEMENT_ENDS:
            reason = PLACEMENT_ENDS[tokens[i].low]
            i += 1
        return PraktikArgs(name, action, reason=reason, note=rest_of(text, tokens, i))
    args: dict[str, object] = {}
    company_at = -2  # where the @company token was
    while i < len(tokens):
        token = tokens[i]
        if token.text.startswith("@") and "company" not in args:
            args["company"] = token.text[1:]
            company_at = i
            i += 1
        elif token.low in ("fra", "from") and (got_d := take_date(words, i + 1, today, "nearest")):
            args["start_on"] = got_d[0]
            i += 1 + got_d[1]
        elif token.low in ("til", "to", "until") and (
            got_d := take_date(words, i + 1, today, "future")
        ):
            args["end_on"] = got_d[0]
            i += 1 + got_d[1]
        elif m := _BENEFIT.match(token.text):
            args["benefit"] = m.group(1)
            i += 1
        elif got_w := take_weeks(tokens, i):
            args["weeks"] = got_w[0]
            i += got_w[1]
        elif got_h := take_hours(tokens, i):
            args["hours"] = got_h[0]
            i += got_h[1]
        elif "start_on" not in args and (got_d := take_date(words, i, today, "nearest")):
            args["start_on"] = got_d[0]
            i += got_d[1]
        elif company_at == i - 1:  # `@bilka tilst`: the company's name goes on
            args["company"] = f"{args['company']} {token.text}"
            company_at = i
            i += 1
        else:
            raise UserError("error.praktik_word", token=token.text)
    if "company" not in args:
        raise UserError("error.need_company")
    if "weeks" in args and "end_on" in args:
        raise UserError("error.weeks_or_end")
    return PraktikArgs(name, action, **args)  # type: ignore[arg-type]


def handle(ctx: Ctx, args: PraktikArgs) -> Reply:
    citizen, _ = resolve_citizen_words(ctx, args.name)
    course.refuse_if_ended(citizen)  # before asking which company
    if args.action == "start":
        return _start(ctx, citizen, args)
    if args.action == "hours":
        assert args.hours is not None
        placement = course.praktik_hours(
            ctx.session, citizen, args.hours, ctx.today, ctx.staff, ctx.now
        )
        ctx.audit("update", "placement", placement.id, citizen, "hours")
        return confirm(ctx, "ok.praktik_hours", citizen, hours=fmt.hours(args.hours))
    if args.action == "extend":
        assert args.weeks is not None
        placement, new_end = course.extend_praktik(
            ctx.session, citizen, args.weeks, ctx.today, ctx.staff, ctx.now
        )
        ctx.audit("update", "placement", placement.id, citizen, "extend")
        return confirm(
            ctx,
            "ok.praktik_extended",
            citizen,
            weeks=args.weeks,
            end=fmt.day(new_end, ctx.today, ctx.lang),
        )
    assert args.reason is not None
    placement = course.end_praktik(ctx.session, citizen, args.reason, args.note, ctx.today)
    ctx.audit("update", "placement", placement.id, citizen, "end")
    return confirm(ctx, "ok.praktik_ended", citizen, reason=ctx.t(f"praktikend.{args.reason}"))


def _start(ctx: Ctx, citizen: Citizen, args: PraktikArgs) -> Reply:
    assert args.company is not None
    company = resolve_company(ctx, args.company)
    start = args.start_on or ctx.today
    end = args.end_on or (start + timedelta(weeks=args.weeks) if args.weeks else None)
    placement = course.start_praktik(
        ctx.session,
        citizen=citizen,
        company=company,
        start_on=start,
        planned_end_on=end,
        hours_per_week=args.hours,
        by=ctx.staff,
        now=ctx.now,
    )
    ctx.audit("create", "placement", placement.id, citizen)
    if end is not None:
        _warn_if_too_long(ctx, start, end, args.benefit)
    details = [ctx.t("detail.from", day=fmt.day(start, ctx.today, ctx.lang))]
    if end:
        weeks = (end - start).days // 7
        details.append(
            ctx.t("detail.until_weeks", day=fmt.day(end, ctx.today, ctx.lang), weeks=weeks)
        )
    if args.hours:
        details.append(ctx.t("detail.hours", hours=fmt.hours(args.hours)))
    return confirm(
        ctx, "ok.praktik_started", citizen, company=company.name, details=", ".join(details)
    )


def _warn_if_too_long(ctx: Ctx, start: date, end: date, benefit: str | None) -> None:
    """A planned length over the benefit group's limit gets a notice on the confirmation."""
    limits = {fold(k): (k, v) for k, v in ctx.settings.praktik_limit_weeks.items()}
    fallback = limits.get("standard", ("standard", 13))
    group, limit = limits.get(fold(benefit), fallback) if benefit else fallback
    weeks = math.ceil((end - start).days / 7)
    if weeks > limit:
        ctx.notices.append(ctx.t("warn.praktik_limit", weeks=weeks, limit=limit, group=group))
