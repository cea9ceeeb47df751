"""Delivery: claim each due message once, build it, send it through a platform `Sender`.

Every message is one delivery row with a deterministic key (`digest:<staff>:<local date>`,
`weekly:<lead>:<iso week>`). Claiming, building and marking happen in short transactions; the
send happens between them, outside any transaction. A failed send is released for a later sweep;
a worker that died mid-send leaves a stale claim that another sweep takes over after the lease.
Such a resumed delivery first asks the platform whether the earlier attempt got through (Slack:
the key travels as message metadata and is looked up in the channel's history; the console
outbox keeps one message per key); only Teams, which offers no such lookup, may repeat it once.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.core import Platform, Recipient, Reply, Section, Sender
from bot.render.reports import status_summary
from bot.runtime import Runtime
from bot.scheduler import digests
from bot.scheduler.calendar import WorkCalendar, parse_clock
from bot.scheduler.due import work_calendar
from kernel.clock import Clock
from kernel.metrics import DELIVERIES
from kernel.vocabulary import Role
from reports.periods import unit_period
from store import deliveries as store
from store.db import unit_of_work
from store.followup_items import ItemView, describe, due_views, overdue_counts
from store.models import Absence, Delivery, FollowUp, Staff, StaffIdentity

log = logging.getLogger("rampe.scheduler")
PREFERENCE = (Platform.SLACK, Platform.TEAMS, Platform.CONSOLE)


class ConsoleOutbox:
    """The local chat's sender: messages wait in a table until their reader types."""

    platform = Platform.CONSOLE

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        """Store the message once per delivery key."""
        key = reply.delivery_key or f"adhoc:{recipient.staff_id}:{self.clock().isoformat()}"
        with unit_of_work(self.sessions) as session:
            store.put_outbox(
                session, key, recipient.staff_id, recipient.external_id, reply.as_text(),
                self.clock(),
            )  # fmt: skip


@dataclass
class Plan:
    """One message to try: its key, who gets it, whose items it carries."""

    key: str
    kind: str
    recipient: int
    owners: set[int] = field(default_factory=set)
    catchups: list[int] = field(default_factory=list)


@dataclass
class DeliveryReport:
    sent: int = 0
    items: int = 0
    failed: int = 0
    keys: list[str] = field(default_factory=list)
    replies: int = 0  # answers to messages, left by a worker that stopped (`replies.py`)


def recipient_for(staff: Staff, platforms: Collection[Platform]) -> Recipient | None:
    """Where a message to `staff` goes: the first platform with a sender (Slack, Teams, console)."""
    by_platform = {i.platform: i for i in staff.identities}
    for platform in PREFERENCE:
        identity: StaffIdentity | None = by_platform.get(platform)
        if identity is not None and platform in platforms:
            return Recipient(
                staff.id, platform, identity.external_id, identity.workspace, identity.address,
                staff.language or "",
            )  # fmt: skip
    return None


def plan_digests(
    session: Session, cal: WorkCalendar, now: datetime, lease: timedelta
) -> list[Plan]:
    """The morning digests that are due now, one per recipient, stand-ins included."""
    plans: dict[str, Plan] = {}
    for delivery in store.unfinished_deliveries(session, now, lease):
        plans[delivery.key] = Plan(delivery.key, delivery.kind, delivery.staff_id)
    today = cal.digest_due(now)
    if today is None:
        return list(plans.values())
    away = {a.staff_id: a for a in store.absences_on(session, today)}
    owners = session.scalars(
        select(FollowUp.staff_id)
        .where(FollowUp.state.in_(store.CLAIMABLE), FollowUp.due_at <= now)
        .distinct()
    )
    for owner in owners:
        recipient = _recipient_today(owner, away)
        if recipient is not None:
            _plan(plans, f"digest:{recipient}:{today}", recipient).owners.add(owner)
    for absence in store.pending_catchups(session, today):
        if absence.staff_id not in away:
            _plan(plans, f"digest:{absence.staff_id}:{today}", absence.staff_id).catchups.append(
                absence.id
            )
            plans[f"digest:{absence.staff_id}:{today}"].owners.add(absence.staff_id)
    return list(plans.values())


def _recipient_today(owner: int, away: dict[int, Absence]) -> int | None:
    absence = away.get(owner)
    if absence is None:
        return owner
    stand_in = absence.stand_in_id
    return stand_in if stand_in is not None and stand_in not in away else None


def _plan(plans: dict[str, Plan], key: str, recipient: int, kind: str = "digest") -> Plan:
    return plans.setdefault(key, Plan(key, kind, recipient))


def plan_weekly(
    session: Session, at: str, weekday: int, cal: WorkCalendar, now: datetime, channel: str = ""
) -> list[Plan]:
    """The team leads' weekly digests (and the status for `channel`), if the moment has come."""
    today = cal.local_date(now)
    monday = today - timedelta(days=today.weekday())
    day = cal.next_working_day(monday + timedelta(days=weekday))
    if day != today or now < cal.at(day, parse_clock(at)):
        return []
    year, week, _ = today.isocalendar()
    leads = session.scalars(
        select(Staff.id).where(Staff.role == Role.LEAD, Staff.team_id.is_not(None), Staff.active)
    )
    plans = [Plan(f"weekly:{lead}:{year}-W{week:02d}", "weekly", lead) for lead in leads]
    if channel:
        admin = session.scalar(
            select(Staff.id).where(Staff.role == Role.ADMIN, Staff.active).order_by(Staff.id)
        )
        if admin is not None:  # the programme's figures, as the first admin may see them
            plans.append(Plan(f"channel:{year}-W{week:02d}", "channel", admin))
    return plans


async def deliver_due(
    rampe: Runtime, senders: dict[Platform, Sender], now: datetime
) -> DeliveryReport:
    """Send every message that is due at `now`, each at most once across all workers."""
    settings = rampe.settings
    cal = work_calendar(settings)
    lease = timedelta(seconds=settings.claim_lease_seconds)
    with rampe.unit_of_work() as session:
        plans = plan_digests(session, cal, now, lease)
        plans += plan_weekly(
            session, settings.lead_digest_time, settings.lead_digest_weekday, cal, now,
            settings.slack_status_channel if Platform.SLACK in senders else "",
        )  # fmt: skip
    report = DeliveryReport()
    for plan in plans:
        await _deliver(rampe, senders, plan, now, cal, lease, report)
    return report


async def _deliver(
    rampe: Runtime,
    senders: dict[Platform, Sender],
    plan: Plan,
    now: datetime,
    cal: WorkCalendar,
    lease: timedelta,
    report: DeliveryReport,
) -> None:
    with rampe.unit_of_work() as session:
        built = claim_and_build(session, rampe, senders, plan, now, cal, lease)
    if built is None:
        return
    recipient, reply = built.recipient, built.reply
    sender = senders[recipient.platform]
    try:
        if not (built.resumed and await already_sent(sender, recipient, plan.key)):
            await sender.send(recipient, reply)
    except Exception as err:  # the platform said no or was unreachable: retry on a later sweep
        # Only the error's type: a platform's message could quote the text that was sent.
        log.warning("sending a %s failed (%s); it will be retried", plan.kind, type(err).__name__)
        with rampe.unit_of_work() as session:
            store.release_delivery(session, plan.key, now)
        report.failed += 1
        DELIVERIES.labels(plan.kind, "failed").inc()
        return
    with rampe.unit_of_work() as session:
        report.items += store.finish_delivery(session, plan.key, now)
        if plan.catchups:
            session.execute(
                update(Absence)
                .where(Absence.id.in_(plan.catchups), Absence.catchup_sent_at.is_(None))
                .values(catchup_sent_at=now)
            )
    report.sent += 1
    DELIVERIES.labels(plan.kind, "sent").inc()
    report.keys.append(plan.key)


@dataclass
class Built:
    """A message ready to send: where it goes, what it says, the items it carries."""

    recipient: Recipient
    reply: Reply
    items: list[ItemView] = field(default_factory=list)
    resumed: bool = False  # an earlier attempt may have reached the platform


def claim_and_build(
    session: Session,
    rampe: Runtime,
    platforms: Collection[Platform],
    plan: Plan,
    now: datetime,
    cal: WorkCalendar,
    lease: timedelta,
) -> Built | None:
    """Claim the delivery `plan.key` and build its message; None if it is not ours to send.

    `rampe due` runs exactly this inside a transaction it rolls back, so its preview is what
    the real run would send.
    """
    staff = session.get(Staff, plan.recipient)
    if plan.kind == "channel":
        channel: dict[str, object] = {"channel": rampe.settings.slack_status_channel}
        recipient: Recipient | None = Recipient(plan.recipient, Platform.SLACK, "", "", channel)
    else:
        recipient = recipient_for(staff, platforms) if staff is not None else None
    if staff is None or recipient is None:
        return None
    previous = session.scalar(select(Delivery.state).where(Delivery.key == plan.key))
    if not store.claim_delivery(session, plan.key, plan.kind, staff.id, now, lease):
        return None
    # A stale claim is resent exactly as it was: no new items join it.
    owners = [] if previous == "sending" else sorted(plan.owners)
    resumed = previous is not None
    if plan.kind == "weekly":
        reply, late = _weekly(session, rampe, staff, now, cal, plan.key)
        return Built(recipient, reply, late, resumed)
    if plan.kind == "channel":
        last_week = unit_period("week", cal.local_date(now) - timedelta(days=7))
        figures = status_summary(session, staff, last_week, now, rampe.settings.language)
        return Built(recipient, replace(figures, delivery_key=plan.key), resumed=resumed)
    items = store.claim_items(session, plan.key, owners, now)
    lang = staff.language or rampe.settings.language
    catchup = _catchup(session, lang, plan.catchups, now)
    if not items and not catchup:
        session.execute(delete(Delivery).where(Delivery.key == plan.key))
        return None
    today = cal.local_date(now)
    views = digests.ranked(describe(session, items))
    reply = digests.morning_digest(
        lang, views, today, cal.tz, staff.id,
        rampe.settings.digest_max_items, catchup, plan.key, now.astimezone(cal.tz).hour,
    )  # fmt: skip
    return Built(recipient, reply, views, resumed)


async def already_sent(sender: Sender, recipient: Recipient, key: str) -> bool:
    """Ask a platform that can tell (Slack) whether an earlier attempt with `key` got through."""
    lookup = getattr(sender, "already_sent", None)
    return bool(lookup is not None and await lookup(recipient, key))


def _catchup(session: Session, lang: str, absence_ids: list[int], now: datetime) -> list[str]:
    """The catch-up lines after absences, in the digest's language."""
    lines: list[str] = []
    for absence in session.scalars(select(Absence).where(Absence.id.in_(absence_ids))):
        stand_in = session.get(Staff, absence.stand_in_id) if absence.stand_in_id else None
        counts = store.absence_summary(session, absence, now)
        lines += digests.catchup_lines(
            lang, absence.starts_on, absence.ends_on, counts,
            stand_in.display_name if stand_in else None,
        )  # fmt: skip
    return lines


def _weekly(
    session: Session, rampe: Runtime, lead: Staff, now: datetime, cal: WorkCalendar, key: str
) -> tuple[Reply, list[ItemView]]:
    members = list(
        session.scalars(
            select(Staff).where(Staff.team_id == lead.team_id, Staff.active).order_by(Staff.id)
        )
    )
    counts = overdue_counts(session, [m.id for m in members], now)
    days = rampe.settings.escalation_days
    late = due_views(session, [m.id for m in members], now - timedelta(days=days), limit=100)
    lang = lead.language or rampe.settings.language
    people = [(m.display_name, counts.get(m.id, 0)) for m in members]
    digest = digests.weekly_digest(lang, people, late, cal.local_date(now), cal.tz, days, key)
    last_week = unit_period("week", cal.local_date(now) - timedelta(days=7))
    figures = status_summary(session, lead, last_week, now, lang)
    status = Section(heading=figures.summary.rstrip(":"), lines=())
    return replace(digest, sections=(*digest.sections, status, *figures.sections)), late
