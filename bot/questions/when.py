"""The period a question is about: lige nu, i dag, denne uge, i år, sidste måned, siden 1/9,
de sidste 30 dage, i 14 dage, or a date range; and the day it is counted as of (pr. 30/6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.parsing.dates import parse_date_token
from bot.parsing.periods import parse_period
from bot.questions.lexicon import NUMBERS
from bot.questions.reading import Token
from kernel.errors import UserError
from reports.periods import Period, unit_period

UNITS = {"uge": "week", "ugen": "week", "ugens": "week", "week": "week",
         "maned": "month", "maneden": "month", "month": "month",
         "kvartal": "quarter", "kvartalet": "quarter", "quarter": "quarter",
         "ar": "year", "aret": "year", "year": "year"}  # fmt: skip
SPANS = {"dag": 1, "dage": 1, "day": 1, "days": 1, "dogn": 1, "uge": 7, "uger": 7, "week": 7,
         "weeks": 7, "maned": 30, "maneder": 30, "month": 30, "months": 30}  # fmt: skip
NOW_WORDS = {"nu", "now", "currently", "moment", "ojeblikket"}
LEAD_INS = {"lige", "right", "at", "the", "i"}
BEFORE_SPAN = {"i", "in", "for", "de", "the", "sidste", "last", "past", "seneste"}
THIS = {"denne", "dette", "this", "current", "i", "for", "in", "the"}
LAST = {"sidste", "forrige", "last", "previous"}
SINCE = {"siden", "since", "fra", "from"}
AS_OF = {"pr", "per"}  # `pr. 30/6`; `as of 30/6` too
QUARTERS = {"forste": 1, "first": 1, "andet": 2, "anden": 2, "second": 2, "tredje": 3,
            "third": 3, "fjerde": 4, "fourth": 4}  # fmt: skip
MONTHS = {name: n for n, names in enumerate((
    ("januar", "january"), ("februar", "february"), ("marts", "march"), ("april",),
    ("maj", "may"), ("juni", "june"), ("juli", "july"), ("august",), ("september",),
    ("oktober", "october"), ("november",), ("december",)), start=1) for name in names}  # fmt: skip


@dataclass(frozen=True)
class When:
    """What time a question asks about."""

    kind: str  # now | period | span | asof (counted as on the one day of `period`)
    period: Period | None = None
    days: int = 0  # for a span: "i 14 dage", "de sidste 30 dage"

    def as_period(self, today: date) -> Period | None:
        """The period to report over (a span becomes the last `days` days up to today)."""
        if self.kind == "span":
            return Period("range", today - timedelta(days=self.days - 1), today)
        return self.period


def find_when(tokens: list[Token], today: date) -> tuple[list[When], set[int]]:
    """Every period phrase in `tokens`, and the positions of the words they used."""
    found: list[When] = []
    used: set[int] = set()
    i = 0
    while i < len(tokens):
        got = _at(tokens, i, today)
        if got is None:
            i += 1
            continue
        when, start, end = got
        found.append(when)
        used.update(range(start, end))
        i = end
    return found, used


def _word(tokens: list[Token], i: int) -> str:
    return tokens[i].folded if 0 <= i < len(tokens) else ""


def _lead_in(tokens: list[Token], i: int, words: set[str]) -> int:
    """The first position of the words in `words` just before `i` (`lige` nu, `de sidste`)."""
    while i > 0 and _word(tokens, i - 1) in words:
        i -= 1
    return i


def _number(tokens: list[Token], i: int) -> int | None:
    word = _word(tokens, i)
    if word.isdigit() and 0 < int(word) <= 366:
        return int(word)
    return NUMBERS.get(word)


def _at(tokens: list[Token], i: int, today: date) -> tuple[When, int, int] | None:
    """The period phrase that ends its first word at `i`, as (when, start, end), or None."""
    word, after = _word(tokens, i), _word(tokens, i + 1)
    if word in NOW_WORDS:
        return When("now"), _lead_in(tokens, i, LEAD_INS), i + 1
    if (word == "i" and after == "dag") or word in ("idag", "today"):
        return _day(today), i, i + (2 if word == "i" else 1)
    if (word == "i" and after == "gar") or word in ("igar", "yesterday"):
        return _day(today - timedelta(days=1)), i, i + (2 if word == "i" else 1)
    count = _number(tokens, i)
    if count is not None and after in SPANS:
        start = _lead_in(tokens, i, BEFORE_SPAN)
        return When("span", days=count * SPANS[after]), start, i + 2
    if word in LAST and after in UNITS:
        previous = unit_period(UNITS[after], today).previous()
        return When("period", Period("range", previous.start, previous.end)), i, i + 2
    if word in QUARTERS and UNITS.get(after) == "quarter":  # `første kvartal`: the last Q1
        return When("period", _quarter(QUARTERS[word], today)), _lead_in(tokens, i, THIS), i + 2
    if len(word) == 2 and word[0] == "q" and word[1] in "1234":  # `q3`
        return When("period", _quarter(int(word[1]), today)), _lead_in(tokens, i, THIS), i + 1
    if word in UNITS:
        return When("period", unit_period(UNITS[word], today)), _lead_in(tokens, i, THIS), i + 1
    if word in MONTHS and tokens[i].kind != "name":  # `i oktober`: the last October by today
        month = MONTHS[word]
        year = today.year if month <= today.month else today.year - 1
        whole = unit_period("month", date(year, month, 1))
        return When("period", Period("range", whole.start, whole.end)), i, i + 1
    if tokens[i].kind == "date":
        return _dates(tokens, i, today)
    lead = 1 if word in AS_OF else 2 if (word, after) == ("as", "of") else 0
    if lead and i + lead < len(tokens) and tokens[i + lead].kind == "date":
        got = _dates(tokens, i + lead, today)
        if got is not None and got[0].period is not None:
            day = got[0].period.end
            return When("asof", Period("range", day, day)), i, got[2]
    return None


def _quarter(n: int, today: date) -> Period:
    """Quarter `n` of this year, or of last year if it has not begun."""
    first = date(today.year, 3 * n - 2, 1)
    if first > today:
        first = date(today.year - 1, 3 * n - 2, 1)
    whole = unit_period("quarter", first)
    return Period("range", whole.start, whole.end)


def _day(day: date) -> When:
    return When("period", Period("range", day, day))


def _dates(tokens: list[Token], i: int, today: date) -> tuple[When, int, int] | None:
    text = tokens[i].folded
    try:
        period = parse_period(text, today)
        if period is None:
            first = parse_date_token(text, today, "past")
            if first is None:
                return None
            since = _word(tokens, i - 1) in SINCE
            period = Period("range", first, today if since and first <= today else first)
    except UserError:
        return None
    start = i - 1 if _word(tokens, i - 1) in SINCE else i
    return When("period", period), start, i + 1


def _dm(day: date, with_year: bool) -> str:
    return f"{day.day}/{day.month}/{day.year}" if with_year else f"{day.day}/{day.month}"


def as_of_words(day: date, today: date) -> tuple[str, str]:
    """`pr. 30/6` (with the year when it is not this year's)."""
    return ("pr.", _dm(day, day.year != today.year))


def period_words(period: Period, today: date) -> str:
    """The words a report command takes for `period`."""
    units = {"week": "denne uge", "month": "denne måned", "quarter": "dette kvartal",
             "year": "i år"}  # fmt: skip
    if period.unit in units:
        return units[period.unit]
    with_year = not period.start.year == period.end.year == today.year
    return f"{_dm(period.start, with_year)}-{_dm(period.end, with_year)}"
