"""/praktik, /job, /afslut and /måling: a course from praktik to job to its end."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import Rampe
from store.models import Citizen, Job, JobChange, Measurement, Placement, PlacementChange
from tests.conftest import Chat
from tests.support import count, one, rows


@pytest.fixture
def mette(chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist:1/9")
    chat("/virksomhed ny Bilka Tilst")


@pytest.mark.usefixtures("mette")
def test_praktik_start_hours_extend_and_end(chat: Chat, app: Rampe) -> None:
    reply = chat("/praktik mette start @bilka fra 1/12 8 uger 10 t/uge")
    assert reply.startswith(
        "Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst, fra 1/12, til 26/1 2027 "
        "(8 uger), 10 t/uge."
    )
    placement = one(app, Placement)
    assert (placement.start_on, placement.planned_end_on, placement.hours_per_week) == (
        date(2026, 12, 1),
        date(2027, 1, 26),
        10,
    )
    assert one(app, Citizen).status == "active"  # a praktik starts the course
    assert chat("/praktik mette timer 15").startswith(
        "Praktik ændret: Mette Hansen (BBB-0001) nu 15 t/uge."
    )
    assert chat("/praktik mette forlæng 4 uger").startswith(
        "Praktik forlænget: Mette Hansen (BBB-0001) 4 uger, til 23/2 2027."
    )
    assert [c.kind for c in rows(app, PlacementChange)] == ["hours", "extend"]
    assert "Praktik          fra 1/12 til 23/2 2027, 15 t/uge" in chat("/borger mette")
    assert "Mette Hansen (BBB-0001): praktik" in chat("/virksomhed bilka")
    assert chat("/praktik mette slut job").startswith(
        "Praktik afsluttet: Mette Hansen (BBB-0001) (overgået til job)."
    )
    placement = one(app, Placement)
    assert (placement.status, placement.end_reason) == ("ended", "job")


@pytest.mark.usefixtures("mette")
def test_praktik_forms_and_refusals(chat: Chat, app: Rampe) -> None:
    # a start three weeks ago, an end date instead of weeks, a company name of two words
    reply = chat("/praktik mette start @bilka tilst fra 2/11 til 14/12 5t")
    assert reply.startswith("Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst, fra 2/11")
    placement = one(app, Placement)
    assert (placement.start_on, placement.planned_end_on) == (date(2026, 11, 2), date(2026, 12, 14))
    assert chat("/praktik mette start @bilka").startswith(
        "Mette Hansen (BBB-0001) er allerede i praktik."
    )
    assert chat("/praktik mette timer 99").startswith("»99« er ikke et antal timer om ugen.")
    assert chat("/praktik mette forlæng").startswith("Skriv antal uger")
    assert chat("/praktik mette start @bilka fra 1/12 blå").startswith("»blå« forstår jeg ikke")
    assert chat("/praktik mette").startswith("Skriv: /praktik <borger> start")
    assert count(app, Placement) == 1 and count(app, PlacementChange) == 0


@pytest.mark.usefixtures("mette")
def test_praktik_interrupted_and_none_running(chat: Chat, app: Rampe) -> None:
    chat("/praktik mette start @bilka")
    assert "(afbrudt)" in chat("/praktik mette slut afbrudt")
    assert chat("/praktik mette slut").startswith("Mette Hansen (BBB-0001) er ikke i praktik nu.")
    assert chat("/placement mette hours 5").startswith(
        "Mette Hansen (BBB-0001) er ikke i praktik nu."
    )


@pytest.mark.usefixtures("mette")
def test_job_start_hours_end(chat: Chat, app: Rampe) -> None:
    reply = chat("/job mette start @bilka fleksjob 12 t/uge fra 1/12")
    assert reply.startswith(
        "Job startet: Mette Hansen (BBB-0001), fleksjob hos Bilka Tilst, fra 1/12, 12 t/uge."
    )
    job = one(app, Job)
    assert (job.kind, job.hours_per_week, job.start_on) == ("flex", 12, date(2026, 12, 1))
    assert chat("/job mette timer 15").startswith(
        "Job ændret: Mette Hansen (BBB-0001) nu 15 t/uge."
    )
    assert one(app, JobChange).hours_per_week == 15
    assert "Job              fleksjob fra 1/12, 15 t/uge" in chat("/borger mette")
    assert chat("/job mette start @bilka").startswith(
        "Mette Hansen (BBB-0001) har allerede et job."
    )
    assert chat("/job mette slut").startswith("Job afsluttet: Mette Hansen (BBB-0001) i dag 23/11.")
    assert one(app, Job).ended_on == date(2026, 11, 23)


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("word", "kind", "shown"),
    [
        ("ordinært", "ordinary", "ordinært job"), ("løntilskud", "wage_subsidy", "løntilskud"),
        ("småjob", "small", "småjob"), ("uddannelse", "education", "uddannelse"),
        ("", "ordinary", "ordinært job"),
    ],
)  # fmt: skip
def test_every_job_kind(chat: Chat, app: Rampe, word: str, kind: str, shown: str) -> None:
    assert f", {shown} hos Bilka Tilst" in chat(f"/job mette start @bilka {word}")
    assert one(app, Job).kind == kind


@pytest.mark.usefixtures("mette")
def test_job_errors(chat: Chat, app: Rampe) -> None:
    assert chat("/job mette start").startswith("Skriv hvilken virksomhed med @")
    assert chat("/job mette timer 8").startswith("Mette Hansen (BBB-0001) har ikke et job")
    assert chat("/job mette start @bilka 12 t/uge hurra").startswith("»hurra« forstår jeg ikke")
    assert count(app, Job) == 0


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("words", "outcome"),
    [
        ("job", "job"), ("fleksjob", "flex_job"), ("uddannelse", "education"),
        ("førtidspension", "disability_pension"), ("seniorpension", "senior_pension"),
        ("ledig", "unemployed"), ("sygemeldt", "sick_leave"), ("barsel", "parental_leave"),
        ("fraflyttet", "moved"), ("død", "died"), ("anden aktør", "transferred"),
        ("anden-aktør", "transferred"), ("andet", "other"), ("praktik", "placement"),
    ],
)  # fmt: skip
def test_every_outcome(chat: Chat, app: Rampe, words: str, outcome: str) -> None:
    assert chat(f"/afslut mette {words}").startswith("Forløb afsluttet: Mette Hansen (BBB-0001)")
    citizen = one(app, Citizen)
    assert (citizen.status, citizen.outcome, citizen.ended_on) == (
        "ended",
        outcome,
        date(2026, 11, 23),
    )


@pytest.mark.usefixtures("mette")
def test_close_with_a_date_and_what_is_refused(chat: Chat, app: Rampe) -> None:
    assert chat("/afslut mette").startswith("Skriv: /afslut <borger> <udfald>")
    assert chat("/afslut mette vinder").startswith("Skriv et udfald: job, fleksjob")
    assert chat("/afslut mette ledig 31/2").startswith("»31/2« er ikke en dato")
    assert chat("/close mette unemployed 20/11").startswith(
        "Forløb afsluttet: Mette Hansen (BBB-0001) med udfald ledig 20/11."
    )
    assert one(app, Citizen).ended_on == date(2026, 11, 20)
    assert chat("/afslut mette ledig").startswith(
        "Forløbet for Mette Hansen (BBB-0001) er afsluttet"
    )
    assert chat("/praktik mette start @bilka").startswith("Forløbet for Mette Hansen")
    assert "Bemærk: forløbet er afsluttet." in chat("/log mette")
    assert "Du har ingen aktive borgere." in chat("/caseload")


@pytest.mark.usefixtures("mette")
def test_who5_as_score_or_five_answers(chat: Chat, app: Rampe) -> None:
    assert chat("/måling mette who5 64 start").startswith(
        "Måling gemt: WHO-5 64 for Mette Hansen (BBB-0001) (start)"
    )
    assert chat("/maaling mette who5 3 4 2 3 4 slut").startswith(
        "Måling gemt: WHO-5 64 for Mette Hansen (BBB-0001) (slut)"
    )
    assert chat("/measure mette who5 0 0 0 0 1").startswith(
        "Måling gemt: WHO-5 4 for Mette Hansen (BBB-0001).\n"
    )
    assert [(m.score, m.phase) for m in rows(app, Measurement)] == [
        (64, "start"),
        (64, "end"),
        (4, None),
    ]
    assert rows(app, Measurement)[1].items == [3, 4, 2, 3, 4]


@pytest.mark.usefixtures("mette")
@pytest.mark.parametrize(
    ("words", "starts"),
    [
        ("who5 101", "WHO-5 er 0 til 100, ikke 101."),
        ("who5 3 4 2", "Skriv enten en score 0-100 eller præcis fem svar"),
        ("who5 3 4 2 3 9", "Skriv enten en score 0-100 eller præcis fem svar"),
        ("who5", "Skriv"),
        ("", "Skriv: /måling <borger> who5"),
    ],
)
def test_who5_errors(chat: Chat, app: Rampe, words: str, starts: str) -> None:
    assert chat(f"/måling mette {words}").startswith(starts)
    assert count(app, Measurement) == 0
