"""Morning digests through the console outbox: once a working day, holidays, DST, absence."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.app import Rampe
from bot.platforms.console import run_console
from bot.scheduler.delivery import ConsoleOutbox
from kernel.clock import FixedClock
from kernel.vocabulary import Role
from store import deliveries
from store.models import Delivery, Staff
from store.staff import ensure_team
from tests.conftest import CPH, Chat
from tests.support_followups import FailingSender, cph, follow_ups, outbox, sweep_at


def remind(chat: Chat, *days: str, user: str = "anna") -> None:
    chat("/borger ny Mette Hansen", user=user)
    chat("/log mette tlf i dag", user=user)
    for d in days:
        chat(f"/påmind mette {d} ring {d}", user=user)


TIMES = ((0, 0), (7, 59), (8, 29), (8, 30), (8, 45), (13, 0))


def sweep_every(app: Rampe, clock: FixedClock, start: datetime, end: datetime, *_: int) -> None:
    """Sweep at several local times a day, around the digest time, from `start` to `end`."""
    day = start.astimezone(CPH).date()
    while day <= end.astimezone(CPH).date():
        for hh, mm in TIMES:
            moment = datetime(day.year, day.month, day.day, hh, mm, tzinfo=CPH)
            if start <= moment <= end:
                sweep_at(app, clock, moment)
        day += timedelta(days=1)


def digests_by_day(app: Rampe) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in outbox(app):
        out.setdefault(m.created_at.astimezone(CPH).strftime("%Y-%m-%d %H:%M"), []).append(m.body)
    return out


def test_one_digest_per_working_day_over_christmas(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    clock.set(cph(2026, 12, 21, 10))
    remind(chat, "23/12", "24/12", "25/12", "28/12")
    sweep_every(app, clock, cph(2026, 12, 22, 12), cph(2026, 12, 29, 12), 30)
    got = digests_by_day(app)
    assert sorted(got) == ["2026-12-23 08:30", "2026-12-24 08:30", "2026-12-28 08:30"], got
    assert "ring 25/12" in got["2026-12-28 08:30"][0] and "ring 28/12" in got["2026-12-28 08:30"][0]
    assert all(len(bodies) == 1 for bodies in got.values())
    assert all(f.state == "sent" for f in follow_ups(app).values() if f.rule == "custom")


def test_each_daily_digest_fires_exactly_once_across_daylight_saving(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    clock.set(cph(2026, 3, 20, 10))
    remind(chat, "27.3.2026", "29.3.2026", "30.3.2026", "23.10.2026", "26.10.2026")
    sweep_every(app, clock, cph(2026, 3, 27, 0), cph(2026, 3, 31, 0), 30)
    sweep_every(app, clock, cph(2026, 10, 23, 0), cph(2026, 10, 27, 0), 30)
    got = digests_by_day(app)
    assert sorted(got) == [
        "2026-03-27 08:30", "2026-03-30 08:30", "2026-10-23 08:30", "2026-10-26 08:30",
    ], got  # fmt: skip
    assert "ring 29.3.2026" in got["2026-03-30 08:30"][0]  # Sunday's item waits for Monday
    with app.unit_of_work() as session:
        keys = set(session.scalars(select(Delivery.key)))
    assert keys == {
        "digest:1:2026-03-27", "digest:1:2026-03-30", "digest:1:2026-10-23", "digest:1:2026-10-26",
    }  # fmt: skip


def test_digest_is_ranked_and_offers_the_actions(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    chat("/borger ny Mette Hansen henvist:1/10")
    chat("/borger mette start 2/11")
    chat("/virksomhed ny Bilka Tilst")
    chat("/job mette start @bilka fleksjob fra 18/11")
    chat("/borger ny Søren Jensen henvist:2/11")
    sweep_at(app, clock, cph(2026, 11, 24, 8, 30))
    (body,) = [m.body for m in outbox(app)]
    assert (
        body.index("Frister") < body.index("Støtte efter jobstart") < body.index("Ingen kontakt:")
    )
    assert "[Log kontakt #" in body and "[Udført #" in body and "[Ikke relevant #" in body
    reply = chat.reply("/opfølgning")  # type: ignore[attr-defined]
    commands = {a.command for a in reply.actions}
    assert "/log BBB-0001" in commands and any(c.startswith("/opfølgning udsæt") for c in commands)


def test_failed_send_is_retried_never_marked_sent(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    remind(chat, "24/11")
    failing = FailingSender(ConsoleOutbox(app.sessions, clock))
    senders = {failing.platform: failing}
    report = sweep_at(app, clock, cph(2026, 11, 24, 8, 30), senders)  # type: ignore[arg-type]
    assert report.delivery.failed == 1 and outbox(app) == []
    custom = next(f for f in follow_ups(app).values() if f.rule == "custom")
    assert custom.state == "due" and custom.attempts == 1 and custom.batch is None
    failing.failing = False
    report = sweep_at(app, clock, cph(2026, 11, 24, 8, 35), senders)  # type: ignore[arg-type]
    assert report.delivery.sent == 1 and len(outbox(app)) == 1
    assert "ring 24/11" in outbox(app)[0].body


def test_a_worker_that_died_mid_send_is_taken_over_once(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    remind(chat, "24/11")
    when = cph(2026, 11, 24, 8, 30)
    key = "digest:1:2026-11-24"
    lease = timedelta(seconds=app.settings.claim_lease_seconds)
    with app.unit_of_work() as session:  # what a worker did before it was killed
        assert deliveries.claim_delivery(session, key, "digest", 1, when, lease)
        (item,) = [i for i in deliveries.claim_items(session, key, [1], when) if i.rule == "custom"]
        deliveries.put_outbox(session, key, 1, "anna", "sent before the crash", when)
    sweep_at(app, clock, when + timedelta(minutes=1))  # within the lease: left alone
    assert follow_ups(app)[item.key].state == "sending"
    sweep_at(app, clock, when + timedelta(minutes=10))
    assert follow_ups(app)[item.key].state == "sent"
    assert [m.key for m in outbox(app)] == [key]


def test_absence_goes_to_the_stand_in_and_a_catch_up_follows(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/caseload", user="bo")
    remind(chat, "2/12")
    assert "går til Bo" in chat("/fravær 1/12-3/12 @bo")
    sweep_every(app, clock, cph(2026, 12, 1, 8), cph(2026, 12, 4, 10), 30)
    by_reader = {(m.external_id, m.created_at.astimezone(CPH).date().isoformat()): m.body
                 for m in outbox(app)}  # fmt: skip
    assert ("anna", "2026-12-02") not in by_reader
    assert "ring 2/12" in by_reader[("bo", "2026-12-02")]
    assert "(for Anna)" in by_reader[("bo", "2026-12-02")]
    catch_up = by_reader[("anna", "2026-12-04")]
    assert "Mens du var væk" in catch_up and "Bo fik 1 af dine opfølgninger" in catch_up
    assert len([m for m in outbox(app) if m.external_id == "anna"]) == 1


def test_without_a_stand_in_items_wait_for_the_return(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    remind(chat, "2/12")
    assert "venter til du er tilbage" in chat("/fravær 1/12-3/12")
    sweep_every(app, clock, cph(2026, 12, 1, 8), cph(2026, 12, 4, 10), 30)
    (message,) = outbox(app)
    assert message.created_at.astimezone(CPH) == cph(2026, 12, 4, 8, 30)
    assert "ring 2/12" in message.body and "1 venter på dig" in message.body
    assert "Fravær slettet (0)" in chat("/fravær slet")


def test_weekly_lead_digest_escalates_once_a_week(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/caseload", user="lene")
    remind(chat, "24/11")
    with app.unit_of_work() as session:
        team = ensure_team(session, "Nord", clock())
        session.flush()
        for staff in session.scalars(select(Staff)):
            staff.team_id = team.id
            if staff.display_name == "Lene":
                staff.role = Role.LEAD
    sweep_every(app, clock, cph(2026, 11, 24, 8), cph(2026, 12, 8, 9), 60)
    weekly = [m.body for m in outbox(app) if m.external_id == "lene"]
    assert len(weekly) == 2  # Monday 30/11 and Monday 7/12
    assert "Anna: 1" in weekly[0] and "Forfaldne i mere end 7 dage" not in weekly[0]
    assert "Forfaldne i mere end 7 dage" in weekly[1] and "ring 24/11" in weekly[1]
    assert "Status for team Nord, uge 48 2026 (forrige: uge 47 2026):\n" in weekly[0]
    assert "Nye henvisninger" in weekly[0]  # last week's figures from the reports


def test_the_local_chat_shows_waiting_messages(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    remind(chat, "24/11")
    sweep_at(app, clock, cph(2026, 11, 24, 8, 30))
    out = io.StringIO()
    run_console(app, "anna", stdin=io.StringIO("/caseload\n"), stdout=out, interactive=False)
    assert out.getvalue().startswith("1 besked(er) venter:") and "ring 24/11" in out.getvalue()
    again = io.StringIO()
    run_console(app, "anna", stdin=io.StringIO("/caseload\n"), stdout=again, interactive=False)
    assert "venter:" not in again.getvalue()


def test_two_sweeps_at_the_same_moment_send_once(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    remind(chat, "24/11")
    when = cph(2026, 11, 24, 8, 30)
    clock.set(when)
    from bot.scheduler.runner import default_senders, sweep

    async def both() -> None:
        await asyncio.gather(
            sweep(app, default_senders(app), when), sweep(app, default_senders(app), when)
        )

    asyncio.run(both())
    assert len(outbox(app)) == 1


def test_the_greeting_fits_the_hour_it_goes_out(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    clock.set(cph(2026, 12, 21, 10))
    remind(chat, "23/12")
    sweep_at(app, clock, cph(2026, 12, 23, 8, 30))
    remind(chat, "28/12", user="bo")
    chat("/påmind mette 28/12 skriv til jobcentret", user="bo")
    sweep_at(app, clock, cph(2026, 12, 28, 14, 0))  # held back until the afternoon
    got = digests_by_day(app)
    assert got["2026-12-23 08:30"][0].startswith("Godmorgen. Du har 1 opfølgning i dag.")
    bo = [b for b in got["2026-12-28 14:00"] if "skriv til jobcentret" in b]
    assert bo[0].startswith("Goddag. Du har 2 opfølgninger i dag."), got
