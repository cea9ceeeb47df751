"""/status, /jobrate and /rapport: the figures team leads report, scoped and audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.context import Ctx
from bot.core import Attachment, Reply
from bot.resolve import resolve_staff
from kernel.errors import UserError
from reports.catalogue import ReportRequest, build_report, report_name
from reports.chat import jobrate_reply, status_reply
from reports.files import render_file
from reports.jobrate import jobrate_report, rules_from
from reports.periods import Period, parse_period, unit_period
from reports.scope import ReportScope, default_scope, person_scope, team_scope
from reports.status import figure_handles, status_report

TEAM_WORDS = {"team", "teamet"}
MUNICIPALITY_WORDS = {"kommune", "kommuner", "municipality", "municipalities"}
HANDLE_WORDS = {"borgere", "citizens", "handles"}
FORMATS = {"xlsx", "csv", "png", "json"}
FILLERS = {"i", "denne", "dette", "this", "in", "the", "for"}  # "i år", "this year"


@dataclass(frozen=True)
class ReportArgs:
    """What a report command asked for; names are resolved by the handler."""

    period: Period
    team: bool = False
    split_municipality: bool = False
    municipality: str | None = None
    person: str | None = None
    handles: bool = False
    report: str = ""
    fmt: str = "xlsx"


def parse_words(text: str, today: date, default_unit: str) -> ReportArgs:
    """`[periode] [team|kommune[:navn]|@person] [borgere] [xlsx|csv|png]` in any order."""
    args = ReportArgs(unit_period(default_unit, today))
    for word in (w.rstrip("?!,") for w in text.split()):
        low = word.casefold()
        if not low:
            continue
        period = parse_period(word, today)
        if low in FILLERS:
            continue
        if period is not None:
            args = replace(args, period=period)
        elif low in TEAM_WORDS:
            args = replace(args, team=True)
        elif low in MUNICIPALITY_WORDS:
            args = replace(args, split_municipality=True)
        elif low.startswith(("kommune:", "municipality:")) and len(low.split(":", 1)[1]) > 0:
            args = replace(args, municipality=word.split(":", 1)[1])
        elif low.startswith("@") and len(low) > 1:
            args = replace(args, person=word[1:])
        elif low in HANDLE_WORDS:
            args = replace(args, handles=True)
        elif low in FORMATS:
            args = replace(args, fmt=low)
        else:
            raise UserError("error.report_word", token=word)
    return args


def resolve_scope(ctx: Ctx, args: ReportArgs) -> ReportScope:
    """The population the person asked for, refused if outside what they may see."""
    if args.person:
        scope = person_scope(ctx.session, ctx.staff, resolve_staff(ctx, args.person))
    elif args.team:
        scope = team_scope(ctx.session, ctx.staff)
    else:
        scope = default_scope(ctx.session, ctx.staff)
    return scope.with_municipality(args.municipality)


def parse_status(text: str, today: date) -> ReportArgs:
    return parse_words(text, today, "week")


def handle_status(ctx: Ctx, args: ReportArgs) -> Reply:
    if args.split_municipality:
        raise UserError("error.status_municipality")
    scope = resolve_scope(ctx, args)
    result = status_report(ctx.session, scope, args.period, ctx.now)
    handles = None
    if args.handles:
        handles = {
            (f.metric, f.key): figure_handles(ctx.session, scope, args.period, f.metric, f.key)
            for f in result.figures
            if f.current
        }
    ctx.audit("read", "report", detail=f"status {args.period.unit} {scope.kind}")
    return status_reply(result, scope, ctx.t, handles)


def parse_jobrate(text: str, today: date) -> ReportArgs:
    return parse_words(text, today, "year")


def handle_jobrate(ctx: Ctx, args: ReportArgs) -> Reply:
    scope = resolve_scope(ctx, args)
    rules = rules_from(ctx.settings)
    result = jobrate_report(
        ctx.session, scope, args.period, rules, ctx.today, args.split_municipality
    )
    ctx.audit("read", "report", detail=f"jobrate {args.period.unit} {scope.kind}")
    return jobrate_reply(result, scope, ctx.t)


def parse_report(text: str, today: date) -> ReportArgs:
    name, _, rest = text.strip().partition(" ")
    if not name:
        raise UserError("usage.rapport")
    found = report_name(name)
    if found is None:
        raise UserError("error.no_report", name=name)
    args = parse_words(rest, today, "year")
    return replace(args, report=found)


def handle_report(ctx: Ctx, args: ReportArgs) -> Reply:
    scope = resolve_scope(ctx, args)
    request = ReportRequest(
        args.report, scope, args.period, ctx.now, ctx.today, ctx.settings, args.split_municipality
    )
    table = build_report(ctx.session, request, ctx.t)
    ctx.audit("read", "report", detail=f"{args.report} {args.period.unit} {scope.kind} file")
    name, mime, data = render_file(table, args.fmt, ctx.t)
    return Reply(
        ctx.t("report.file_ready", title=table.title, name=name),
        files=(Attachment(name, mime, data),),
    )
