"""From the words of a question to one command: slots (measure, subject, scope, period) filled,
scored, and turned into the command that gives the answer, or into a question back.

The rules are tried from the most specific to the most general; the first that fits decides.
Whatever cannot be told apart (two periods, two citizens, "i job" over a year, a citizen's
wellbeing the card does not show) is asked back, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from bot.questions.lexicon import PHRASES
from bot.questions.reading import Token
from bot.questions.slots import Slots
from bot.questions.suggest import Words, nearest
from bot.questions.when import When, as_of_words, find_when, period_words
from reports.periods import Period, unit_period

THRESHOLD = 0.6
UNKNOWN_PENALTY = 0.8
DEFAULT_SILENT_DAYS = 14
ASK_BACK = {"why", "sick", "absence", "cpr", "delete"}
PERSON = {"person", "persons", "people"}
TO_ME = {"mig", "me", "os", "us"}
STATES = {"praktik", "job", "paused", "active"}
EVENTS = {"start", "ended", "interrupted", "got", "rate", "lasting", "referral", "contact"}
_THEY_FEEL = re.compile(
    r"\b(hvordan har (de|borgerne|folk|deltagerne) det|how are (they|the citizens|people) doing)"
)
_WE_DO = re.compile(r"\b(how are we doing|how is it going|hvordan ser det ud)\b")
# "i job ved start", "employed at start": the employed-at-start filter, not job starts.
_AT_START = re.compile(
    r"\b(ansat|ansatte|i job|i arbejde|employed|in (a )?job|in work)"
    r" (ved|at|fra|from) (the )?(start|starten|opstart|opstarten|intake)\b"
)


@dataclass(frozen=True)
class Understanding:
    """The command a question means (Danish words), or the nearest ones when asking back."""

    command: Words | None
    confidence: float
    suggestions: tuple[Words, ...] = ()
    ambiguous: bool = False  # it could mean several things (rather than nothing we know)


def fill_slots(tokens: list[Token], today: date) -> Slots:
    """The slots of a question from its tokens."""
    whens, used = find_when(tokens, today)
    days = [w.period.end for w in whens if w.kind == "asof" and w.period is not None]
    if len(days) == 1:  # two as-of days stay whens: unclear, asked back
        whens = [w for w in whens if w.kind != "asof"]
    text = " ".join(t.folded for t in tokens)
    phrased = {c for pattern, concepts in PHRASES if pattern.search(text) for c in concepts}
    if "per_week" in phrased:  # `timer om ugen`: hours a week, not this week's figures
        whens = [w for w in whens if not _a_week(w)]
    if "six_months" in phrased:  # held six months: the lasting job, not the last six months
        whens = [w for w in whens if not (w.kind == "span" and w.days == 180)]
    slots = Slots(whens=whens, as_of=days[0] if len(days) == 1 else None, text=text)
    slots.concepts.update(phrased)
    kinds = {"citizen": slots.citizens, "company": slots.companies, "staff": slots.colleagues}
    previous = ""
    for i, token in enumerate(tokens):
        if i in used:
            previous = ""
            continue
        if token.kind == "concept":
            concepts = token.concepts
            if "contact" in concepts and i + 1 < len(tokens) and tokens[i + 1].folded in PERSON:
                concepts = ("staff",)  # `contact person`, the English of kontaktperson
            if token.folded in TO_ME and i and "show" in tokens[i - 1].concepts:
                concepts = ()  # `vis mig`, `show me`: to whom, not whose
            slots.concepts.update(concepts)
            slots.confidence = min(slots.confidence, token.score)
        elif token.kind == "place":
            slots.places.append(token.value)
        elif token.kind == "name":
            names = kinds[token.name_kind]
            if previous == token.name_kind:  # `mette hansen`: one name of two words
                names[-1] += " " + token.typed
            else:
                names.append(token.typed)
            slots.confidence = min(slots.confidence, token.score)
        elif token.kind == "unknown" and len(token.folded) >= 3:
            slots.unknown += 1
        previous = token.name_kind if token.kind == "name" else ""
    slots.confidence *= UNKNOWN_PENALTY**slots.unknown
    return slots


def understand_slots(slots: Slots, today: date) -> Understanding:
    """The one command the slots ask for, or suggestions if it is not clear enough."""
    unclear = _unclear(slots)
    command = None if unclear or slots.concepts & ASK_BACK else _first_rule(slots, today)
    if command and slots.confidence >= THRESHOLD:
        return Understanding(command, slots.confidence)
    ambiguous = unclear or command == ()
    return Understanding(None, slots.confidence, nearest(slots, today), ambiguous)


def _unclear(slots: Slots) -> bool:
    return (
        len(slots.whens) > 1
        or len(slots.places) > 1
        or len(slots.colleagues) > 1
        or len(slots.citizens) + len(slots.companies) > 1
    )


def _first_rule(slots: Slots, today: date) -> Words | None:
    for rule in RULES:
        command = rule(slots, today)
        if command is not None:
            return command  # () means: this rule applies, and it must ask back
    return None


# --- The pieces of a command -----------------------------------------------------------------


def _period(slots: Slots, today: date, default: str) -> Words | None:
    """The period words for a report (`denne uge`, `1/10-31/10`), then `pr. 30/6` if asked as
    of a day (the period is that day's year unless another was asked); None if `lige nu` was
    asked."""
    as_of = as_of_words(slots.as_of, today) if slots.as_of else ()
    if not slots.whens:
        if slots.as_of:  # its year: `i år`, or `1/1/2025-31/12/2025`
            year = unit_period("year", slots.as_of)
            if slots.as_of.year != today.year:
                year = Period("range", year.start, year.end)
            return (period_words(year, today), *as_of)
        return (default,)
    when = slots.whens[0]
    period = when.as_period(today)
    if period is None:
        return None
    return (period_words(period, today), *as_of)


def _scope(
    slots: Slots, places: bool = True, split: bool = False, own_default: bool = False
) -> Words | None:
    """`team`, `@bo`, `kommune:Silkeborg` or `kommune` (split); None if the command cannot.

    "jeg" needs a word only where the command's default is not one's own (a lead's reports).
    """
    words: list[str] = []
    if slots.colleagues:
        words.append(_colleague(slots))
    elif slots.has("team"):
        words.append("team")
    elif slots.has("own") and slots.me and not own_default:
        words.append("@" + slots.me.replace(" ", "_"))
    if slots.places:
        if not places:
            return None
        words.append("kommune:" + slots.places[0])
    elif slots.has("municipality"):
        if not split:
            return None
        words.append("kommune")
    return tuple(words)


def _colleague(slots: Slots) -> str:
    """`@bo`, or `@søren_lindeberg` for a name of several words (one word in a command)."""
    return "@" + slots.colleagues[0].replace(" ", "_")


def _report(
    slots: Slots, today: date, *head: str, default: str = "i år", split: bool = False
) -> Words:
    period = _period(slots, today, default)
    scope = _scope(slots, split=split)
    if period is None or scope is None:
        return ()
    return (*head, *period, *scope)


# --- The rules, most specific first ----------------------------------------------------------
Rule = Callable[[Slots, date], Words | None]


def _silent(slots: Slots, today: date) -> Words | None:
    """`hvem har jeg ikke set/talt med/hørt fra i 14 dage` -> /caseload uden-kontakt 14."""
    if not (slots.has("not") and slots.has("talk", "contact")):
        return None
    if slots.as_of:
        return ()  # who was silent on a past day: not kept
    days = DEFAULT_SILENT_DAYS
    if slots.whens:
        when = slots.whens[0]
        if when.kind != "span":
            return ()
        days = when.days
    scope = _scope(slots, places=False, own_default=True)
    if scope is None or slots.citizens or slots.companies or not 1 <= days <= 365:
        return ()
    return ("caseload", *scope, "uden-kontakt", str(days))


def _followups(slots: Slots, today: date) -> Words | None:
    if not slots.has("followup"):
        return None
    if slots.colleagues or slots.places or slots.has("team", "count", "rate") or slots.as_of:
        return ()  # /opfølgning lists one's own, today
    return ("opfølgning",)


def _topic(slots: Slots, today: date) -> Words | None:
    """Targets, WHO-5, cost and outcomes: the reports with a name of their own."""
    wellbeing = slots.has("wellbeing") or bool(_THEY_FEEL.search(slots.text))
    outcome = slots.has("outcome") or (slots.has("how", "course") and slots.has("ended")
                                       and not slots.has("count"))  # fmt: skip
    # `afsluttet til pension`, `kommet i uddannelse`: outcomes
    outcome = outcome or (slots.has("ended") and slots.has("pension")) or slots.has("education")
    # `how many ended in a flex job`: the outcomes, not this week's events
    outcome = outcome or (slots.has("ended") and slots.has("job")
                          and not slots.has("rate", "got", "start", "lasting"))  # fmt: skip
    who5 = "trivselsforløb" if slots.has("develop") else "trivsel"
    found = [name for name, asked in (("måltal", slots.has("target")), (who5, wellbeing),
             ("pris", slots.has("cost") or (slots.has("hours") and slots.has("spent")
                                            and not slots.has("per_citizen"))),
             ("udfald", outcome)) if asked]  # fmt: skip
    if not found:
        return None
    if len(found) > 1 or slots.citizens or slots.companies:
        return ()  # a citizen's wellbeing is not on the card: ask which is meant
    return _report(slots, today, "rapport", found[0])


def _card(slots: Slots, today: date) -> Words | None:
    """`hvordan går det med mette?` -> /borger mette; a company -> /virksomhed bilka."""
    if not (slots.citizens or slots.companies):
        return None
    if slots.has("count", "rate", "mean", "not") or slots.as_of:
        return ()  # the card is today's
    if slots.citizens:
        return ("borger", slots.citizens[0])
    return ("virksomhed", slots.companies[0])


def _programme(slots: Slots, today: date) -> Words | None:
    """The programme reports by what is asked: IPS fidelity, contacts or hours per citizen
    (intensitet), hours a week (timer), ever in a praktik or job and praktik to job (borgere),
    how long (forløbstid)."""
    weekly = slots.has("weekly_hours")
    per_citizen = slots.has("per_citizen") or (slots.has("per") and slots.has("citizen"))
    per_citizen = per_citizen and slots.has("contact", "hours")
    ever = slots.has("ever") and slots.has("praktik", "job") and not slots.has("lasting")
    rate = slots.has("job") and slots.has("rate")  # the job rate's own `praktik` filter
    placed = (ever and not rate) or (slots.has("got") and slots.has("praktik")
                                     and not slots.has("job"))  # fmt: skip
    working = slots.has("hours") and slots.has("job", "praktik") and not slots.has("spent", "cost")
    how_long = slots.has("duration") and (slots.has("course", "praktik", "job", "start",
                                                    "referral", "mean"))  # fmt: skip
    found = [name for name, asked in (("fidelitet", slots.has("fidelity")),
             ("intensitet", slots.has("intensity") or per_citizen),
             ("timer", weekly or working),
             ("borgere", placed or slots.has("conversion")),
             ("forløbstid", how_long)) if asked]  # fmt: skip
    if not found:
        return None
    if len(found) > 1 or slots.citizens or slots.companies:
        return ()  # two reports in one question; one citizen's own figures are on the card
    return _report(slots, today, "rapport", found[0])


def _a_week(when: When) -> bool:
    return (when.kind == "span" and when.days == 7) or (
        when.period is not None and when.period.unit == "week"
    )


def _jobrate(slots: Slots, today: date) -> Words | None:
    """The job rate -> /jobrate, filtered to those who had a praktik ("jobraten for dem der har
    været i praktik") or were employed at the start ("i job ved start")."""
    at_start = bool(_AT_START.search(slots.text))
    had_praktik = slots.has("praktik") and slots.has("job") and slots.has("rate")
    rate = slots.has("rate") and (had_praktik or not slots.has("praktik"))
    got_job = slots.has("job") and slots.has("got") and (at_start or not slots.has("start"))
    if not (rate or got_job or slots.has("lasting")):
        return None
    if slots.whens and slots.whens[0].kind == "span" and slots.has("lasting"):
        slots = replace(slots, whens=[])  # "holdt jobbet i 6 måneder": the definition
    command = _report(slots, today, "jobrate", split=True)
    filters = (("praktik",) if had_praktik else ()) + (("ansat-ved-start",) if at_start else ())
    return (*command, *filters) if command else command


def _now(slots: Slots, today: date) -> Words | None:
    """Point-in-time counts: in praktik, in a job, paused, active now -> /status nu."""
    now = bool(slots.whens) and slots.whens[0].kind == "now"
    state = bool(slots.concepts & STATES) and not slots.concepts & EVENTS
    state = state or slots.has("waiting") or (slots.has("not") and slots.has("start"))
    overview = now and (slots.has("status", "how") or bool(_WE_DO.search(slots.text)))
    if not (state or overview):
        return None
    mine = slots.has("own", "caseload") or bool(slots.colleagues)
    if state and mine and not slots.concepts & (STATES - {"active"}):
        return None  # "aktive borgere har jeg": one's caseload
    listing = ("borgere",) if slots.measure == "list" else ()
    day = _one_day(slots)
    if day is not None and day != today:  # "i praktik den 30/6": as of that day
        slots = replace(slots, whens=[], as_of=day)
    if slots.as_of and not now:  # "i job pr. 30/6": the buckets on that day
        command = _report(slots, today, "rapport", "statusdato")
        return (*command, *listing) if command else command
    if slots.whens and not now:
        return ()  # "i job i år": in a job now, or job starts, or the job rate?
    scope = _scope(slots)
    if scope is None:
        return ()
    return ("status", "nu", *scope, *listing)


def _one_day(slots: Slots) -> date | None:
    """The one day asked about (`den 30/6`, `on 30/6`), if the question names a single day."""
    if len(slots.whens) != 1 or slots.whens[0].period is None:
        return None
    period = slots.whens[0].period
    return period.start if period.start == period.end else None


def _status(slots: Slots, today: date) -> Words | None:
    """Activity in a period: contacts, referrals, starts, ends -> /status <periode>."""
    asked = slots.has("contact", "referral", "start", "ended", "interrupted", "status")
    asked = asked or (slots.has("new") and slots.has("citizen"))
    asked = asked or (slots.has("how") and slots.has("go", "doing"))
    asked = asked or bool(_WE_DO.search(slots.text))
    if not asked or slots.has("caseload"):  # `caseload per contact person`: /caseload
        return None
    if slots.has("company") and not slots.has("contact", "count"):
        return None
    if slots.has("staff") and slots.has("contact"):  # per contact person: the activity report
        return _report(slots, today, "rapport", "aktivitet", default="denne måned")
    return _report(slots, today, "status", default="denne uge")


def _caseload(slots: Slots, today: date) -> Words | None:
    """Active citizens per contact person -> /caseload [team|@kollega]."""
    about = slots.has("citizen", "caseload", "cap", "staff")
    whose = bool(slots.colleagues) and slots.has("who", "count")
    if not (about or whose):
        return None
    over_time = (bool(slots.whens) and slots.whens[0].kind != "now") or slots.as_of is not None
    if slots.measure == "mean" or slots.places or slots.has("municipality") or over_time:
        return ()  # caseload is today's, per person, with no mean and no municipality
    if slots.colleagues:
        return ("caseload", _colleague(slots))
    if slots.has("team", "cap", "staff"):
        return ("caseload", "team")
    return ("caseload",)


RULES: tuple[Rule, ...] = (_silent, _followups, _topic, _card, _programme, _jobrate, _now, _status,
                          _caseload)  # fmt: skip
