"""/status, /jobrate and /rapport: the figures team leads report, scoped and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot.context import Ctx
from bot.core import Attachment, Reply
from bot.parsing.dates import parse_date_token
from bot.parsing.periods import parse_period
from bot.render.reports import figure_reply, jobrate_reply, status_reply, table_reply
from bot.resolve import resolve_staff
from kernel.errors import UserError
from reports.catalogue import FIGURE_REPORTS, ReportRequest, build_report, report_name, report_title
from reports.files import render_file
from reports.filters import citizen_filter, filter_word
from reports.jobrate import jobrate_report, rules_from
from reports.periods import Period, unit_period
from reports.programme import figure_report
from reports.scope import ReportScope, default_scope, person_scope, team_scope
from reports.status import figure_handles, status_report

TEAM_WORDS = {"team", "teamet"}
MUNICIPALITY_WORDS = {"kommune", "kommuner", "municipality", "municipalities"}
HANDLE_WORDS = {"borgere", "citizens", "handles"}
FORMATS = {"xlsx", "csv", "png", "json"}
AS_OF_WORDS = {"pr.", "pr", "per", "as-of", "asof"}
AS_OF_SPACED = re.compile(r"\bas\s+of\b", re.IGNORECASE)
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
    fmt: str = ""  # "" answers in the chat; xlsx, csv, png or json make a file
    cohort: str | None = None  # `kohorte:henvist`: the job rate's cohort for this once
    as_of: date | None = None  # `pr. 30/6`: count as if that were today, so a rerun agrees
    filters: tuple[str, ...] = ()  # `henvist`, `ansat-ved-start`: reports.filters


def parse_words(text: str, today: date, default_unit: str) -> ReportArgs:
    """`[periode] [team|kommune[:navn]|@person] [borgere] [xlsx|csv|png] [filter]` in any order."""
    args = ReportArgs(unit_period(default_unit, today))
    text = AS_OF_SPACED.sub("as-of", text)  # `as of 30/6` as English is written
    words = [w.rstrip("?!,") for w in text.split()]
    for n, word in enumerate(words):
        low = word.casefold()
        if not low or (n > 0 and words[n - 1].casefold() in AS_OF_WORDS):
            continue
        period = parse_period(word, today)
        if low in FILLERS:
            continue
        if low in AS_OF_WORDS:
            args = replace(args, as_of=_as_of(words[n + 1 : n + 2], today))
        elif period is not None:
            args = replace(args, period=period)
        elif low in TEAM_WORDS:
            args = replace(args, team=True)
        elif low in MUNICIPALITY_WORDS:
            args = replace(args, split_municipality=True)
        elif low.startswith(("kohorte:", "cohort:")):
            args = replace(args, cohort=_cohort(low.split(":", 1)[1]))
        elif low.startswith(("kommune:", "municipality:")) and len(low.split(":", 1)[1]) > 0:
            args = replace(args, municipality=word.split(":", 1)[1])
        elif low.startswith("@") and len(low) > 1:
            args = replace(args, person=word[1:])
        elif low in HANDLE_WORDS:
            args = replace(args, handles=True)
        elif low in FORMATS:
            args = replace(args, fmt=low)
        elif (kind := filter_word(word)) is not None:
            args = replace(args, filters=(*args.filters, kind))
        else:
            raise UserError("error.report_word", token=word)
    args.period.until(args.as_of)  # refuses a day before the period, while parsing
    return args


COHORT_WORDS = {
    "henvist": "referred", "henviste": "referred", "referred": "referred",
    "startet": "started", "startede": "started", "started": "started",
    "afsluttet": "ended", "afsluttede": "ended", "ended": "ended",
    "gennemført": "completed", "gennemfort": "completed", "gennemførte": "completed",
    "completed": "completed",
    "praktik": "praktik", "placement": "praktik",
}  # fmt: skip


def _cohort(word: str) -> str:
    if word not in COHORT_WORDS:
        raise UserError("error.report_cohort", name=word)
    return COHORT_WORDS[word]


def _as_of(words: list[str], today: date) -> date:
    if not words:
        raise UserError("error.report_as_of")
    try:
        day = parse_date_token(words[0], today, "past")
    except UserError:
        day = None
    if day is None:
        raise UserError("error.report_as_of")
    return day


def counted_period(args: ReportArgs) -> Period:
    """The period asked for, ending no later than the as-of day, so a rerun does not drift."""
    return args.period.until(args.as_of)


def resolve_scope(ctx: Ctx, args: ReportArgs) -> ReportScope:
    """The population the person asked for, refused if outside what they may see."""
    if args.person:
        scope = person_scope(ctx.session, ctx.staff, resolve_staff(ctx, args.person))
    elif args.team:
        scope = team_scope(ctx.session, ctx.staff)
    else:
        scope = default_scope(ctx.session, ctx.staff)
    chosen = citizen_filter(args.filters, counted_period(args))
    return scope.with_municipality(args.municipality).with_filter(chosen)


def parse_status(text: str, today: date) -> ReportArgs:
    return parse_words(text, today, "week")


def handle_status(ctx: Ctx, args: ReportArgs) -> Reply:
    if args.split_municipality:
        raise UserError("error.status_municipality")
    scope = resolve_scope(ctx, args)
    period = counted_period(args)
    result = status_report(ctx.session, scope, period, ctx.now)
    handles = None
    if args.handles:
        handles = {
            (f.metric, f.key): figure_handles(ctx.session, scope, period, f.metric, f.key)
            for f in result.figures
            if f.current
        }
    ctx.audit("read", "report", detail=f"status {args.period.unit} {scope.audited}")
    return status_reply(result, scope, ctx.t, handles)


def parse_jobrate(text: str, today: date) -> ReportArgs:
    return parse_words(text, today, "year")


def handle_jobrate(ctx: Ctx, args: ReportArgs) -> Reply:
    scope = resolve_scope(ctx, args)
    rules = rules_from(ctx.settings, args.cohort, scope.name if scope.kind == "team" else None)
    result = jobrate_report(
        ctx.session, scope, counted_period(args), rules, args.as_of or ctx.today,
        args.split_municipality,
    )  # fmt: skip
    ctx.audit("read", "report", detail=f"jobrate {args.period.unit} {scope.audited}")
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
    today = args.as_of or ctx.today
    request = ReportRequest(
        args.report,
        scope,
        counted_period(args),
        ctx.now,
        today,
        ctx.settings,
        args.split_municipality,
        handles=bool(args.fmt) or args.handles,
        cohort=args.cohort,
    )
    where = args.fmt or "chat"
    ctx.audit("read", "report", detail=f"{args.report} {args.period.unit} {scope.audited} {where}")
    if not args.fmt and args.report in FIGURE_REPORTS:
        report = figure_report(ctx.session, request)
        return figure_reply(report, report_title(request, ctx.t), ctx.t, args.handles, scope)
    table = build_report(ctx.session, request, ctx.t)
    if not args.fmt:
        return table_reply(table, args.handles)
    ctx.audit_shown("\n".join(text for _, text in table.handles), f"/rapport {args.fmt}")
    name, mime, data = render_file(table, args.fmt, ctx.t)
    return Reply(
        ctx.t("report.file_ready", title=table.title, name=name),
        files=(Attachment(name, mime, data),),
    )
