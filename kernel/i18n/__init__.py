"""Every user-facing text, one catalogue per language: Danish first (`da.py`), English (`en.py`).

`t(lang, key, **params)` formats a text; a missing key in English falls back to Danish, and a
test checks that both catalogues hold the same keys with the same placeholders.
"""

from __future__ import annotations

from typing import Literal

from kernel.i18n import da, en

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")
CATALOGUES: dict[str, dict[str, str]] = {"da": da.TEXTS, "en": en.TEXTS}


def t(lang: str, key: str, **params: object) -> str:
    """The text `key` in `lang`, formatted with `params`."""
    catalogue = CATALOGUES.get(lang, da.TEXTS)
    template = catalogue.get(key) or da.TEXTS.get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    return template.format(**params) if params else template


def has_text(key: str) -> bool:
    """True if the Danish catalogue holds `key`."""
    return key in da.TEXTS
