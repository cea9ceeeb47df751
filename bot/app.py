"""The application: one object that turns an `Inbound` into a `Reply`, in one unit of work.

Every platform adapter hands each message to `Rampe.receive` and renders what it returns; the
policy (duplicates, safety, language, pending questions, forms, follow-ups) is decided below
it, in `bot.dispatch`, once for all of them. The scheduler and the command-line tools use the
same object as a `Runtime` (settings, clock, sessions).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.commands import CommandTable
from bot.context import open_ctx
from bot.core import Inbound, Reply, Tone
from bot.directory import Directory
from bot.dispatch import dispatch
from bot.forms import Form, FormErrors, validate
from bot.registry import build_table
from kernel.clock import Clock, system_clock
from kernel.i18n import t
from kernel.settings import Settings
from store.crypto import install_cipher, make_cipher
from store.db import (
    database_reachable,
    database_ready,
    is_outage,
    make_engine,
    make_session_factory,
    prepare_schema,
    unit_of_work,
)
from store.inbound import Owed, claim_event, keep_reply, reply_sent, take_over_reply
from store.journal import install_journal
from store.staff import staff_by_identity
from store.touched import install_touch_tracking

log = logging.getLogger("rampe")


class Redeliver(Exception):
    """This delivery cannot be answered now: the database is away, or another worker is
    sending its answer. The adapter answers 503, so the platform delivers it again."""


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
        install_touch_tracking(self.sessions)
        self.directory = Directory()
        self.commands: CommandTable = build_table()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction on the app's database."""
        with unit_of_work(self.sessions) as session:
            yield session

    def receive(self, inbound: Inbound) -> Reply | None:
        """Answer one delivery of a message; None if this delivery was answered before.

        Slack and Teams deliver an event at least once. `inbound.event_id` (with the platform)
        is claimed in the same transaction as the command's effects, and the answer is kept
        with the claim until the adapter reports it sent (`replied`). So a worker that dies
        before the commit leaves nothing and the redelivery runs the command; one that dies
        after it leaves the answer, which a redelivery gets (marked `resent`) once the dead
        worker's reply lease has run out. Raises Redeliver (see there).
        """
        if not inbound.event_id:
            return self.handle(inbound)
        platform, event_id, now = inbound.platform, inbound.event_id, self.clock()
        lease = timedelta(seconds=self.settings.reply_lease_seconds)
        try:
            with self.unit_of_work() as session:
                if claim_event(session, platform, event_id, now):
                    reply = dispatch(self, self.commands, session, inbound)
                    staff = staff_by_identity(session, platform, inbound.user_id, inbound.workspace)
                    staff_id = staff.id if staff is not None else None
                    keep_reply(session, platform, event_id, reply.to_json(), staff_id, now)
                    return reply
                owed = take_over_reply(session, platform, event_id, now, lease)
        except Exception as exc:
            if is_outage(exc):  # nothing was kept: the platform's next delivery runs it
                raise Redeliver("database unavailable") from exc
            apology = self._apology(inbound, exc)
            # Claimed without its (rolled back) effects: a racing duplicate apologises no more.
            return apology if self.claim(inbound) else None
        if owed is Owed.NOTHING:
            log.info("%s event already answered; this delivery is skipped", platform)
            return None
        if owed is Owed.BUSY:
            raise Redeliver("another worker is sending the answer")
        log.warning("%s event answered by a worker that stopped; its answer is resent", platform)
        return replace(Reply.from_json(owed), resent=True)

    def replied(self, inbound: Inbound) -> None:
        """The answer to `inbound` has reached the platform: it is no longer kept."""
        if inbound.event_id:
            with self.unit_of_work() as session:
                reply_sent(session, inbound.platform, inbound.event_id)

    def claim(self, inbound: Inbound) -> bool:
        """True the first time `inbound.event_id` arrives from its platform (or it has none).

        For deliveries whose effects are not one transaction with their claim (installs, file
        consent, card forms); a message goes through `receive`.
        """
        if not inbound.event_id:
            return True
        with self.unit_of_work() as session:
            return claim_event(session, inbound.platform, inbound.event_id, self.clock())

    def submit_form(self, inbound: Inbound, form: Form, values: Mapping[str, str]) -> Reply:
        """Run a submitted form as the command it stands for; FormErrors if a field is wrong.

        `inbound` says who submitted it (its text is ignored). A command that fails (an unknown
        or out-of-scope citizen, a course that has ended) raises FormErrors on the citizen field.
        """
        with self.unit_of_work() as session:
            ctx, _ = open_ctx(self, session, inbound)
            clean = validate(ctx, form, values)
        reply = self.handle(replace(inbound, text=form.command(clean)))
        if reply.tone is Tone.ERROR:
            raise FormErrors({"citizen": reply.summary})
        return reply

    def database_ready(self) -> bool:
        """True if the database answers a trivial query now (readiness)."""
        return database_ready(self.engine)

    def database_reachable(self) -> bool:
        """False only while the database cannot be reached (an outage), not when it errs."""
        return database_reachable(self.engine)

    def handle(self, inbound: Inbound) -> Reply:
        """Answer one message, whoever delivered it before. Never raises: an unexpected error
        becomes an apology."""
        try:
            with self.unit_of_work() as session:
                return dispatch(self, self.commands, session, inbound)
        except Exception as exc:  # the user gets a reply whatever went wrong
            return self._apology(inbound, exc)

    def _apology(self, inbound: Inbound, exc: Exception) -> Reply:
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
