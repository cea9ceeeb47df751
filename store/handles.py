"""Citizen handles and ids: a short random code that says nothing of the name, never given twice.

Every handle ever issued is remembered as a digest (`issued_handles`), so neither a current nor an
erased citizen's handle comes back. SQLite gives a deleted newest row's id to the next row; a
watermark keeps citizen ids climbing there too (PostgreSQL's sequences never go back).
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Citizen, IdWatermark, IssuedHandle

# Consonants only, so no code spells a word; digits after the dash. 19^3 * 10^4 = 68.6 million.
LETTERS = "BCDFGHJKMNPQRSTVWXZ"
MAX_DRAWS = 1000
_SYSTEM = random.SystemRandom()

Draw = Callable[[], str]
# A handle as a reply shows it: `KTX-4821`, or an older one made of initials (`MH-0001`).
SHOWN_HANDLE = re.compile(r"(?<![\w-])[A-ZÆØÅ]{1,4}-\d{4,6}(?![\w-])")


def random_handle(rng: random.Random = _SYSTEM) -> str:
    """A fresh code like `KTX-4821`."""
    letters = "".join(rng.choice(LETTERS) for _ in range(3))
    return f"{letters}-{rng.randrange(10_000):04d}"


def numbered_handle(number: int) -> str:
    """The code for `number` in a fixed one-to-one order (bulk fictional data, benchmarks)."""
    high, low = divmod(number, 10_000)
    letters = ""
    for _ in range(3):
        high, digit = divmod(high, len(LETTERS))
        letters = LETTERS[digit] + letters
    return f"{letters}-{low:04d}"


def handle_draw(order: str, session: Session) -> Draw:
    """Where codes come from: the system's randomness, or ("sequential", for tests and demos)
    `BBB-0001`, `BBB-0002`, ... after the handles already issued."""
    if order == "random":
        return random_handle
    issued = session.scalar(select(func.count()).select_from(IssuedHandle)) or 0
    numbers = itertools.count(int(issued) + 1)
    return lambda: numbered_handle(next(numbers))


def handle_digest(handle: str) -> str:
    """What `issued_handles` keeps of a handle (its SHA-256, case-folded)."""
    return hashlib.sha256(handle.strip().casefold().encode()).hexdigest()


def issue_handle(session: Session, now: datetime, draw: Draw = random_handle) -> str:
    """A handle no citizen has ever had, recorded as issued."""
    for _ in range(MAX_DRAWS):
        candidate = draw()
        digest = handle_digest(candidate)
        taken = session.get(IssuedHandle, digest) is not None or session.scalar(
            select(Citizen.id).where(func.upper(Citizen.handle) == candidate.upper())
        )
        if not taken:
            session.add(IssuedHandle(digest=digest, issued_at=now))
            session.flush()
            return candidate
    raise RuntimeError("no unused handle found")


def next_citizen_id(session: Session) -> int | None:
    """On SQLite, the id the next citizen gets (above every id ever given); None elsewhere."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    mark = session.get(IdWatermark, "citizens")
    if mark is None:
        mark = IdWatermark(name="citizens", last_id=0)
        session.add(mark)
    highest = session.scalar(select(func.max(Citizen.id))) or 0
    mark.last_id = max(mark.last_id, highest) + 1
    session.flush()
    return mark.last_id


def handles_shown(text: str, known: set[str]) -> list[str]:
    """Every handle `text` shows, apart from the `known` ones, sorted."""
    return sorted(set(SHOWN_HANDLE.findall(text)) - known)
