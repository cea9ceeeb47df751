"""/caseload [team|@person] [uden-kontakt N]: active courses, both readings, against the cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply, Section
from bot.handlers.citizen import status_text
from bot.parsing.periods import parse_period
from bot.render.reports import caseload_facts, filter_lines
from bot.resolve import resolve_staff
from kernel.errors import UserError
from reports.caseload import CaseloadLine, caseload_lines, silent_citizens
from reports.filters import CitizenFilter, citizen_filter, filter_word
from reports.periods import unit_period
from reports.scope import ReportScope, person_scope, scope_citizen_ids, team_scope
from store.citizens import caseload
from store.models import Staff

SILENT_WORDS = {"uden-kontakt", "udenkontakt", "stille", "no-contact", "silent"}
DAY_WORDS = {"dage", "dag", "days", "day", "d"}


@dataclass(frozen=True)
class CaseloadArgs:
    team: bool = False
    person: str | None = None
    silent_days: int | None = None
    filter: CitizenFilter | None = None  # `henvist [år]`: only the citizens a filter keeps


def parse(text: str, today: date) -> CaseloadArgs:
    """`[team|@person] [uden-kontakt N [dage]] [filter [periode]]`; a filter counts this year
    unless a period is given."""
    team, person, silent = False, None, None
    kinds: list[str] = []
    period = unit_period("year", today)
    words = text.split()
    i = 0
    while i < len(words):
        low = words[i].casefold()
        if (asked := parse_period(words[i], today)) is not None:
            period = asked
        elif (kind := filter_word(words[i])) is not None:
            kinds.append(kind)
        elif low in ("team", "teamet"):
            team = True
        elif low.startswith("@") and len(low) > 1:
            person = words[i][1:]
        elif low in SILENT_WORDS:
            silent = 14
            if i + 1 < len(words) and words[i + 1].isdigit():
                silent = int(words[i + 1])
                i += 1
                if i + 1 < len(words) and words[i + 1].casefold() in DAY_WORDS:
                    i += 1
            if not 1 <= silent <= 365:
                raise UserError("usage.caseload")
        else:
            raise UserError("usage.caseload")
        i += 1
    return CaseloadArgs(team, person, silent, citizen_filter(kinds, period))


def _scope(ctx: Ctx, args: CaseloadArgs) -> ReportScope:
    if args.person:
        scope = person_scope(ctx.session, ctx.staff, resolve_staff(ctx, args.person))
    elif args.team:
        scope = team_scope(ctx.session, ctx.staff)
    else:
        scope = ReportScope("own", ctx.staff, person_id=ctx.staff.id, name=ctx.staff.display_name)
    return scope.with_filter(args.filter)


def handle(ctx: Ctx, args: CaseloadArgs) -> Reply:
    scope = _scope(ctx, args)
    cap = ctx.settings.caseload_cap
    if args.silent_days is not None:
        return _silent(ctx, scope, args.silent_days)
    counts = caseload_lines(ctx.session, scope, ctx.today, cap)
    ctx.audit("read", "report", detail=f"caseload {scope.audited}")
    definition = (ctx.t("def.caseload", cap=cap), *filter_lines(scope, ctx.t))
    if scope.kind == "team":
        return Reply(
            ctx.t("report.caseload_team", scope=scope.label(ctx.t)),
            sections=(Section(facts=caseload_facts(ctx.t, counts)), Section(lines=definition)),
        )
    person = ctx.session.get(Staff, scope.person_id) if scope.person_id else ctx.staff
    return _listing(ctx, counts, person or ctx.staff, definition, scope)


def _listing(
    ctx: Ctx, counts: list[CaseloadLine], person: Staff, definition: tuple[str, ...],
    scope: ReportScope,
) -> Reply:  # fmt: skip
    rows = caseload(ctx.session, person)
    if scope.filter:
        kept = set(scope_citizen_ids(ctx.session, scope))
        rows = [row for row in rows if row.citizen.id in kept]
        if not rows:
            return Reply(
                ctx.t("reply.caseload_filtered_empty"), sections=(Section(lines=definition),)
            )
    if not rows:
        return Reply(ctx.t("reply.caseload_empty"))
    lines = []
    for row in rows:
        ctx.audit("read", "citizen", row.citizen.id, row.citizen, "caseload")
        last = (
            fmt.day(row.last_contact, ctx.today, ctx.lang)
            if row.last_contact
            else ctx.t("word.none")
        )
        lines.append(
            f"{fmt.citizen(row.citizen)}: {status_text(ctx, row.citizen)}; "
            f"{ctx.t('label.last_contact').lower()} {last}"
        )
    title = ctx.t("reply.caseload", count=len(rows))
    if person.id != ctx.staff.id:
        title = ctx.t("report.caseload_of", name=person.display_name, count=len(rows))
    return Reply(
        title,
        sections=(
            Section(lines=tuple(lines)),
            Section(facts=caseload_facts(ctx.t, counts), lines=definition),
        ),
    )


def _silent(ctx: Ctx, scope: ReportScope, days: int) -> Reply:
    found = silent_citizens(ctx.session, scope, ctx.today, days)
    lines = []
    for row in found:
        ctx.audit("read", "citizen", row.citizen.id, row.citizen, "caseload silent")
        last = fmt.day(row.last_contact, ctx.today, ctx.lang) if row.last_contact else None
        lines.append(f"{fmt.citizen(row.citizen)}: {last or ctx.t('report.never_contacted')}")
    if not lines:
        return Reply(ctx.t("report.silent_none", days=days))
    title = ctx.t("report.silent", days=days, count=len(lines))
    return Reply(title, sections=(Section(lines=tuple(lines)),))
