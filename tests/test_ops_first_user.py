"""Many people at once on a fresh install: exactly one of them becomes administrator."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply, Tone
from store.models import Role, Staff

PEOPLE = 20


def test_twenty_first_messages_make_one_admin(app: Rampe) -> None:
    start = threading.Barrier(PEOPLE)

    def first_message(n: int) -> Reply:
        start.wait()
        return app.handle(
            Inbound(
                platform=Platform.TEAMS,
                user_id=f"29:user-{n}",
                text="hjælp",
                display_name=f"Person {n}",
            )
        )

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        replies = list(pool.map(first_message, range(PEOPLE)))
    assert all(r.tone != Tone.ERROR for r in replies)
    with app.unit_of_work() as session:
        roles = list(session.scalars(select(Staff.role)))
    assert len(roles) == PEOPLE
    assert roles.count(Role.ADMIN) == 1
    told = [r for r in replies if "administrator" in r.as_text()]
    assert len(told) == 1
