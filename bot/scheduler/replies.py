"""Answers to Slack and Teams messages left behind by a worker that stopped before sending them.

Normally the platform delivers such a message again and the worker that gets it sends the kept
answer (`Rampe.receive`). When no redelivery comes (Slack stops after three; a Socket Mode event
was acknowledged on arrival), the sweep sends it to the person's DM or 1:1 chat, once: it takes
the answer over with the same conditional update a redelivery uses, and on Slack it first looks
for the answer's key in the DM's history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.core import Platform, Recipient, Reply, Sender
from bot.runtime import Runtime
from bot.scheduler.delivery import already_sent, recipient_for
from store.inbound import KeptReply, reply_sent, take_stale_replies
from store.models import Staff

log = logging.getLogger("rampe.scheduler")


@dataclass(frozen=True)
class _Target:
    kept: KeptReply
    recipient: Recipient


async def send_kept_replies(rampe: Runtime, senders: dict[Platform, Sender], now: datetime) -> int:
    """Send the kept answers whose worker stopped more than the reply lease ago; how many."""
    lease = timedelta(seconds=rampe.settings.reply_lease_seconds)
    targets: list[_Target] = []
    with rampe.unit_of_work() as session:
        for kept in take_stale_replies(session, now, lease):
            platform = Platform(kept.platform)
            staff = session.get(Staff, kept.staff_id)
            recipient = recipient_for(staff, [platform]) if staff is not None else None
            if recipient is not None and platform in senders:
                targets.append(_Target(kept, recipient))
    sent = 0
    for target in targets:
        kept, recipient = target.kept, target.recipient
        sender = senders[recipient.platform]
        key = f"reply:{kept.event_id}"  # the key the adapter sent the answer with
        reply = replace(Reply.from_json(kept.reply), delivery_key=key)
        try:
            if not await already_sent(sender, recipient, key):
                await sender.send(recipient, reply)
        except Exception as err:  # its lease runs out again: a later sweep retries
            log.warning("sending a kept answer failed (%s)", type(err).__name__)
            continue
        with rampe.unit_of_work() as session:
            reply_sent(session, kept.platform, kept.event_id)
        sent += 1
    return sent
