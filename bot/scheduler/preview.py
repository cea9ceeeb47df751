"""`rampe due --at`: what would be delivered at a moment, without sending or keeping anything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.scheduler import digests
from bot.scheduler.delivery import plan_digests, plan_weekly
from bot.scheduler.due import refresh, work_calendar
from store.deliveries import CLAIMABLE
from store.followup_items import describe
from store.models import FollowUp, Staff


def preview(rampe: Runtime, at: datetime, only: str | None = None) -> list[dict[str, Any]]:
    """Each message due at `at` with its items; the transaction is rolled back afterwards."""
    settings = rampe.settings
    cal = work_calendar(settings)
    out: list[dict[str, Any]] = []
    with rampe.sessions() as session:
        session.begin()
        try:
            refresh(session, settings, at)
            lease = timedelta(seconds=settings.claim_lease_seconds)
            plans = plan_digests(session, cal, at, lease)
            plans += plan_weekly(
                session, settings.lead_digest_time, settings.lead_digest_weekday, cal, at
            )
            names = dict(session.execute(select(Staff.id, Staff.display_name)).all())
            for plan in plans:
                name = names.get(plan.recipient, "?")
                if only and only.casefold() not in name.casefold():
                    continue
                items = list(
                    session.scalars(
                        select(FollowUp)
                        .where(
                            FollowUp.staff_id.in_(sorted(plan.owners)),
                            FollowUp.state.in_(CLAIMABLE),
                            FollowUp.due_at <= at,
                        )
                        .order_by(FollowUp.due_at, FollowUp.id)
                    )
                )
                out.append(_row(plan.key, plan.kind, name, describe(session, items), cal))
        finally:
            session.rollback()
    return out


def _row(key: str, kind: str, name: str, views: list[Any], cal: Any) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "to": name,
        "items": [
            {
                "id": v.id,
                "rule": v.rule,
                "due": cal.local_date(v.due_at).isoformat(),
                "about": digests.who(v),
                "owner": v.staff_name,
            }
            for v in digests.ranked(views)
        ],
    }
