"""The errors a user can cause and fix, shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    """One of several people or companies a name could mean."""

    id: int
    label: str


@dataclass
class Ambiguous(Exception):
    """A name matched several candidates; the user must choose before anything is stored."""

    kind: str  # "citizen" | "company" | "staff"
    query: str
    candidates: list[Candidate] = field(default_factory=list)


class UserError(Exception):
    """An error the user caused and can fix.

    `key` names a text in the catalogue (`kernel.i18n`); `params` fill it in. The dispatcher
    translates it into the user's language and adds the command's example.
    """

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
