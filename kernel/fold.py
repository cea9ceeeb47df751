"""Folding names for matching: case, accents and the Danish letters."""

from __future__ import annotations

import unicodedata

_DANISH = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "ü": "u"})


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: `Søren Ærø` -> `soren aero`; `aa` is read as `å`."""
    lowered = unicodedata.normalize("NFKC", text).casefold().translate(_DANISH)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_only.replace("aa", "a").split())
