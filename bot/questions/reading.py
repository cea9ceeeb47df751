"""Reading a question word by word: each word becomes a concept, a name, a number or unknown.

Typos are forgiven the way names are: a word that is not known exactly is matched fuzzily
against the vocabulary, then against the names the asker may see; missing æøå never matter
because both sides are folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import fuzz, process

from bot.questions.lexicon import (
    CONCEPTS_BY_WORD,
    FILLER_WORDS,
    FUZZY_WORDS,
    MUNICIPALITY_BY_FOLD,
)
from kernel.fold import fold

WORD_CUTOFF = 80.0
PLACE_CUTOFF = 85.0
_EDGES = "?!.,;:\"'()[]{}«»“”"
_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?([-–]\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?)?$")


class Names(Protocol):
    """Who and what the asker may name: citizens, companies and colleagues."""

    def exact(self, word: str) -> str | None:
        """`citizen`, `company` or `staff` if `word` (folded) is exactly part of such a name."""

    def fuzzy(self, word: str) -> tuple[str, float] | None:
        """The kind of name `word` is a typo of, with a score 0-100, or None."""

    def phrase(self, text: str) -> str | None:
        """The kind of name that `text` (several words) names as a whole, if any."""


class NoNames:
    """For reading without a database: no word is a name."""

    def exact(self, word: str) -> str | None:
        return None

    def fuzzy(self, word: str) -> tuple[str, float] | None:
        return None

    def phrase(self, text: str) -> str | None:
        return None


@dataclass(frozen=True)
class Token:
    """One word of a question as it was read."""

    typed: str  # lower-cased as typed, æøå kept: what a name is shown as
    folded: str
    kind: str  # concept | filler | number | date | name | place | unknown
    concepts: tuple[str, ...] = ()
    score: float = 1.0  # 1.0 when known exactly; the fuzzy score otherwise
    name_kind: str = ""  # citizen | company | staff, for names
    value: str = ""  # the municipality's name for places


def words(text: str) -> list[str]:
    """The words of `text`, punctuation at the edges and apostrophes removed."""
    out = []
    for raw in text.split():
        word = raw.strip(_EDGES).replace("'", "").replace("’", "")
        if word.startswith("/"):
            word = word[1:]
        if word:
            out.append(word.casefold())
    return out


def read(text: str, names: Names) -> list[Token]:
    """Every word of `text` read as a token; a hyphenated word not known as a whole
    (`varigt-job-raten`) as its parts."""
    tokens: list[Token] = []
    for word in words(text):
        token = read_word(word, names)
        parts = [part for part in word.split("-") if part]
        if len(parts) > 1 and (token.kind == "unknown" or token.score < 1.0):
            tokens.extend(read_word(part, names) for part in parts)
        else:
            tokens.append(token)
    return _whole_names(tokens, names)


def _whole_names(tokens: list[Token], names: Names) -> list[Token]:
    """`søren lindeberg` is one citizen, even when a colleague is also called Søren."""
    out = list(tokens)
    i = 0
    while i < len(out):
        end = i
        while end < len(out) and out[end].kind == "name":
            end += 1
        if end - i >= 2:
            kind = names.phrase(" ".join(t.folded for t in out[i:end]))
            if kind:
                out[i:end] = [replace(t, name_kind=kind) for t in out[i:end]]
        i = max(end, i + 1)
    return out


def read_word(typed: str, names: Names) -> Token:
    """One word: exact vocabulary first, then names, then typos of either."""
    folded = fold(typed)
    if folded.isdigit():
        return Token(typed, folded, "number")
    if _DATE.match(folded):
        return Token(typed, folded, "date")
    if folded in CONCEPTS_BY_WORD:
        return Token(typed, folded, "concept", CONCEPTS_BY_WORD[folded])
    if folded in FILLER_WORDS:
        return Token(typed, folded, "filler")
    place = _place(folded)
    if place:
        return Token(typed, folded, "place", value=place)
    for candidate in _with_genitive(folded):
        kind = names.exact(candidate)
        if kind:
            shown = typed[:-1] if candidate != folded else typed
            return Token(shown, candidate, "name", name_kind=kind)
    if len(folded) >= 4:
        found = process.extractOne(folded, FUZZY_WORDS, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF)
        if found is not None:
            word, score, _ = found
            return Token(typed, folded, "concept", CONCEPTS_BY_WORD[word], score / 100)
    if len(folded) >= 3:
        guess = names.fuzzy(folded)
        if guess is not None:
            return Token(typed, folded, "name", score=guess[1] / 100, name_kind=guess[0])
    return Token(typed, folded, "unknown", score=0.0)


def _place(folded: str) -> str:
    """The municipality `folded` names (`kommune:silkeborg`, `silkeborg`, `silkeborgs`)."""
    if folded.startswith(("kommune:", "municipality:")):
        folded = folded.split(":", 1)[1]
    for candidate in _with_genitive(folded):
        if candidate in MUNICIPALITY_BY_FOLD:
            return MUNICIPALITY_BY_FOLD[candidate]
    if len(folded) >= 5:
        found = process.extractOne(
            folded, MUNICIPALITY_BY_FOLD.keys(), scorer=fuzz.ratio, score_cutoff=PLACE_CUTOFF
        )
        if found is not None:
            return MUNICIPALITY_BY_FOLD[found[0]]
    return ""


def _with_genitive(folded: str) -> tuple[str, ...]:
    """`mettes` may be Mette's: try the word as typed, then without the genitive s."""
    if len(folded) > 2 and folded.endswith("s"):
        return (folded, folded[:-1])
    return (folded,)
