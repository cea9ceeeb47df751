"""/opfølgning (/due): my due and upcoming follow-ups; snooze, done, not relevant. /påmind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from bot import format as fmt
from bot.context import Ctx
from bot.core import Reply, Section, Tone
from bot.handlers.common import confirm
from bot.parsing.dates import take_date
from bot.parsing.tokens import rest_of, tokenize
from bot.resolve import resolve_citizen_words, resolve_company
from bot.scheduler import digests
from bot.scheduler.due import refresh, work_calendar
from kernel.errors import UserError
from kernel.vocabulary import CitizenStatus, FollowUpState
from store import followup_items as items
from store.models import Absence, Citizen, FollowUp
from store.scope import may_see

ACTIONS = {
    "udsæt": "snooze", "udsaet": "snooze", "snooze": "snooze", "senere": "snooze",
    "later": "snooze",
    "udført": "done", "udfort": "done", "done": "done", "færdig": "done", "ok": "done",
    "irrelevant": "dismiss", "ikke-relevant": "dismiss", "dismiss": "dismiss",
}  # fmt: skip
_ID = re.compile(r"^#?(\d{1,9})$")
_WEEKS = re.compile(r"^(\d{1,2})\s*(u|uge|uger|w|wk|week|weeks)$")
_DAYS = re.compile(r"^(\d{1,3})\s*(d|dag|dage|day|days)$")
_IN = {"om", "in"}
CLOSED = (FollowUpState.DONE, FollowUpState.DISMISSED, FollowUpState.OBSOLETE)
AHEAD = timedelta(days=14)
LIST_ACTIONS = 3


@dataclass(frozen=True)
class FollowUpArgs:
    action: str  # list | snooze | done | dismiss
    id: int = 0
    until: date | None = None


def later(text: str, today: date) -> date | None:
    """`1u`, `2 uger`, `3d`, `om 2 uger`, or a date (the next one): the day it means."""
    words = text.split()
    if words and words[0].casefold() in _IN:
        words = words[1:]
    low = " ".join(words).casefold()
    if m := _WEEKS.match(low):
        return today + timedelta(weeks=int(m.group(1)))
    if m := _DAYS.match(low):
        return today + timedelta(days=int(m.group(1)))
    got = take_date(words, 0, today, "future") if words else None
    return got[0] if got and got[1] == len(words) else None


def parse(text: str, today: date) -> FollowUpArgs:
    """`/opfølgning`, `udsæt <nr> <1u|dato>`, `udført <nr>`, `irrelevant <nr>`."""
    words = text.split()
    if not words:
        return FollowUpArgs("list")
    action = ACTIONS.get(words[0].casefold())
    if action is None or len(words) < 2 or not (m := _ID.match(words[1])):
        raise UserError("usage.opfølgning")
    if action != "snooze":
        return FollowUpArgs(action, int(m.group(1)))
    spec = " ".join(words[2:]) or "1u"
    until = later(spec, today)
    if until is None:
        raise UserError("error.bad_snooze", token=spec)
    if until <= today:
        raise UserError("error.remind_past")
    return FollowUpArgs("snooze", int(m.group(1)), until)


def handle(ctx: Ctx, args: FollowUpArgs) -> Reply:
    if args.action == "list":
        return list_mine(ctx)
    item = _item(ctx, args.id)
    citizen = ctx.session.get(Citizen, item.citizen_id) if item.citizen_id else None
    ctx.audit("update", "follow_up", item.id, citizen, args.action)
    if args.action == "snooze":
        assert args.until is not None
        moment = work_calendar(ctx.settings).delivery_moment(args.until)
        items.snooze(ctx.session, item, moment, ctx.now)
        day = fmt.day(moment.astimezone(ctx.tz).date(), ctx.today, ctx.lang)
        return confirm(ctx, "ok.fu_snoozed", id=item.id, day=day)
    state = FollowUpState.DONE if args.action == "done" else FollowUpState.DISMISSED
    items.close_item(ctx.session, item, state, ctx.now)
    return confirm(ctx, "ok.fu_done" if args.action == "done" else "ok.fu_dismissed", id=item.id)


def list_mine(ctx: Ctx) -> Reply:
    """My open follow-ups, overdue first, then the next 14 days."""
    mine = set(
        ctx.session.scalars(
            select(Citizen.id).where(
                Citizen.owner_id == ctx.staff.id, Citizen.status != CitizenStatus.ENDED
            )
        )
    )
    if mine:
        refresh(ctx.session, ctx.settings, ctx.now, mine)
    found = items.open_items(ctx.session, FollowUp.staff_id == ctx.staff.id, ctx.now + AHEAD)
    views = items.describe(ctx.session, found)
    for citizen in {v.citizen.id: v.citizen for v in views if v.citizen}.values():
        ctx.audit("read", "follow_up", None, citizen)
    if not views:
        return Reply(ctx.t("fu.list_empty"))
    overdue = digests.ranked([v for v in views if v.due_at <= ctx.now])
    upcoming = [v for v in views if v.due_at > ctx.now]
    sections = []
    for heading, group in (("fu.overdue", overdue), ("fu.upcoming", upcoming)):
        if group:
            lines = tuple(digests.item_line(ctx.lang, v, ctx.today, ctx.tz, None) for v in group)
            sections.append(Section(ctx.t(heading), lines=lines))
    actions = [
        a for v in (overdue + upcoming)[:LIST_ACTIONS] for a in digests.item_actions(ctx.lang, v)
    ]
    return Reply(
        ctx.t("fu.list_summary", count=len(views)), sections=tuple(sections),
        actions=tuple(actions),
    )  # fmt: skip


def _item(ctx: Ctx, item_id: int) -> FollowUp:
    item = ctx.session.get(FollowUp, item_id)
    if item is None or not _may_handle(ctx, item):
        raise UserError("error.fu_not_found", id=item_id)
    if item.state in CLOSED:
        raise UserError("error.fu_closed", id=item_id)
    return item


def _may_handle(ctx: Ctx, item: FollowUp) -> bool:
    """Mine, about a citizen I may see, or a colleague's while I stand in for them."""
    if item.staff_id == ctx.staff.id:
        return True
    citizen = ctx.session.get(Citizen, item.citizen_id) if item.citizen_id else None
    if citizen is not None and may_see(ctx.session, ctx.staff, citizen):
        return True
    standing_in = ctx.session.scalar(
        select(Absence.id).where(
            Absence.staff_id == item.staff_id,
            Absence.stand_in_id == ctx.staff.id,
            Absence.starts_on <= ctx.today,
            Absence.ends_on >= ctx.today,
        )
    )
    return standing_in is not None


# /påmind


@dataclass(frozen=True)
class RemindArgs:
    name: list[str]
    on: date
    text: str


def parse_remind(text: str, today: date) -> RemindArgs:
    """`/påmind <borger|@virksomhed> <dato | om 2 uger> <tekst>`."""
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    for i in range(1, len(tokens)):
        if words[0].startswith("@") and i > 1:
            break
        found = _when(words, i, today)
        if found is not None:
            on, used = found
            note = rest_of(text, tokens, i + used)
            if not note:
                raise UserError("error.remind_no_text")
            if on < today:
                raise UserError("error.remind_past")
            return RemindArgs(words[:i], on, note)
    raise UserError("error.remind_no_date" if tokens else "usage.påmind")


def _when(words: list[str], i: int, today: date) -> tuple[date, int] | None:
    if words[i].casefold() in _IN and i + 1 < len(words):
        for used in (2, 1):  # `om 2 uger`, `om 2u`
            on = later(" ".join(words[i + 1 : i + 1 + used]), today)
            if on is not None:
                return on, used + 1
    return take_date(words, i, today, "future")


def handle_remind(ctx: Ctx, args: RemindArgs) -> Reply:
    citizen = company = None
    if args.name[0].startswith("@"):
        company = resolve_company(ctx, args.name[0][1:])
        who = company.name
    else:
        citizen, _ = resolve_citizen_words(ctx, args.name)
        who = fmt.citizen(citizen)
    moment = work_calendar(ctx.settings).delivery_moment(args.on)
    item = items.add_custom(
        ctx.session, staff_id=ctx.staff.id, citizen_id=citizen.id if citizen else None,
        company_id=company.id if company else None, due_at=moment, note=args.text, now=ctx.now,
    )  # fmt: skip
    ctx.audit("create", "follow_up", item.id, citizen, "custom")
    day = fmt.day(moment.astimezone(ctx.tz).date(), ctx.today, ctx.lang)
    reply = confirm(ctx, "ok.reminder", who=who, day=day)
    return Reply(reply.summary, actions=reply.actions, tone=Tone.OK)
