"""No citizen falls out of sight: referred citizens, pauses with an end, lists right after a fact.

Each case from the seven-week trial, through the chat, with a fixed clock, on both databases.
"""

from __future__ import annotations

from bot.app import Rampe
from kernel.clock import FixedClock
from tests.conftest import Chat
from tests.support_followups import cph, follow_ups, open_keys, outbox, sweep_at


def test_referred_with_one_contact_is_nudged_when_contact_stops(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/borger ny Søren Jensen henvist:2/11")
    chat("/log søren tlf 5/11")
    assert open_keys(app, "gap") == {"gap:citizen:1:2026-11-12"}  # 7 days, as in the first weeks
    assert "Ingen kontakt for længe: Søren Jensen (BBB-0001)" in chat("/opfølgning")
    assert open_keys(app, "still_referred") == {"still_referred:citizen:1:2026-11-02"}
    sweep_at(app, clock, cph(2026, 12, 2, 8, 30))
    (body,) = [m.body for m in outbox(app)]
    assert "Stadig henvist: start forløbet eller afslut det: Søren Jensen" in body
    assert "Ingen kontakt for længe: Søren Jensen" in body


def test_starting_the_course_ends_the_still_referred_question(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:2/11")
    chat("/log søren tlf 5/11")
    chat("/borger søren start i dag")
    assert open_keys(app, "still_referred") == set()
    assert open_keys(app, "gap") == {"gap:citizen:1:2026-11-30"}


def test_pause_for_two_weeks_has_an_end_and_a_reminder(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    reply = chat("/borger søren pause syg i 2 uger")
    assert "Sat på pause: Søren Jensen (BBB-0001) til 7/12" in reply
    assert open_keys(app) == {"resume:citizen:1:2026-12-07"}
    card = chat("/borger søren")
    assert "pause til 7/12" in card
    sweep_at(app, clock, cph(2026, 12, 7, 8, 30))
    (body,) = [m.body for m in outbox(app)]
    assert "Planlagt genoptagelse efter pause: Søren Jensen (BBB-0001)" in body


def test_pause_until_a_date_keeps_the_reason(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    assert "til 18/12" in chat("/borger søren pause til 18/12 indlagt")
    assert open_keys(app) == {"resume:citizen:1:2026-12-18"}
    chat("/borger søren genoptag")
    assert "til 30/11" in chat("/borger søren pause 7 dage ny medicin")


def test_a_reason_without_a_date_asks_for_one_with_a_default_first(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    question = chat("/borger søren pause syg")
    assert "Hvornår slutter pausen for BBB-0001?" in question
    assert "1. 2 uger, til 7/12" in question and "2. 4 uger, til 21/12" in question
    assert open_keys(app, "resume") == set()  # nothing stored before the answer
    assert "Sat på pause: Søren Jensen (BBB-0001) til 7/12" in chat("1")
    assert open_keys(app) == {"resume:citizen:1:2026-12-07"}


def test_the_list_right_after_closing_shows_the_end_measurement(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    chat("/måling søren who5 60 start")
    chat("/afslut søren ledig")
    assert "WHO-5 ved afslutning mangler: Søren Jensen (BBB-0001)" in chat("/opfølgning")
    assert open_keys(app, "who5_end") == {"who5_end:citizen:1"}


def test_snooze_a_week_on_an_item_due_in_a_week_moves_it(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    chat("/log søren tlf i dag")  # the gap is due in a week: 30/11
    (key,) = open_keys(app, "gap")
    item = follow_ups(app)[key]
    assert item.due_at == cph(2026, 11, 30, 8, 30)
    assert f"Udsat: #{item.id} til 7/12" in chat(f"/opfølgning udsæt {item.id} 1u")
    assert follow_ups(app)[key].due_at == cph(2026, 12, 7, 8, 30)
    assert f"Udsat: #{item.id} til 10/12" in chat(f"/opfølgning udsæt {item.id} 3d")
    assert f"Udsat: #{item.id} til 5/1" in chat(f"/opfølgning udsæt {item.id} 5/1")


def test_praktik_visit_is_done_only_by_a_contact_about_that_citizen(
    chat: Chat, app: Rampe, clock: FixedClock
) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    chat("/borger ny Mette Hansen henvist:1/10")
    chat("/borger mette start 2/11")
    chat("/virksomhed ny Bilka Tilst")
    chat("/praktik søren start @bilka fra 2/11 8 uger")
    chat("/praktik mette start @bilka fra 9/11 8 uger")
    assert len(open_keys(app, "praktik_visit")) == 2
    chat("/log mette virksomhedsbesøg @bilka i dag")  # a visit about Mette, not Søren
    (left,) = open_keys(app, "praktik_visit")
    assert left.startswith("praktik_visit:citizen:1:")
    chat("/log @bilka tlf i dag opfølgning")  # a company contact naming nobody counts
    assert open_keys(app, "praktik_visit") == set()


def test_ips_first_employer_contact_within_30_days(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 16/11")
    (key,) = open_keys(app, "ips_employer")
    assert follow_ups(app)[key].due_at == cph(2026, 12, 16, 8, 30)
    assert "Første kontakt med en arbejdsgiver (IPS: inden for en måned efter start)" in chat(
        "/borger søren"
    )
    chat("/virksomhed ny Bilka Tilst")
    chat("/log søren @bilka tlf i dag")
    assert open_keys(app, "ips_employer") == set()


def test_company_in_aftercare_is_due_after_30_days_not_90(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Søren Jensen henvist:1/10")
    chat("/borger søren start 2/11")
    chat("/virksomhed ny Bilka Tilst")
    chat("/job søren start @bilka fleksjob fra 16/11")
    assert open_keys(app, "company_job") == {"company_job:company:1:2026-12-16"}
