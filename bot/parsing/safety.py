"""Refuse text that must never be stored: CPR numbers, NUL and control characters."""

from __future__ import annotations

import re
import unicodedata

from kernel.errors import UserError

# Zero-width and other invisible format characters someone might put between digits.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# DDMMYY-SSSS with an optional dash, space or dot between; not part of a longer number.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\s.]?(\d{4})(?!\d)")
_CONTROL_OK = {"\n", "\t"}


def normalise(text: str) -> str:
    """NFKC-normalised text with invisible characters removed (full-width digits become ASCII)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def looks_like_cpr(text: str) -> bool:
    """True if `text` holds something shaped like a CPR number with a plausible date.

    No modulus-11 check: numbers issued since 2007 may fail it.
    """
    for match in _CPR.finditer(normalise(text)):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return False


def has_control_characters(text: str) -> bool:
    """True if `text` holds NUL or another control character (newline and tab are fine)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in _CONTROL_OK for ch in text)


def check_input(text: str) -> str:
    """Return `text` normalised, or raise a `UserError` if it must not be stored."""
    if has_control_characters(text):
        raise UserError("error.control_chars")
    if looks_like_cpr(text):
        raise UserError("error.cpr")
    return normalise(text)
