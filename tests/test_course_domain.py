"""The course's rules as the user meets them: each refusal says what to type instead, a close
ends what is open, and a job never outlives its course (so it is no lasting job)."""

from __future__ import annotations

import pytest

from tests.conftest import Chat

# Today is Monday 23/11 2026; Mette was referred on 1/9.


@pytest.fixture
def mette(chat: Chat) -> None:
    chat("/borger ny Mette Hansen henvist:1/9")
    chat("/virksomhed ny Bilka")


@pytest.mark.usefixtures("mette")
def test_a_start_before_the_referral_is_refused(chat: Chat) -> None:
    assert chat("/borger mette start 20/8").startswith(
        "Mette Hansen (BBB-0001) blev henvist 1.9.2026, så forløbet kan ikke starte 20.8.2026. "
        "Skriv en dato fra henvisningen, fx /borger BBB-0001 start 1.9.2026."
    )
    assert "henvist 1/9, ikke startet" in chat("/borger mette")


@pytest.mark.usefixtures("mette")
def test_a_praktik_before_the_referral_is_refused(chat: Chat) -> None:
    assert chat("/praktik mette start @bilka fra 3/8 8 uger").startswith(
        "Mette Hansen (BBB-0001) blev henvist 1.9.2026, så en praktik kan ikke starte 3.8.2026. "
        "Skriv en dato fra henvisningen, fx /praktik BBB-0001 start @virksomhed fra 1.9.2026."
    )


@pytest.mark.usefixtures("mette")
def test_a_job_before_the_referral_is_refused_in_english_too(chat: Chat) -> None:
    chat("/sprog en")
    assert chat("/job mette start @bilka flexjob from 3/8").startswith(
        "Mette Hansen (BBB-0001) was referred on 1.9.2026, so a job cannot start on 3.8.2026. "
        "Give a date from the referral on, e.g. /job BBB-0001 start @company from 1.9.2026."
    )


@pytest.mark.usefixtures("mette")
def test_a_close_before_the_referral_is_refused(chat: Chat) -> None:
    assert chat("/afslut mette ledig 31/8").startswith(
        "Mette Hansen (BBB-0001) blev henvist 1.9.2026, så forløbet kan ikke afsluttes 31.8.2026. "
        "Skriv en dato fra henvisningen, fx /afslut BBB-0001 ledig 1.9.2026."
    )
    assert "Forløb afsluttet" in chat("/afslut mette ledig 1/9")


@pytest.mark.usefixtures("mette")
def test_a_second_open_job_is_refused(chat: Chat) -> None:
    assert chat("/job mette start @bilka fleksjob fra 1/10").startswith("Job startet")
    assert chat("/job mette start @bilka småjob").startswith(
        "Mette Hansen (BBB-0001) har allerede et job. Afslut det først med /job <borger> slut, "
        "eller ret timerne med /job <borger> timer T."
    )
    assert chat("/job mette slut").startswith("Job afsluttet")
    assert chat("/job mette start @bilka småjob").startswith("Job startet")


@pytest.mark.usefixtures("mette")
def test_a_first_praktik_starts_a_referred_course(chat: Chat) -> None:
    chat("/praktik mette start @bilka fra 2/11 8 uger")
    assert "aktiv siden 2/11" in chat("/borger mette")


@pytest.mark.usefixtures("mette")
def test_a_close_ends_the_open_praktik_and_job_on_the_same_day(chat: Chat) -> None:
    chat("/praktik mette start @bilka fra 2/11 8 uger")
    chat("/job mette start @bilka fleksjob fra 16/11")
    reply = chat("/afslut mette fleksjob i går")
    assert reply.startswith(
        "Forløb afsluttet: Mette Hansen (BBB-0001) med udfald fleksjob i går 22/11.\n"
        "Praktikken hos Bilka er afsluttet samme dag (i går 22/11).\n"
        "Jobbet hos Bilka er afsluttet samme dag (i går 22/11)."
    ), reply
    card = chat("/borger mette")
    assert "fleksjob fra 16/11, sluttet i går 22/11" in card
    assert "Praktik" not in card
    assert chat("/job mette slut").startswith("Forløbet for Mette Hansen (BBB-0001) er afsluttet")


@pytest.mark.usefixtures("mette")
def test_a_course_closed_as_unemployed_two_months_into_a_job_is_no_lasting_job(
    chat: Chat,
) -> None:
    chat("/job mette start @bilka fleksjob fra 15/9")
    assert "Jobbet hos Bilka er afsluttet samme dag" in chat("/afslut mette ledig 15/11")
    assert "fleksjob fra 15/9, sluttet 15/11" in chat("/borger mette")
    reply = chat("/jobrate år")
    assert "Jobrate     0 af 1 = 0%" in reply, reply
    assert "Varigt job  0 af 1 = 0%" in reply


@pytest.mark.usefixtures("mette")
def test_interrupted_and_pension_process_are_outcomes(chat: Chat) -> None:
    chat("/borger ny Søren Jensen henvist:1/9")
    assert "med udfald afbrudt" in chat("/afslut mette afbrudt")
    chat("/sprog en")
    assert "with outcome in process toward disability pension" in chat(
        "/close søren pension-process"
    )
