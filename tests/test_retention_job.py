"""The scheduler's nightly retention run erases courses past the retention time."""

from __future__ import annotations

from bot.app import Rampe
from bot.scheduler.runner import build_scheduler, default_senders, run_retention
from kernel.clock import FixedClock
from store.inbound import claim_event
from store.models import AuditEvent, Citizen, InboundEvent, PendingChoice
from tests.conftest import Chat
from tests.support import rows


def test_courses_past_the_retention_time_are_erased_at_night(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen henvist:1.9.2024")
    chat("/afslut mette ledig 1.10.2024")  # more than 24 months before 23/11 2026
    chat("/borger ny Søren Jensen henvist:1.9.2024")
    chat("/afslut søren ledig 1.12.2024")  # less than 24 months ago: kept
    assert run_retention(app) == 1
    assert [c.full_name for c in rows(app, Citizen)] == ["Søren Jensen"]
    assert any(a.platform == "scheduler" for a in rows(app, AuditEvent, action="erase"))
    assert run_retention(app) == 0
    jobs = {job.id for job in build_scheduler(app, default_senders(app)).get_jobs()}
    assert {"sweep", "digest", "weekly", "retention"} <= jobs


def test_old_event_ids_and_expired_questions_are_pruned_at_night(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Jensen")
    assert chat("/log mette tlf samtale om jobcentret").startswith(
        "Hvilken borger mener du med »mette«?"
    )
    with app.unit_of_work() as session:
        claim_event(session, "slack", "Ev-old", clock())
        claim_event(session, "teams", "install/a:personal-anna", clock())  # a lasting state
    clock.advance(days=1)
    with app.unit_of_work() as session:
        claim_event(session, "slack", "Ev-new", clock())
    clock.advance(days=6, minutes=1)  # Ev-old is now over a week old, the question long expired
    assert run_retention(app) == 0
    kept = sorted(e.event_id for e in rows(app, InboundEvent))
    assert kept == ["Ev-new", "install/a:personal-anna"]
    assert rows(app, PendingChoice) == []  # the typed command with its note is gone
    with app.unit_of_work() as session:
        assert not claim_event(session, "slack", "Ev-new", clock())  # still guarded
