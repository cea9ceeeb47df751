"""The nearest commands to offer when a question is asked back: those its words point to."""

from __future__ import annotations

from datetime import date

from bot.questions.slots import Slots
from bot.questions.when import period_words

Words = tuple[str, ...]
PERIOD_DEFAULTS = {"denne uge", "i år"}

SUGGESTED: tuple[tuple[tuple[str, ...], Words], ...] = (
    (("not", "talk"), ("caseload", "uden-kontakt", "14")),
    (("wellbeing",), ("rapport", "trivsel", "i år")),
    (("hours",), ("rapport", "timer", "i år")),
    (("duration",), ("rapport", "forløbstid", "i år")),
    (("cost", "hours"), ("rapport", "pris", "i år")),
    (("target",), ("rapport", "måltal", "i år")),
    (("outcome", "ended", "why"), ("rapport", "udfald", "i år")),
    (("job", "rate", "got"), ("jobrate", "i år")),
    (("job", "praktik", "paused", "active", "sick", "count"), ("status", "nu")),
    (("contact", "referral", "start", "status", "go", "count"), ("status", "denne uge")),
    (("citizen", "caseload", "team", "own"), ("caseload",)),
    (("followup", "absence"), ("opfølgning",)),
)
DEFAULTS: tuple[Words, ...] = (("status", "denne uge"), ("jobrate", "i år"), ("status", "nu"))


def nearest(slots: Slots, today: date) -> tuple[Words, ...]:
    """Two or three commands near what was asked, with its period and names where they fit."""
    found: list[Words] = []
    for name in slots.citizens[:2]:
        found.append(("borger", name))
    for name in slots.companies[:1]:
        found.append(("virksomhed", name))
    for concepts, command in SUGGESTED:
        if any(c in slots.concepts for c in concepts):
            found.append(command)
    for command in DEFAULTS:
        if len(found) >= 3:
            break
        found.append(command)
    return tuple(dict.fromkeys(_with_period(c, slots, today) for c in found))[:3]


def _with_period(command: Words, slots: Slots, today: date) -> Words:
    """The suggestion over the period that was asked about (`hvad med sidste måned?`)."""
    period = slots.whens[0].as_period(today) if len(slots.whens) == 1 else None
    if period is None:
        return command
    return tuple(period_words(period, today) if w in PERIOD_DEFAULTS else w for w in command)
