"""Answering a question costs no more than the command it maps to plus 5 ms.

A team lead (staff 1, whose team holds 200 citizens) asks ten everyday questions among 10,000
citizens and 200,000 contacts, on SQLite and PostgreSQL. Each question is timed through the
whole chat path (`Rampe.handle`) beside the command it is understood as; the target on each
question's median is that command's median + 5 ms, and the ratio is question / command. The
understanding alone (reading, names, grammar: no command run) is timed too, target under 5 ms.
`--quick` uses 1,000 citizens and 5,000 contacts.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import text

from bench import population
from bench.common import Row, Timing, each_database, make_app, measure, note, print_table
from bench.population import ASKER_ID, caseload_people
from bot.app import Rampe
from bot.context import Ctx
from bot.core import Inbound, Platform
from bot.dispatch import open_ctx
from bot.handlers.questions import DirectoryNames
from bot.questions import render, understand
from store.models import Staff

OVERHEAD_MS = 5.0
PER_STAFF = 20
TEAM_SIZE = 10
SEED = 2


@dataclass(frozen=True)
class Sizes:
    citizens: int
    contacts_per_citizen: int
    companies: int
    rounds: int


FULL = Sizes(10_000, 20, 300, 30)
QUICK = Sizes(1_000, 5, 30, 15)


def questions(app: Rampe) -> list[tuple[str, str]]:
    """(question, the command it must be understood as) for the asker's data."""
    mine = caseload_people(random.Random(SEED), PER_STAFF)[0]
    name = f"{mine.first} {mine.last}".lower()
    with app.sessions() as session:
        colleague = session.get(Staff, 2)
        assert colleague is not None
        other = colleague.display_name.split()[0].lower()
    return [
        ("hvor mange er i job lige nu?", "/status nu"),
        ("hvem har vi ikke set i 14 dage?", "/caseload team uden-kontakt 14"),
        ("hvor mange kontakter har vi haft i denne uge?", "/status denne uge team"),
        ("hvor mange kontaker har vi hat i denne uge", "/status denne uge team"),
        ("hvad er jobraten i år", "/jobrate i år"),
        ("hvordan går det med trivslen?", "/rapport trivsel i år"),
        ("hvad er min caseload?", "/caseload"),
        (f"hvordan går det med {name}?", f"/borger {name}"),
        (f"hvor mange borgere har {other}?", f"/caseload @{other}"),
        ("hvad skal jeg følge op på", "/opfølgning"),
    ]


def ask(app: Rampe, text_: str) -> str:
    """The reply to `text_` from the asker, as text."""
    return app.handle(Inbound(Platform.CONSOLE, ASKER_ID, text_)).as_text()


def understanding(ctx: Ctx, question: str) -> Callable[[], str]:
    """Read and understand `question` as the dispatcher does, in an open session; run nothing."""

    def call() -> str:
        found = understand(question, ctx.today, DirectoryNames(ctx))
        return render(found.command, "da") if found.command else "?"

    return call


def paired(first: Callable[[], object], second: Callable[[], object], n: int) -> list[Timing]:
    """Time `first` and `second` turn about, `n` times each after warming up: on a busy
    machine both then see the same load."""
    for _ in range(3):
        first()
        second()
    samples: list[list[float]] = [[], []]
    cpu = [0.0, 0.0]
    for _ in range(n):
        for k, fn in enumerate((first, second)):
            cpu_start, start = time.process_time(), time.perf_counter()
            fn()
            samples[k].append(time.perf_counter() - start)
            cpu[k] += time.process_time() - cpu_start
    return [Timing(tuple(samples[k]), cpu[k] / n * 1000) for k in (0, 1)]


def run(quick: bool = False) -> None:
    """Each question beside its command, and the understanding alone, on both databases."""
    sizes = QUICK if quick else FULL
    n_staff = sizes.citizens // PER_STAFF
    for db in each_database():
        note(f"{db.name}: loading {sizes.citizens:,} citizens ...")
        population.load_staff(db, n_staff, TEAM_SIZE)
        population.load_citizens(db, sizes.citizens, PER_STAFF, TEAM_SIZE, SEED)
        population.load_companies(db, sizes.companies, n_staff)
        population.load_contacts(db, sizes.contacts_per_citizen, sizes.companies)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE staff SET role = 'lead' WHERE id = 1"))
        app = make_app(db)
        pairs, alone = [], []
        extras: list[float] = []
        extras_cpu: list[float] = []
        for question, command in questions(app):
            reply = ask(app, question)
            assert reply.startswith(f"Forstået som: {command}\n"), (question, reply[:200])
            command_t, question_t = paired(
                partial(ask, app, command), partial(ask, app, question), sizes.rounds
            )
            target = command_t.median_ms + OVERHEAD_MS
            pairs.append(Row(f"{command}  (command)", command_t))
            pairs.append(Row(f"  {question}", question_t, target, command_t))
            with app.sessions() as session:
                ctx, _ = open_ctx(app, session, Inbound(Platform.CONSOLE, ASKER_ID, question))
                alone.append(Row(question, measure(understanding(ctx, question),
                                                   n=sizes.rounds * 3), OVERHEAD_MS))  # fmt: skip
            extra = question_t.median_ms - command_t.median_ms
            extra_cpu = (question_t.cpu_ms or 0.0) - (command_t.cpu_ms or 0.0)
            extras.append(extra)
            extras_cpu.append(extra_cpu)
        print_table(f"Question vs. its command on {db.name} (target: command + 5 ms)", pairs)
        wall = statistics.median(extras)
        cpu = statistics.median(extras_cpu)
        print(f"  added per question, median over the questions: {wall:+.2f} ms wall, "
              f"{cpu:+.2f} ms cpu (target < {OVERHEAD_MS:g} ms)")  # fmt: skip
        print_table(f"Understanding alone on {db.name} (no command run)", alone)


if __name__ == "__main__":
    run()
