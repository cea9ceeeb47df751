"""The /log corpus: lines written the way contact persons type them, each with what it means.

Every line runs through the whole app on SQLite and PostgreSQL and the stored contact must
hold the expected citizen (or company), form, date, duration and note.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.app import Rampe
from bot.parsing.logline import LogLine, read_log_line, render
from store.models import Citizen, Company, Contact
from tests.conftest import Chat

CORPUS = Path(__file__).parent / "corpus" / "log_lines.tsv"
MONDAY = date(2026, 11, 23)
CITIZENS = ("Mette Hansen", "Mette Kristensen", "Jonas Bak", "Kasper Nielsen", "Ib Madsen",
            "Søren Østergaard", "Fatima Ali", "Lars Emil Pedersen", "Anne-Marie Holm",
            "Peter Jensen", "Line Thomsen", "Ahmad Karimi", "Birgitte Skov", "Omar Hassan",
            "Sofie Lund")  # fmt: skip
COMPANIES = ("Bilka Tilst", "Netto Viby", "Lego Billund", "Føtex Randers")


@dataclass(frozen=True)
class Expected:
    line: str
    who: str
    form: str
    on: date
    minutes: int | None
    note: str


def corpus() -> list[Expected]:
    """The corpus lines with what each one means."""
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r]
    return [
        Expected(line, who, form, date.fromisoformat(on), int(minutes) if minutes else None, note)
        for line, who, form, on, minutes, note in (r for r in rows if not r[0].startswith("#"))
    ]


def test_the_corpus_is_large_and_mostly_danish() -> None:
    lines = corpus()
    assert len(lines) >= 300
    assert len({e.line for e in lines}) == len(lines), "a line is listed twice"


def _stored(app: Rampe) -> tuple[str, str, date, int | None, str]:
    with app.unit_of_work() as session:
        contact = session.scalars(select(Contact).order_by(Contact.id.desc()).limit(1)).one()
        if contact.citizen_id is not None:
            who = session.get(Citizen, contact.citizen_id).full_name  # type: ignore[union-attr]
        else:
            who = "@" + session.get(Company, contact.company_id).name  # type: ignore[union-attr]
        return who, contact.form, contact.occurred_on, contact.minutes, contact.note or ""


def test_every_corpus_line_is_stored_as_meant(chat: Chat, app: Rampe) -> None:
    for name in CITIZENS:
        assert "Oprettet" in chat(f"/borger ny {name} henvist:1/6/2026")
    for company in COMPANIES:
        chat(f"/virksomhed ny {company}")
    wrong = []
    for e in corpus():
        reply = chat(e.line)
        got = _stored(app) if reply.startswith("Logget:") else (reply,)
        want = (e.who, e.form, e.on, e.minutes, e.note)
        if got != want:
            wrong.append(f"{e.line!r}\n   want {want}\n   got  {got}")
    assert not wrong, f"{len(wrong)} lines read wrongly:\n" + "\n".join(wrong)


def reading(line: LogLine) -> tuple[object, ...]:
    """What a reading says, without where in the text it was said."""
    head = tuple(t.text for t in line.head)
    return head, line.company, line.form, line.on, line.minutes, line.note


def test_every_corpus_reading_written_back_reads_the_same() -> None:
    for e in corpus():
        first = read_log_line(e.line.removeprefix("/log "), MONDAY)
        assert reading(read_log_line(render(first), MONDAY)) == reading(first), e.line
