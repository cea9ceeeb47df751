"""Health-data costs: encrypting notes, rotating keys, scoped citizen loads, erasing a citizen.

Runs on a temporary SQLite file. `run(quick=True)` takes seconds; a full run about a minute.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from store.crypto import install_cipher, make_cipher
from store.db import make_engine, make_session_factory, upgrade_schema
from store.erasure import erase_citizen, scrub_file
from store.models import Citizen, Contact, Staff
from store.rotation import rotate_all
from store.scope import scoped_citizen

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
NOTE = "aftalte praktikbesøg hos Bilka i næste uge, borgeren var glad og veloplagt " * 2


def _seed(engine: Engine, citizens: int, contacts_each: int) -> None:
    with Session(engine) as session, session.begin():
        staff = Staff(display_name="Anna", name_folded="anna", role="contact", created_at=NOW)
        session.add(staff)
        session.flush()
        for i in range(citizens):
            c = Citizen(
                handle=f"AB-{i + 1:04d}", full_name=f"Borger {i}", name_folded=f"borger {i}",
                owner_id=staff.id, status="active", created_at=NOW, updated_at=NOW,
            )  # fmt: skip
            session.add(c)
            session.flush()
            session.add_all(
                Contact(
                    citizen_id=c.id,
                    staff_id=staff.id,
                    form="phone",
                    occurred_on=date(2026, 11, 1),
                    note=NOTE,
                    created_at=NOW,
                )
                for _ in range(contacts_each)
            )


def _fresh(folder: Path, name: str, key: str | None) -> Engine:
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade_schema(engine)
    install_cipher(engine, make_cipher([key] if key else []))
    return engine


def _timed(work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(quick: bool = False) -> None:
    """Print the figures and ratios."""
    citizens, each = (20, 50) if quick else (200, 100)
    rows = citizens * each
    key = Fernet.generate_key().decode()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _seed(_fresh(folder, "warmup.db", key), 2, 2)
        plain = _fresh(folder, "plain.db", None)
        sealed = _fresh(folder, "sealed.db", key)
        t_plain = _timed(lambda: _seed(plain, citizens, each))
        t_sealed = _timed(lambda: _seed(sealed, citizens, each))
        print(f"write {rows} notes: plaintext {rows / t_plain:,.0f}/s, "
              f"encrypted {rows / t_sealed:,.0f}/s (x{t_sealed / t_plain:.2f} time)")  # fmt: skip
        new = MultiFernet([Fernet(Fernet.generate_key()), Fernet(key.encode())])
        factory = make_session_factory(sealed)
        t_rot = _timed(lambda: rotate_all(factory, new, size=500))
        print(f"rotate-key over {rows} notes in batches of 500: {rows / t_rot:,.0f} notes/s")
        with Session(sealed) as session:
            staff = session.get(Staff, 1)
            assert staff is not None
            n = 2000 if quick else 20000
            by_id = select(Citizen).where(Citizen.id == bindparam("cid"))
            t_get = _timed(
                lambda: [
                    session.scalars(by_id, {"cid": 1 + i % citizens}).first() for i in range(n)
                ]
            )
            t_scope = _timed(
                lambda: [scoped_citizen(session, staff, 1 + i % citizens) for i in range(n)]
            )
        print(f"load a citizen by id: unscoped {t_get / n * 1e6:.0f} µs, scoped "
              f"{t_scope / n * 1e6:.0f} µs (x{t_scope / t_get:.1f})")  # fmt: skip
        with Session(sealed) as session, session.begin():
            citizen = session.get(Citizen, 1)
            assert citizen is not None
            t_erase = _timed(
                lambda: erase_citizen(
                    session, citizen, now=NOW, staff_id=None, platform="bench", reason="bench"
                )
            )
        t_scrub = _timed(lambda: scrub_file(sealed))
        size = (folder / "sealed.db").stat().st_size / 1e6
        print(f"erase one citizen with {each} contacts: {t_erase * 1000:.0f} ms; "
              f"checkpoint + VACUUM of a {size:.1f} MB file: {t_scrub * 1000:.0f} ms")  # fmt: skip
        plain.dispose()
        sealed.dispose()


if __name__ == "__main__":
    run()
