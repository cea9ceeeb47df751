"""Names written the way a register writes them: `mette hansen` is `Mette Hansen`."""

from __future__ import annotations

import re

from kernel.errors import UserError

# Lower-case particles inside a name stay lower-case: `Ulrik af Rosenborg`, `Anna van Dijk`.
PARTICLES = {"af", "von", "van", "de", "der", "den", "la", "le", "du", "da", "di", "ten", "ter"}
_PIECE = re.compile(r"([-'’])")


def _capitalised(word: str) -> str:
    return "".join(p[:1].upper() + p[1:] if p not in "-'’" else p for p in _PIECE.split(word))


def register_case(name: str) -> str:
    """Each all-lower-case word capitalised (also after `-`); words with capitals kept."""
    words = name.split()
    out = []
    for n, word in enumerate(words):
        if word != word.lower():
            out.append(word)  # `McDonald`, `DeLuca`: written with care, kept as typed
        elif n > 0 and word in PARTICLES and n < len(words) - 1:
            out.append(word)
        else:
            out.append(_capitalised(word))
    return " ".join(out)


def checked_length(value: str, limit: int, key: str) -> str:
    """`value` if it fits its column; otherwise a usage error `key` saying how long it may be.

    SQLite stores any length in a VARCHAR(n) and PostgreSQL raises, so the limit is ours.
    """
    if len(value) > limit:
        raise UserError(key, limit=limit, length=len(value))
    return value
