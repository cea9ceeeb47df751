"""The slots a question is read into: what, about what, whose and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.questions.when import When


@dataclass
class Slots:
    """What a question holds once read: concepts, names, places, periods and unknown words."""

    concepts: set[str] = field(default_factory=set)
    citizens: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    colleagues: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    whens: list[When] = field(default_factory=list)
    as_of: date | None = None  # `pr. 30/6`: counted as on that day
    unknown: int = 0
    confidence: float = 1.0
    text: str = ""
    me: str = ""  # the asker, for "jeg" when their reports default to more than their own

    def has(self, *concepts: str) -> bool:
        """True if any of `concepts` was asked about."""
        return any(c in self.concepts for c in concepts)

    @property
    def measure(self) -> str:
        """What is asked: count, rate, list, mean or card (a named citizen or company)."""
        if self.citizens or self.companies:
            return "card"
        for measure, concepts in (("rate", ("rate",)), ("mean", ("mean",)),
                                  ("count", ("count",)), ("list", ("who",))):  # fmt: skip
            if self.has(*concepts):
                return measure
        return ""
