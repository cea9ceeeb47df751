"""A person's home view (Slack's App Home, a Teams tab): caseload, follow-ups due, this week."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot import format as fmt
from bot.context import Ctx
from bot.core import Inbound, Reply, Section
from bot.dispatch import open_ctx
from bot.handlers import caseload
from kernel.i18n import has_text
from store.home import contacts_by_form, due_follow_ups

if TYPE_CHECKING:
    from bot.app import Rampe


def home_reply(app: Rampe, inbound: Inbound) -> Reply:
    """The home view of the person behind `inbound`, in one unit of work."""
    with app.unit_of_work() as session:
        ctx, _ = open_ctx(app, session, inbound)
        mine = caseload.handle(ctx, caseload.CaseloadArgs())
        sections = (
            Section(heading=ctx.t("home.caseload"), lines=_lines(mine)),
            Section(heading=ctx.t("home.due"), lines=_due_lines(ctx)),
            Section(heading=ctx.t("home.week"), lines=_week_lines(ctx)),
        )
        return Reply(ctx.t("home.title", name=ctx.staff.display_name), sections=sections)


def _lines(reply: Reply) -> tuple[str, ...]:
    lines = tuple(line for section in reply.sections for line in section.lines)
    return lines or (reply.summary,)


def _due_lines(ctx: Ctx) -> tuple[str, ...]:
    lines = []
    for follow_up, citizen in due_follow_ups(ctx.session, ctx.staff, ctx.now):
        if citizen is not None:
            ctx.audit("read", "citizen", citizen.id, citizen, "home")
        key = f"rule.{follow_up.rule}"
        what = ctx.t(key) if has_text(key) else follow_up.rule
        who = fmt.citizen(citizen) if citizen else ""
        day = fmt.day(follow_up.due_at.astimezone(ctx.tz).date(), ctx.today, ctx.lang)
        lines.append(f"{day}: {what} {who}".strip())
    return tuple(lines) or (ctx.t("home.none_due"),)


def _week_lines(ctx: Ctx) -> tuple[str, ...]:
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    rows = contacts_by_form(ctx.session, ctx.staff, monday)
    total = sum(n for _, n in rows)
    lines = [ctx.t("home.week_total", count=total, day=f"{monday.day}/{monday.month}")]
    lines.extend(f"{ctx.t(f'form.{form}')}: {n}" for form, n in rows)
    return tuple(lines)
