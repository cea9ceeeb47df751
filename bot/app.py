"""The application: one object that turns an `Inbound` into a `Reply`, in one unit of work.

Platform adapters hold a `Rampe` and call `handle`; the scheduler uses `sessions` and `clock`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.commands import CommandTable, build_table
from bot.core import Inbound, Reply, Tone
from bot.directory import Directory
from bot.dispatch import dispatch
from kernel.clock import Clock, system_clock
from kernel.i18n import t
from kernel.settings import Settings
from store.crypto import install_cipher, make_cipher
from store.db import (
    is_outage,
    make_engine,
    make_session_factory,
    prepare_schema,
    unit_of_work,
)
from store.journal import install_journal

log = logging.getLogger("rampe")


class Rampe:
    """Settings, database, clock and command table, wired once at start."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        clock: Clock = system_clock,
        upgrade: bool = True,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = engine or make_engine(settings.database_url)
        install_cipher(self.engine, make_cipher(settings.encryption_keys))
        if upgrade:
            prepare_schema(self.engine, migrate=settings.migrate_on_start)
        self.sessions = make_session_factory(self.engine)
        install_journal(self.sessions)
        self.directory = Directory()
        self.commands: CommandTable = build_table()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction on the app's database."""
        with unit_of_work(self.sessions) as session:
            yield session

    def handle(self, inbound: Inbound) -> Reply:
        """Answer one message. Never raises: an unexpected error becomes an apology."""
        try:
            with self.unit_of_work() as session:
                return dispatch(self, session, inbound)
        except Exception as exc:  # the user gets a reply whatever went wrong
            # Only the type and where: an exception's message can carry a name or a note.
            log.error(
                "unexpected %s handling a %s message at %s",
                type(exc).__name__,
                inbound.platform,
                where(exc),
            )
            key = "error.db_unavailable" if is_outage(exc) else "error.internal"
            return Reply(t(self.settings.language, key), tone=Tone.ERROR)


def where(exc: BaseException) -> str:
    """The frames an exception passed through, as `file:line(function)`, without any values."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}({f.name})" for f in frames[::-1])
