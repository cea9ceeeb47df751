"""A small programme to ask questions about, and the question corpus read from its file.

Team Nord shares its caseload: Lene leads it (no citizens of her own), Anna and Bo are contact
persons. Today is Monday 23 November 2026. Right now Mette is in a praktik and Søren in a job;
Alma's course ended in a job in the summer; Karim (Bo's, from Silkeborg) was never contacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.app import Rampe
from bot.core import Inbound, Platform
from bot.dispatch import open_ctx
from bot.handlers.questions import DirectoryNames, asker
from bot.questions import render, understand
from store.models import Role
from tests.support_reports import citizen, company, contact, ended, job, placement, staff, who5

CORPUS = Path(__file__).parent / "corpus" / "questions.tsv"
ASK_BACK = "?"
D = date


def programme(app: Rampe) -> None:
    """Build the programme described in the module docstring."""
    with app.unit_of_work() as s:
        staff(s, "lene", Role.LEAD, team="Nord", shares=True)
        anna = staff(s, "anna", team="Nord", shares=True)
        bo = staff(s, "bo", team="Nord", shares=True)
        bilka = company(s, anna, "Bilka Tilst")
        company(s, anna, "Netto")
        mette = citizen(s, anna, "Mette Hansen", D(2026, 9, 1), D(2026, 9, 2), "Aarhus")
        placement(s, mette, bilka, D(2026, 11, 2))
        contact(s, anna, mette, "phone", D(2026, 11, 20))
        soren = citizen(s, anna, "Søren Dahl", D(2026, 3, 1), D(2026, 3, 2), "Aarhus")
        job(s, soren, bilka, "flex", D(2026, 6, 1))
        alma = citizen(s, anna, "Alma Andersen", D(2026, 2, 1), D(2026, 2, 2), "Silkeborg")
        job(s, alma, bilka, "ordinary", D(2026, 4, 1))
        who5(s, alma, "start", 40, D(2026, 2, 2))
        who5(s, alma, "end", 60, D(2026, 6, 30))
        ended(s, alma, "job", D(2026, 6, 30))
        citizen(s, bo, "Karim Said", D(2026, 10, 1), D(2026, 10, 5), "Silkeborg")


@dataclass(frozen=True)
class Case:
    """One question of the corpus and the command it means (or `?`: ask back)."""

    lang: str
    who: str
    question: str
    expected: str


def corpus() -> list[Case]:
    """Every question in the corpus file, in order."""
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        lang, who, question, expected = line.split("\t")
        cases.append(Case(lang, who, question, expected))
    return cases


def understood(app: Rampe, who: str, question: str, lang: str) -> str:
    """The command `who` is understood to ask for, in `lang`, or `?` when Rampe asks back."""
    with app.unit_of_work() as session:
        inbound = Inbound(Platform.CONSOLE, who, question, display_name=who.title())
        ctx, _ = open_ctx(app, session, inbound)
        found = understand(question, ctx.today, DirectoryNames(ctx), asker(ctx))
        return render(found.command, lang) if found.command else ASK_BACK
