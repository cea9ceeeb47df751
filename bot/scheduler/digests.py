"""What the scheduler sends, as neutral `Reply`s: morning digest, catch-up, weekly digest."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot import format as fmt
from bot.core import Action, Reply, Section
from bot.scheduler.rules import RANK
from kernel.i18n import t
from store.followup_items import ItemView

CATEGORIES = ("digest.deadlines", "digest.job_support", "digest.inactivity")
CLOSE_WORDS = {
    "flex": "fleksjob", "ordinary": "job", "wage_subsidy": "løntilskud", "small": "småjob",
    "education": "uddannelse",
}  # fmt: skip


def ranked(views: list[ItemView]) -> list[ItemView]:
    """Deadlines first, then job-start support, then inactivity; earliest first in each."""
    return sorted(views, key=lambda v: (RANK.get(v.rule, 2), v.due_at, v.id))


def who(view: ItemView) -> str:
    """The citizen (`Mette Hansen (MH-0001)`) or the company an item is about."""
    if view.citizen is not None:
        return fmt.citizen(view.citizen)
    return view.company or "?"


def item_line(lang: str, view: ItemView, today: date, tz: ZoneInfo, me: int | None) -> str:
    """`#42 Ingen kontakt for længe: Mette Hansen (MH-0001), 30/11`."""
    due = fmt.day(view.due_at.astimezone(tz).date(), today, lang)
    line = f"#{view.id} {t(lang, 'rule.' + view.rule)}: {who(view)}, {due}"
    if view.note:
        line += f": {view.note}"
    if me is not None and view.staff_id != me:
        line += " " + t(lang, "digest.for_colleague", name=view.staff_name)
    return line


def item_actions(lang: str, view: ItemView) -> tuple[Action, ...]:
    """Log contact, snooze a week, done, not relevant (and close the course at six months)."""
    actions = []
    if view.citizen is not None and view.citizen.handle:
        actions.append(Action(t(lang, "action.fu_log", id=view.id), f"/log {view.citizen.handle}"))
    elif view.company:
        actions.append(
            Action(t(lang, "action.fu_log", id=view.id), f"/log @{view.company.split()[0]}")
        )
    actions += [
        Action(t(lang, "action.fu_snooze", id=view.id), f"/opfølgning udsæt {view.id} 1u"),
        Action(t(lang, "action.fu_done", id=view.id), f"/opfølgning udført {view.id}", True),
        Action(t(lang, "action.fu_dismiss", id=view.id), f"/opfølgning irrelevant {view.id}"),
    ]
    if view.rule == "job_6m" and view.citizen is not None:
        word = CLOSE_WORDS.get(str(view.params.get("kind")), "job")
        actions.append(
            Action(t(lang, "action.fu_close", id=view.id), f"/afslut {view.citizen.handle} {word}")
        )
    return tuple(actions)


def item_sections(
    lang: str, views: list[ItemView], today: date, tz: ZoneInfo, me: int | None
) -> list[Section]:
    """One section per category, in rank order."""
    sections = []
    for rank, heading in enumerate(CATEGORIES):
        lines = [item_line(lang, v, today, tz, me) for v in views if RANK.get(v.rule, 2) == rank]
        if lines:
            sections.append(Section(t(lang, heading), lines=tuple(lines)))
    return sections


def morning_digest(
    lang: str,
    views: list[ItemView],
    today: date,
    tz: ZoneInfo,
    me: int,
    max_actions: int,
    catchup: list[str],
    key: str,
    hour: int = 8,
) -> Reply:
    """One message a morning: the catch-up after an absence, then the ranked items.

    `hour` is the local hour it goes out: a digest held back until the afternoon (the
    person was away, the platform was down) does not say good morning.
    """
    views = ranked(views)
    sections = []
    if catchup:
        sections.append(Section(t(lang, "digest.catchup"), lines=tuple(catchup)))
    sections += item_sections(lang, views, today, tz, me)
    actions: list[Action] = []
    for view in views[:max_actions]:
        actions.extend(item_actions(lang, view))
    if len(views) > max_actions:
        sections.append(Section(lines=(t(lang, "digest.more", count=len(views) - max_actions),)))
    summary = _summary(lang, len(views), hour) if views else t(lang, "digest.welcome")
    return Reply(summary, sections=tuple(sections), actions=tuple(actions), delivery_key=key)


def _summary(lang: str, count: int, hour: int) -> str:
    part = "morning" if hour < 10 else "day" if hour < 18 else "evening"
    key = "digest.summary_one" if count == 1 else "digest.summary"
    return t(lang, key, greeting=t(lang, f"digest.greeting_{part}"), count=count)


def catchup_lines(
    lang: str, starts_on: date, ends_on: date, counts: dict[str, int], stand_in: str | None
) -> list[str]:
    """What happened while someone was away."""
    handled = counts.get("sent", 0) + counts.get("done", 0) + counts.get("dismissed", 0)
    waiting = counts.get("due", 0) + counts.get("snoozed", 0) + counts.get("sending", 0)
    lines = [t(lang, "catchup.period", start=f"{starts_on:%-d/%-m}", end=f"{ends_on:%-d/%-m}")]
    if stand_in:
        lines.append(t(lang, "catchup.stand_in", name=stand_in, count=handled))
    lines.append(t(lang, "catchup.waiting", count=waiting))
    return lines


def weekly_digest(
    lang: str,
    people: list[tuple[str, int]],
    escalated: list[ItemView],
    today: date,
    tz: ZoneInfo,
    days: int,
    key: str,
) -> Reply:
    """The team lead's week: overdue items per person, and those overdue longer than `days`."""
    lines = tuple(t(lang, "weekly.person", name=name, count=count) for name, count in people)
    sections = [Section(t(lang, "weekly.overdue"), lines=lines or (t(lang, "word.none"),))]
    if escalated:
        sections.append(
            Section(
                t(lang, "weekly.escalated", days=days),
                lines=tuple(
                    item_line(lang, v, today, tz, None) + f" ({v.staff_name})"
                    for v in ranked(escalated)
                ),
            )
        )
    total = sum(count for _, count in people)
    return Reply(t(lang, "weekly.summary", count=total), sections=tuple(sections), delivery_key=key)
