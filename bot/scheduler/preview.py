"""`rampe due --at`: what would be delivered at a moment, without sending or keeping anything.

It runs the real sweep's steps (reconcile, plan, claim, build) inside one transaction and rolls
it back, so every message it shows, the lead's weekly digest included, is the one the real run
would send at that moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.scheduler import digests
from bot.scheduler.delivery import PREFERENCE, claim_and_build, plan_digests, plan_weekly
from bot.scheduler.due import refresh, work_calendar
from store.followup_items import ItemView
from store.models import Staff


def preview(rampe: Runtime, at: datetime, only: str | None = None) -> list[dict[str, Any]]:
    """Each message due at `at` with its items and text; the transaction is rolled back."""
    settings = rampe.settings
    cal = work_calendar(settings)
    platforms = set(PREFERENCE)
    out: list[dict[str, Any]] = []
    with rampe.sessions() as session:
        session.begin()
        try:
            refresh(session, settings, at)
            lease = timedelta(seconds=settings.claim_lease_seconds)
            plans = plan_digests(session, cal, at, lease)
            plans += plan_weekly(
                session, settings.lead_digest_time, settings.lead_digest_weekday, cal, at,
                settings.slack_status_channel if settings.slack_configured else "",
            )  # fmt: skip
            staff = {s.id: s for s in session.scalars(select(Staff))}
            for plan in plans:
                person = staff.get(plan.recipient)
                name = person.display_name if person else "?"
                if only and only.casefold() not in name.casefold():
                    continue
                built = claim_and_build(session, rampe, platforms, plan, at, cal, lease)
                if built is None:
                    continue
                lang = (person.language if person else None) or settings.language
                out.append(
                    {
                        "key": plan.key,
                        "kind": plan.kind,
                        "to": name,
                        "platform": str(built.recipient.platform),
                        "items": [_item(lang, v, cal) for v in built.items],
                        "text": built.reply.as_text(),
                    }
                )
        finally:
            session.rollback()
    return out


def _item(lang: str, view: ItemView, cal: Any) -> dict[str, Any]:
    return {
        "id": view.id,
        "rule": view.rule,
        "what": digests.rule_text(lang, view),
        "due": cal.local_date(view.due_at).isoformat(),
        "about": digests.who(view),
        "owner": view.staff_name,
    }
