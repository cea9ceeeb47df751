"""A scheduler process for the multi-process tests: sweeps a fixed series of moments.

    python -m tests.followup_worker <database url> <first day> <days> [--hang-after N]

Sweeps each working morning around the digest time on a fixed clock, delivering into the
console outbox, and prints `SENT <n>` at the end. With `--hang-after N` it stops dead inside
the N-th send (after the message is stored, before it is marked sent) and prints `HANG`, so a
test can kill it there.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from datetime import date, datetime, timedelta

from bot.app import Rampe
from bot.core import Platform, Recipient, Reply
from bot.scheduler.delivery import ConsoleOutbox
from bot.scheduler.runner import sweep
from kernel.clock import FixedClock
from kernel.settings import Settings
from tests.conftest import CPH

TIMES = ((7, 59), (8, 30), (8, 31), (9, 0), (12, 0))


class HangingOutbox(ConsoleOutbox):
    """Stores the message, then never returns from the N-th send."""

    def __init__(self, inner: ConsoleOutbox, after: int) -> None:
        super().__init__(inner.sessions, inner.clock)
        self.after = after
        self.count = 0

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        await super().send(recipient, reply)
        self.count += 1
        if self.count == self.after:
            print("HANG", flush=True)
            threading.Event().wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("first", type=date.fromisoformat)
    parser.add_argument("days", type=int)
    parser.add_argument("--hang-after", type=int, default=0)
    args = parser.parse_args()
    settings = Settings(_env_file=None, RAMPE_DATABASE_URL=args.url)  # type: ignore[call-arg]
    clock = FixedClock(datetime.combine(args.first, datetime.min.time(), tzinfo=CPH))
    rampe = Rampe(settings, clock=clock, upgrade=False)
    outbox = ConsoleOutbox(rampe.sessions, clock)
    sender = HangingOutbox(outbox, args.hang_after) if args.hang_after else outbox
    sent = 0
    for offset in range(args.days):
        day = args.first + timedelta(days=offset)
        for hh, mm in TIMES:
            moment = datetime(day.year, day.month, day.day, hh, mm, tzinfo=CPH)
            clock.set(moment)
            report = asyncio.run(sweep(rampe, {Platform.CONSOLE: sender}, moment))
            sent += report.delivery.sent
    print(f"SENT {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
