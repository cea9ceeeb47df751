"""Refuse text that must never be stored: CPR numbers, NUL and control characters.

The CPR check runs on the text as it arrived, before any clean-up joins or splits digits. It
looks through a folded copy in which every dash, space, dot and slash variant and every decimal
digit (full-width, Arabic-Indic, ...) is written the ASCII way; what is stored is what the person
typed, in NFC, with only invisible format characters (bidi marks, zero-width spaces) removed.
"""

from __future__ import annotations

import re
import unicodedata

from kernel.errors import UserError

# Invisible format characters (category Cf) are removed, except the zero-width joiner that
# holds emoji such as a family or a flag together.
_KEEP_FORMAT = {"\u200d"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad"
_DOTS = "\u2024\u2027\u00b7\ufe52\uff0e\u3002"
_SLASHES = "\u2044\u2215\uff0f"
_FOLD = str.maketrans(
    {**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_DOTS, "."), **dict.fromkeys(_SLASHES, "/")}
)
# DDMMYY then SSSS: the date written together (120385), or with one separator used twice
# (12.03.85, 12 03 85, 12-03-85, 12/03/85); then any dash, dot or slash, spaces around it
# allowed. Not part of a longer number, and the serial's four digits stand together, so a
# phone number in pairs (+45 12 34 56 78) is not one.
_CPR = re.compile(r"(?<!\d)(\d{2})([-. /]?)(\d{2})\2(\d{2}) *[-./]? *(\d{4})(?!\d)")
_CONTROL_OK = {"\n", "\t"}


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" and ch not in _KEEP_FORMAT


def normalise(text: str) -> str:
    """`text` in NFC with invisible format characters removed; nothing else is changed."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not _is_invisible(ch))


def fold_for_checks(text: str) -> str:
    """A copy for pattern checks only: ASCII digits, `-` `.` `/` and plain spaces, no Cf."""
    out = []
    for ch in text.translate(_FOLD):
        if unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif ch.isspace():
            out.append(" ")
        elif not _is_invisible(ch):
            out.append(ch)
    return "".join(out)


def looks_like_cpr(text: str) -> bool:
    """True if `text` holds something shaped like a CPR number with a plausible date.

    No modulus-11 check: numbers issued since 2007 may fail it.
    """
    for match in _CPR.finditer(fold_for_checks(text)):
        day, month = int(match.group(1)), int(match.group(3))
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
