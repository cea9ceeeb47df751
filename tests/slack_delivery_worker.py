"""A scheduler process that delivers to Slack, for the kill-at-the-worst-moment test.

    python -m tests.slack_delivery_worker <database url> <Slack API url> <moment>

Runs one sweep at `moment` (a fixed clock) with the real `SlackSender`, then prints `DONE`.
The test kills it with SIGKILL while the fake Slack holds back its answer to a post it has
already accepted: Slack has the message, the database still says "sending".
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.app import Rampe
from bot.core import Platform
from bot.platforms.slack_sender import SlackSender
from bot.scheduler.runner import sweep
from kernel.clock import FixedClock
from kernel.settings import Settings


def main() -> int:
    url, api, at = sys.argv[1:4]
    moment = datetime.fromisoformat(at)
    values = {"RAMPE_DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api,
              "SLACK_POST_INTERVAL": 0}  # fmt: skip
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]
    rampe = Rampe(settings, clock=FixedClock(moment), upgrade=False)
    print("READY", flush=True)
    report = asyncio.run(sweep(rampe, {Platform.SLACK: SlackSender(rampe)}, moment))
    print(f"DONE {report.delivery.sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
