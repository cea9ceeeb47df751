"""Asking before storing the implausible: a date ahead, before the referral or long ago, and a
duration longer than the form's limit. The question goes through the pending-question
mechanism (numbers and buttons); the answer reruns the command with the value chosen.
"""

from __future__ import annotations

from datetime import UTC, date

from bot.context import Ctx
from bot.parsing.durations import format_minutes
from bot.parsing.logline import LogLine
from bot.resolve import override_key
from kernel.errors import Ambiguous, Candidate
from kernel.vocabulary import ContactForm
from store.models import Citizen

DATE_QUESTIONS = ("date_ahead", "date_early", "date_old")
NO_DURATION = 0


def _dmy(on: date) -> str:
    return f"{on.day}/{on.month}/{on.year}"


def _answered(ctx: Ctx, kinds: tuple[str, ...], query: str) -> int | None:
    for kind in kinds:
        chosen = ctx.overrides.get(override_key(kind, query))
        if chosen is not None:
            return int(chosen)
    return None


def _typed_referral(ctx: Ctx, citizen: Citizen | None) -> date | None:
    """The citizen's referral date, unless it is the day of registering (maybe the default:
    people register a citizen after the first meeting, so contacts just before it are normal)."""
    if citizen is None or citizen.referred_on is None:
        return None
    created = citizen.created_at
    registered = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(ctx.tz)
    return None if citizen.referred_on == registered.date() else citizen.referred_on


def checked_date(ctx: Ctx, line: LogLine, citizen: Citizen | None) -> date:
    """The contact's date, or a question when it is ahead, before the referral or long ago."""
    on = line.on or ctx.today
    query = line.date_words or _dmy(on)
    chosen = _answered(ctx, DATE_QUESTIONS, query)
    if chosen is not None:
        return date.fromordinal(chosen)
    typed = Candidate(on.toordinal(), ctx.t("choice.as_typed", value=_dmy(on)))
    if line.date_ahead:
        last_year = Candidate(on.toordinal(), ctx.t("choice.last_year", value=_dmy(on)))
        raise Ambiguous("date_ahead", query, [last_year])
    referred = _typed_referral(ctx, citizen)
    if referred is not None and on < referred:
        referral = Candidate(referred.toordinal(), ctx.t("choice.referral", value=_dmy(referred)))
        raise Ambiguous("date_early", query, [typed, referral])
    if (ctx.today - on).days > ctx.settings.log_days_back:
        raise Ambiguous("date_old", query, [typed])
    return on


def checked_minutes(ctx: Ctx, line: LogLine, form: ContactForm) -> int | None:
    """The contact's length, or a question when it is longer than the form's limit."""
    minutes = line.minutes
    if minutes is None:
        return None
    query = line.duration_words
    chosen = _answered(ctx, ("duration",), query)
    if chosen is not None:
        return chosen or None
    if minutes <= ctx.settings.max_minutes(str(form)):
        return minutes
    shown = format_minutes(minutes, ctx.lang)
    choices = [Candidate(minutes, ctx.t("choice.as_typed", value=shown))]
    if minutes % 60 == 0 and minutes // 60 <= ctx.settings.max_minutes(str(form)):
        as_minutes = minutes // 60  # `10 timer` for a call that was 10 minutes
        choices.append(Candidate(as_minutes, format_minutes(as_minutes, ctx.lang)))
    choices.append(Candidate(NO_DURATION, ctx.t("choice.no_duration")))
    raise Ambiguous("duration", query, choices)
