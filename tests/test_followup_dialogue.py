"""Rules and their resets through the chat, on SQLite and PostgreSQL, with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Rampe
from kernel.clock import FixedClock
from store.models import FollowUp, Staff
from tests.conftest import CPH, Chat
from tests.support_followups import cph, first_id, follow_ups, open_keys, outbox, sweep_at


def started(chat: Chat, on: str = "2/11") -> None:
    chat("/borger ny Mette Hansen henvist:1/10")
    chat(f"/borger mette start {on}")


def test_gap_shows_in_the_list_and_a_logged_contact_resets_it(chat: Chat, app: Rampe) -> None:
    started(chat)
    listing = chat("/opfølgning")
    assert "Ingen kontakt for længe: Mette Hansen (BBB-0001)" in listing
    (old,) = open_keys(app, "gap")
    assert old == "gap:citizen:1:2026-11-09"
    chat("/log mette tlf i dag")
    chat("/borger mette")  # any read refreshes the citizen's follow-ups at once
    (new,) = open_keys(app, "gap")
    assert new == "gap:citizen:1:2026-11-30"
    assert follow_ups(app)[old].state == "obsolete"


def test_referral_without_first_contact(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    chat("/borger ny Mette Hansen")
    clock.advance(days=8)
    assert "Henvist, endnu ingen første kontakt" in chat("/opfølgning")
    chat("/log mette tlf i dag")
    assert "Henvist" not in chat("/opfølgning")
    assert open_keys(app, "referral") == set()


def test_praktik_visit_company_rule_and_their_resets(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    started(chat)
    chat("/virksomhed ny Bilka Tilst")
    chat("/praktik mette start @bilka fra i dag 8 uger 10 t/uge")
    card = chat("/borger mette")
    assert "Opfølgning på praktikstedet" in card
    sweep_at(app, clock, clock())
    (company_key,) = open_keys(app, "company_praktik")
    assert company_key == "company_praktik:company:1:2026-12-07"
    assert "Næste opfølgning" in chat("/virksomhed bilka")
    clock.advance(days=15)
    chat("/log @bilka virksomhedsbesøg opfølgning med Lone")
    sweep_at(app, clock, clock())
    assert open_keys(app, "praktik_visit") == set()
    assert open_keys(app, "company_praktik") == {"company_praktik:company:1:2026-12-22"}


def test_praktik_extension_and_hours_change_reset(chat: Chat, app: Rampe) -> None:
    started(chat)
    chat("/virksomhed ny Bilka Tilst")
    chat("/praktik mette start @bilka fra 26.10.2026 6 uger 10 t/uge")
    chat("/borger mette")
    assert open_keys(app, "praktik_ending") == {"praktik_ending:citizen:1:placement:1:2026-12-07"}
    assert len(open_keys(app, "praktik_hours")) == 1
    chat("/praktik mette forlæng 4 uger")
    chat("/praktik mette timer 15")
    chat("/borger mette")
    assert open_keys(app, "praktik_ending") == {"praktik_ending:citizen:1:placement:1:2027-01-04"}
    assert open_keys(app, "praktik_hours") == set()


def test_job_start_contact_within_3_days_and_its_reset(chat: Chat, app: Rampe) -> None:
    started(chat)
    chat("/virksomhed ny Bilka Tilst")
    chat("/job mette start @bilka fleksjob 12 t/uge fra i dag")
    chat("/borger mette")
    assert open_keys(app, "job_3d") == {"job_3d:citizen:1:job:1"}
    assert open_keys(app, "job_6m") == {"job_6m:citizen:1:job:1"}
    chat("/log mette tlf i dag")
    chat("/borger mette")
    assert open_keys(app, "job_3d") == set()
    assert open_keys(app, "job_1m") == {"job_1m:citizen:1:job:1"}


def test_pause_leaves_only_the_resume_reminder(chat: Chat, app: Rampe) -> None:
    started(chat)
    chat("/borger mette")
    assert open_keys(app, "gap")
    chat("/borger mette pause til 1/12 indlagt")
    chat("/borger mette")
    assert open_keys(app) == {"resume:citizen:1:2026-12-01"}
    chat("/borger mette genoptag")
    chat("/borger mette")
    assert open_keys(app, "resume") == set() and open_keys(app, "gap")


def test_who5_start_reminder_goes_when_measured(chat: Chat, app: Rampe) -> None:
    started(chat)
    chat("/borger mette")
    assert open_keys(app, "who5_start") == {"who5_start:citizen:1"}
    chat("/måling mette who5 64 start")
    chat("/borger mette")
    assert open_keys(app, "who5_start") == set()


def test_snooze_done_and_not_relevant(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    started(chat)
    chat("/borger mette")
    gap, who5 = first_id(app, "gap"), first_id(app, "who5_start")
    assert f"Udsat: #{gap} til 30/11" in chat(f"/opfølgning udsæt {gap} 1u")
    row = follow_ups(app)["gap:citizen:1:2026-11-09"]
    assert row.state == "snoozed" and row.due_at == cph(2026, 11, 30, 8, 30)
    assert f"Udført: #{who5}" in chat(f"/opfølgning udført {who5}")
    assert "Ikke relevant" in chat(f"/opfølgning irrelevant {gap}")
    sweep_at(app, clock, clock() + timedelta(days=8))
    rows = follow_ups(app)
    assert rows["who5_start:citizen:1"].state == "done"  # not brought back by the rules
    assert rows["gap:citizen:1:2026-11-09"].state == "dismissed"
    assert "allerede afsluttet" in chat(f"/opfølgning udført {who5}")


def test_someone_else_cannot_touch_my_items(chat: Chat, app: Rampe) -> None:
    started(chat)
    chat("/borger mette")
    chat("/caseload", user="bo")
    reply = chat(f"/opfølgning udført {first_id(app, 'gap')}", user="bo")
    assert "kan ikke finde opfølgning" in reply


def test_custom_reminder_is_delivered_on_its_day(chat: Chat, app: Rampe, clock: FixedClock) -> None:
    started(chat)
    assert "Påmindelse sat: Mette Hansen (BBB-0001) 7/12" in chat(
        "/påmind mette om 2 uger ring om praktikken"
    )
    sweep_at(app, clock, cph(2026, 12, 7, 8, 30))
    texts = [m.body for m in outbox(app) if "ring om praktikken" in m.body]
    assert len(texts) == 1 and "Påmindelse" in texts[0]
    assert "/påmind" in chat("/påmind mette snart")


def test_hand_over_moves_open_items_sent_ones_too(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    started(chat)
    chat("/caseload", user="bo")
    sweep_at(app, clock, cph(2026, 11, 24, 8, 30))  # the gap nudge goes out to Anna
    assert follow_ups(app)["gap:citizen:1:2026-11-09"].state == "sent"
    assert "med 3 åbne opfølgninger" in chat("/borger mette overdrag @bo")
    with app.unit_of_work() as session:
        bo = session.scalar(select(Staff.id).where(Staff.display_name == "Bo"))
        owners = set(session.scalars(select(FollowUp.staff_id).where(FollowUp.state != "obsolete")))
    assert owners == {bo}
    assert "Ingen kontakt for længe" in chat("/opfølgning", user="bo")


def test_card_shows_the_next_follow_ups(chat: Chat) -> None:
    started(chat, "16/11")
    card = chat("/borger mette")
    assert "Næste opfølgninger:" in card and "23/11: Ingen kontakt for længe" in card


def test_praktik_longer_than_the_benefit_groups_limit_warns(chat: Chat) -> None:
    started(chat)
    chat("/virksomhed ny Bilka Tilst")
    reply = chat("/praktik mette start @bilka fra i dag 8 uger ydelse:dagpenge")
    assert "8 uger er mere end de 4 uger, der gælder for dagpenge" in reply
    chat("/praktik mette slut")
    assert "Bemærk" not in chat("/praktik mette start @bilka fra 1/12 8 uger")


def test_times_are_stored_for_copenhagen_mornings(chat: Chat, app: Rampe) -> None:
    started(chat, "16/11")
    chat("/borger mette")
    row = follow_ups(app)["gap:citizen:1:2026-11-23"]
    assert row.due_at.astimezone(CPH) == cph(2026, 11, 23, 8, 30)
