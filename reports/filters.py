"""Citizen filters: which citizens a report counts, on top of its scope, for every report alike.

A filter narrows the population before any figure is computed: referred, started or ended in
the period, had a praktik (one that started by the period's end: ever, not only in it), and
employed at the start of the course. Several filters together mean all of them. The words are
read here once, for the chat and `rampe report`; the clause is added in one place,
`reports.scope.citizen_where`, so every report applies it the same way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select

from kernel.errors import UserError
from reports.periods import Period, Translate
from store.models import Citizen, Placement

FILTERS = ("referred", "started", "ended", "praktik", "employed_at_start")

WORDS: dict[str, str] = {
    "henvist": "referred", "henviste": "referred", "referred": "referred",
    "startet": "started", "startede": "started", "started": "started",
    "afsluttet": "ended", "afsluttede": "ended", "ended": "ended",
    "praktik": "praktik", "haft-praktik": "praktik", "had-praktik": "praktik",
    "ansat-ved-start": "employed_at_start", "ansat-ved-starten": "employed_at_start",
    "employed-at-start": "employed_at_start",
}  # fmt: skip

# The name a filter goes by in help, the README and `rampe report --help`: Danish (English).
SHOWN_FILTERS = (
    ("henvist", "referred"), ("startet", "started"), ("afsluttet", "ended"),
    ("praktik", "had-praktik"), ("ansat-ved-start", "employed-at-start"),
)  # fmt: skip
PREFIXES = ("filter:", "kun:", "only:")


@dataclass(frozen=True)
class CitizenFilter:
    """The filters asked for (in `FILTERS` order) and the period they count in."""

    kinds: tuple[str, ...]
    period: Period


def filter_word(word: str) -> str | None:
    """The filter a word names (`henvist`, `filter:henvist`), None if it names none.

    A word that looks meant as a filter but is not one (`filter:ansat`, `henvst`) is refused
    with the filter words to choose from.
    """
    low = word.casefold()
    prefixed = low.startswith(PREFIXES)
    if prefixed:
        low = low.split(":", 1)[1]
    if low in WORDS:
        return WORDS[low]
    if prefixed or _near(low):
        raise UserError("error.report_filter", token=word, filters=filter_list())
    return None


def _near(low: str) -> bool:
    """A typo of a filter word, or the start of one (`ansat` for `ansat-ved-start`)."""
    if len(low) >= 5 and any(w.startswith(low) and "-" in w for w in WORDS):
        return True
    return bool(difflib.get_close_matches(low, list(WORDS), n=1, cutoff=0.8))


def filter_list() -> str:
    """`henvist, startet, afsluttet, praktik, ansat-ved-start`: what to type."""
    return ", ".join(danish for danish, _ in SHOWN_FILTERS)


def citizen_filter(kinds: list[str] | tuple[str, ...], period: Period) -> CitizenFilter | None:
    """The filter for these kinds in `period`, None for none (duplicates counted once)."""
    chosen = tuple(k for k in FILTERS if k in kinds)
    return CitizenFilter(chosen, period) if chosen else None


def parse_filters(words: list[str] | tuple[str, ...], period: Period) -> CitizenFilter | None:
    """`rampe report --filter henvist --filter praktik`: each word must name a filter."""
    kinds = []
    for word in words:
        kind = filter_word(word)
        if kind is None:
            raise UserError("error.report_filter", token=word, filters=filter_list())
        kinds.append(kind)
    return citizen_filter(kinds, period)


def filter_where(chosen: CitizenFilter) -> ColumnElement[bool]:
    """WHERE on `Citizen`: every chosen filter holds."""
    start, end = chosen.period.start, chosen.period.end
    clauses: dict[str, ColumnElement[bool]] = {
        "referred": Citizen.referred_on.between(start, end),
        "started": Citizen.started_on.between(start, end),
        "ended": Citizen.ended_on.between(start, end),
        "praktik": Citizen.id.in_(select(Placement.citizen_id).where(Placement.start_on <= end)),
        "employed_at_start": Citizen.employed_at_start.is_(True),
    }
    return and_(*(clauses[kind] for kind in chosen.kinds))


def filter_names(chosen: CitizenFilter, t: Translate) -> str:
    """`henvist + ansat-ved-start`: the filters as typed, for a report's heading."""
    return " + ".join(t(f"filter.name.{kind}") for kind in chosen.kinds)


def filter_definitions(chosen: CitizenFilter | None, t: Translate) -> tuple[tuple[str, str], ...]:
    """The row a report's definitions carry for its filter: (`Filter`, which citizens it kept)."""
    return ((t("col.filter"), filter_definition(chosen, t)),) if chosen else ()


def filter_definition(chosen: CitizenFilter, t: Translate) -> str:
    """`Kun borgere henvist 1/1/2026–31/12/2026 og ...`: which citizens the filter kept."""
    period = chosen.period
    start = f"{period.start.day}/{period.start.month}/{period.start.year}"
    end = f"{period.end.day}/{period.end.month}/{period.end.year}"
    parts = [t(f"filter.def.{kind}", start=start, end=end) for kind in chosen.kinds]
    return t("filter.definition", parts=t("filter.and").join(parts))
