"""/borger: register, show, start, pause, resume and hand over citizens."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Section, Tone
from bot.handlers.case_number import case_number_matches, find_by_case_number, set_case_number
from bot.handlers.common import confirm
from bot.handlers.pause import PauseArgs, handle_pause, parse_pause
from bot.parsing.dates import RELATIVE_DAYS, parse_date, read_date
from bot.parsing.names import checked_length as _checked
from bot.parsing.names import register_case
from bot.parsing.tokens import Token, rest_of, take_hours, tokenize
from bot.resolve import resolve_citizen, resolve_citizen_words, resolve_staff
from kernel.errors import UserError
from kernel.fold import fold
from kernel.vocabulary import CitizenStatus
from store import citizens as store
from store import course
from store.handles import handle_draw
from store.models import Citizen

NEW_WORDS = {"ny", "new", "opret", "create"}
ACTIONS = {
    "start": "start", "startet": "start", "started": "start",
    "pause": "pause", "sæt-på-pause": "pause",
    "genoptag": "resume", "resume": "resume", "fortsæt": "resume", "continue": "resume",
    "overdrag": "handover", "handover": "handover", "hand-over": "handover",
    "sagsnr": "caseno", "sagsnummer": "caseno", "caseno": "caseno", "case-number": "caseno",
    "ansat-ved-start": "employed", "ansat-ved-starten": "employed",
    "employed-at-start": "employed",
}  # fmt: skip
# Employed at start, as a value after `ansat-ved-start` or a word after `start`.
EMPLOYED_VALUES: dict[str, bool | None] = {
    "ja": True, "yes": True, "nej": False, "no": False, "ukendt": None, "unknown": None,
}  # fmt: skip
START_EMPLOYED: dict[str, bool] = {
    "ansat": True, "employed": True, "ikke-ansat": False, "uden-job": False,
    "not-employed": False, "unemployed": False,
}  # fmt: skip
_NAME = re.compile(r"^[^\W\d_][\w'’.-]*$")
_OPTION = re.compile(r"^(kommune|municipality|henvist|referred)(?::(.*))?$", re.IGNORECASE)
MUNICIPALITY_WORDS = {"kommune", "municipality"}
RELATIVE_FIRST_WORDS = {words[0] for words in RELATIVE_DAYS}
MAX_NAME = 120
MAX_MUNICIPALITY = 60
MAX_REASON = 500


@dataclass(frozen=True)
class NewCitizen:
    name: str
    municipality: str | None
    referred_on: date | None
    owner: str | None


@dataclass(frozen=True)
class CitizenAction:
    query: list[str]
    action: str  # show | start | pause | resume | handover | caseno | find | employed
    on: date | None = None
    until: date | None = None
    reason: str | None = None
    to: str | None = None
    case_number: str | None = None
    employed: bool | None = None  # employed at start: yes, no, or not known
    employed_hours: float | None = None
    employed_given: bool = False  # `start ... ansat`: the start said it too


def parse(text: str, today: date) -> NewCitizen | CitizenAction:
    """Parse `/borger ny ...` or `/borger <navn> [start|pause|genoptag|overdrag ...]`."""
    tokens = tokenize(text)
    if not tokens:
        raise UserError("usage.borger")
    if tokens[0].low in NEW_WORDS:
        return _parse_new(tokens[1:], today)
    if ACTIONS.get(tokens[0].low) == "caseno":
        if len(tokens) < 2:
            raise UserError("usage.borger_sagsnr")
        return CitizenAction([], "find", case_number=rest_of(text, tokens, 1))
    for i, token in enumerate(tokens):
        if token.low in ACTIONS and i > 0:
            return _parse_action(
                [t.text for t in tokens[:i]], ACTIONS[token.low], text, tokens, i + 1, today
            )
    return CitizenAction([t.text for t in tokens], "show")


def _parse_new(tokens: list[Token], today: date) -> NewCitizen:
    """`ny <navn> [kommune[:] X] [henvist[:] dato | dato] [@kollega]`, in any order."""
    words = [t.text for t in tokens]
    name: list[str] = []
    municipality = owner = None
    referred = None
    i = 0
    while i < len(words):
        option = _OPTION.match(words[i])
        if option is not None:
            inline = option.group(2)
            if option.group(1).casefold() in MUNICIPALITY_WORDS:
                value = inline or (words[i + 1] if i + 1 < len(words) else "")
                municipality = _checked(
                    register_case(value), MAX_MUNICIPALITY, "error.long.municipality"
                )
                i += 1 if inline else 2
                continue
            got = read_date([inline], 0, today) if inline else read_date(words, i + 1, today)
            if got is None:
                raise UserError("error.bad_date", token=inline or " ".join(words[i + 1 : i + 3]))
            referred = got.value
            i += 1 if inline else 1 + got.used
        elif _plainly_a_date(words[i]) and (got := read_date(words, i, today)) is not None:
            referred = got.value
            i += got.used
        elif words[i].startswith("@") and len(words[i]) > 1:
            owner = words[i]
            i += 1
        else:
            if not _NAME.match(words[i]):
                raise UserError("error.bad_name", token=words[i])
            name.append(words[i])
            i += 1
    if not name:
        raise UserError("usage.borger")
    full = _checked(register_case(" ".join(name)), MAX_NAME, "error.long.name")
    return NewCitizen(full, municipality, referred, owner)


def _plainly_a_date(word: str) -> bool:
    """A date that cannot be a name: digits (`1/9`) or a relative day (`i går`, `igår`)."""
    low = word.casefold()
    return any(ch.isdigit() for ch in low) or low in RELATIVE_FIRST_WORDS


def _parse_action(query, action, text, tokens, i, today) -> CitizenAction:  # type: ignore[no-untyped-def]
    if action == "start":
        return _parse_start(query, tokens[i:], today)
    if action == "employed":
        return _parse_employed(query, tokens[i:])
    if action == "resume":
        on = parse_date(rest_of(text, tokens, i), today, "nearest") if i < len(tokens) else None
        return CitizenAction(query, action, on=on)
    if action == "pause":
        pause = parse_pause(tokens, i, today)
        return CitizenAction(query, "pause", until=pause.until, reason=pause.reason)
    if action == "caseno":
        if i >= len(tokens):
            raise UserError("usage.borger_sagsnr")
        return CitizenAction(query, "caseno", case_number=rest_of(text, tokens, i))
    if i >= len(tokens):
        raise UserError("usage.borger_overdrag")
    return CitizenAction(query, "handover", to=tokens[i].text)


def _parse_start(query: list[str], tokens: list[Token], today: date) -> CitizenAction:
    """`start [dato] [ansat [T t/uge] | ikke-ansat]`: the start and, if said, a job at start."""
    employed, hours, given = None, None, False
    rest: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].low in START_EMPLOYED:
            employed, given = START_EMPLOYED[tokens[i].low], True
            taken = take_hours(tokens, i + 1) if employed else None
            if taken is not None:
                hours = taken[0]
                i += taken[1]
        else:
            rest.append(tokens[i])
        i += 1
    on = parse_date(" ".join(t.text for t in rest), today, "nearest") if rest else None
    return CitizenAction(query, "start", on=on, employed=employed, employed_hours=hours,
                         employed_given=given)  # fmt: skip


def _parse_employed(query: list[str], tokens: list[Token]) -> CitizenAction:
    """`ansat-ved-start ja [T t/uge] | nej | ukendt`."""
    if not tokens or tokens[0].low not in EMPLOYED_VALUES:
        raise UserError("usage.borger_employed")
    employed = EMPLOYED_VALUES[tokens[0].low]
    taken = take_hours(tokens, 1)
    used = 1 + (taken[1] if taken else 0)
    if used < len(tokens):
        raise UserError("usage.borger_employed")
    hours = taken[0] if taken else None
    return CitizenAction(query, "employed", employed=employed, employed_hours=hours,
                         employed_given=True)  # fmt: skip


def handle(ctx: Ctx, args: NewCitizen | CitizenAction) -> Reply:
    if isinstance(args, NewCitizen):
        return _new(ctx, args)
    if args.action == "show":
        citizen = resolve_citizen(ctx, " ".join(args.query))
        return citizen_card(ctx, citizen)
    if args.action == "caseno":
        return set_case_number(ctx, args.query, args.case_number)
    if args.action == "find":
        found = find_by_case_number(ctx, args.case_number)
        return citizen_card(ctx, found[0]) if len(found) == 1 else case_number_matches(ctx, found)
    citizen, _ = resolve_citizen_words(ctx, args.query)
    return {
        "start": _start,
        "pause": _pause,
        "resume": _resume,
        "handover": _handover,
        "employed": _employed,
    }[args.action](ctx, citizen, args)


def _new(ctx: Ctx, args: NewCitizen) -> Reply:
    owner = resolve_staff(ctx, args.owner) if args.owner else ctx.staff
    referred = args.referred_on or ctx.today
    citizen = course.register(
        ctx.session,
        full_name=args.name,
        name_folded=fold(args.name),
        owner=owner,
        municipality=args.municipality,
        referred_on=referred,
        by=ctx.staff,
        now=ctx.now,
        draw=handle_draw(ctx.settings.handle_order, ctx.session),
    )
    ctx.audit("create", "citizen", citizen.id, citizen)
    facts = [
        (ctx.t("label.owner"), owner.display_name),
        (ctx.t("label.referred"), fmt.day(referred, ctx.today, ctx.lang)),
    ]
    if args.municipality:
        facts.append((ctx.t("label.municipality"), args.municipality))
    lines = []
    twins = store.same_name(ctx.session, citizen.name_folded, citizen.id, ctx.staff)
    for twin in twins:
        ctx.audit("read", "citizen", twin.id, twin, "same name")
    if twins:
        lines.append(ctx.t("warn.same_name", others=", ".join(t.handle or "" for t in twins)))
    lines.append(ctx.t("hint.after_new", first=args.name.split()[0].casefold()))
    return Reply(
        ctx.t("ok.citizen_created", citizen=fmt.citizen(citizen)),
        sections=(Section(facts=tuple(facts), lines=tuple(lines)),),
        actions=(Action(ctx.t("action.undo"), "/fortryd"),),
        tone=Tone.OK,
    )


def citizen_card(ctx: Ctx, citizen: Citizen) -> Reply:
    """The citizen's card: handle, owner, status, praktik or job, contacts, follow-ups."""
    facts = store.citizen_facts(ctx.session, citizen)
    ctx.audit("read", "citizen", citizen.id, citizen)
    rows = [  # the handle is in the title already
        (ctx.t("label.owner"), facts.owner_name),
        (ctx.t("label.status"), status_text(ctx, citizen)),
    ]
    if facts.placement:
        p = facts.placement
        end = fmt.day(p.planned_end_on, ctx.today, ctx.lang) if p.planned_end_on else "?"
        rows.append(
            (
                ctx.t("label.praktik"),
                ctx.t("card.praktik", start=fmt.day(p.start_on, ctx.today, ctx.lang), end=end)
                + _hours(ctx, p.hours_per_week),
            )
        )
    if facts.job:
        j = facts.job
        rows.append(
            (
                ctx.t("label.job"),
                ctx.t(
                    "card.job_ended" if j.ended_on else "card.job",
                    kind=ctx.t(f"jobkind.{j.kind}"),
                    start=fmt.day(j.start_on, ctx.today, ctx.lang),
                    end=fmt.day(j.ended_on, ctx.today, ctx.lang) if j.ended_on else "",
                )
                + _hours(ctx, j.hours_per_week),
            )
        )
    if citizen.employed_at_start is not None:
        rows.append((ctx.t("label.employed_at_start"), employed_text(ctx, citizen)))
    last = facts.last_contact
    rows.append(
        (
            ctx.t("label.last_contact"),
            fmt.day(last.occurred_on, ctx.today, ctx.lang) if last else ctx.t("word.none"),
        )
    )
    sections = [Section(facts=tuple(rows))]
    if facts.follow_ups:
        sections.append(
            Section(
                ctx.t("label.next_follow_ups"),
                lines=tuple(
                    f"{fmt.day(f.due_at.astimezone(ctx.tz).date(), ctx.today, ctx.lang)}: "
                    f"{ctx.t('rule.' + f.rule) if _has_rule_text(f.rule) else f.rule}"
                    for f in facts.follow_ups
                ),
            )
        )
    if facts.recent:
        sections.append(
            Section(
                ctx.t("label.recent"),
                lines=tuple(
                    f"{fmt.day(c.occurred_on, ctx.today, ctx.lang)} {ctx.t('form.' + c.form)}"
                    + (f" ({c.minutes} min)" if c.minutes else "")
                    + (f": {c.note}" if c.note else "")
                    for c in facts.recent
                ),
            )
        )
    return Reply(fmt.citizen(citizen), sections=tuple(sections))


def _has_rule_text(rule: str) -> bool:
    from kernel.i18n import has_text

    return has_text("rule." + rule)


def status_text(ctx: Ctx, citizen: Citizen) -> str:
    """`aktiv siden 1/9`, `pause til 1/12`, `afsluttet 3/10: fleksjob`."""
    if citizen.status == CitizenStatus.ACTIVE and citizen.started_on:
        return ctx.t("status.active_since", day=fmt.day(citizen.started_on, ctx.today, ctx.lang))
    if citizen.status == CitizenStatus.PAUSED:
        if citizen.paused_until:
            return ctx.t(
                "status.paused_until", day=fmt.day(citizen.paused_until, ctx.today, ctx.lang)
            )
        return ctx.t("status.paused")
    if citizen.status == CitizenStatus.ENDED and citizen.ended_on:
        return ctx.t(
            "status.ended",
            day=fmt.day(citizen.ended_on, ctx.today, ctx.lang),
            outcome=ctx.t(f"outcome.{citizen.outcome}"),
        )
    if citizen.referred_on:
        return ctx.t("status.referred", day=fmt.day(citizen.referred_on, ctx.today, ctx.lang))
    return ctx.t(f"status.{citizen.status}")


def employed_text(ctx: Ctx, citizen: Citizen) -> str:
    """`ja, 10 t/uge`, `ja` or `nej`: employed at the start of the course."""
    if not citizen.employed_at_start:
        return ctx.t("word.no")
    return ctx.t("word.yes") + _hours(ctx, citizen.employed_at_start_hours)


def _start(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> Reply:
    on = args.on or ctx.today
    course.start(ctx.session, citizen, on, ctx.staff, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "start")
    reply = confirm(ctx, "ok.started", citizen, day=fmt.day(on, ctx.today, ctx.lang))
    if not args.employed_given:
        return reply
    _set_employed(ctx, citizen, args)
    text = f"{reply.summary} {ctx.t('label.employed_at_start')}: {employed_text(ctx, citizen)}."
    return replace(reply, summary=text)


def _set_employed(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> None:
    course.set_employed_at_start(ctx.session, citizen, args.employed, args.employed_hours, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "employed at start")


def _employed(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> Reply:
    _set_employed(ctx, citizen, args)
    if args.employed is None:
        return confirm(ctx, "ok.employed_unknown", citizen)
    return confirm(ctx, "ok.employed_at_start", citizen, value=employed_text(ctx, citizen))


def _pause(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> Reply:
    if args.reason:
        _checked(args.reason, MAX_REASON, "error.long.reason")
    return handle_pause(ctx, citizen, PauseArgs(args.until, args.reason))


def _resume(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> Reply:
    course.resume(ctx.session, citizen, args.on or ctx.today, ctx.staff, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "resume")
    return confirm(ctx, "ok.resumed", citizen)


def _handover(ctx: Ctx, citizen: Citizen, args: CitizenAction) -> Reply:
    assert args.to is not None
    course.refuse_if_ended(citizen)  # before asking which colleague
    to = resolve_staff(ctx, args.to)
    moved = course.hand_over(ctx.session, citizen, to, ctx.today, ctx.staff, ctx.now)
    ctx.audit("update", "citizen", citizen.id, citizen, "handover")
    return confirm(ctx, "ok.handed_over", citizen, name=to.display_name, count=moved)


def _hours(ctx: Ctx, hours: float | None) -> str:
    """`, 10 t/uge` when the weekly hours are known."""
    return ", " + ctx.t("detail.hours", hours=fmt.hours(hours)) if hours else ""
