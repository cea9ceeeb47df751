"""The grammar on its own (no database, so no names): scores, the threshold, periods, English."""

from __future__ import annotations

from datetime import date

import pytest

from bot.questions import render, understand
from bot.questions.grammar import THRESHOLD, UNKNOWN_PENALTY

TODAY = date(2026, 11, 23)


def test_unknown_words_lower_the_score_until_rampe_asks() -> None:
    one = understand("hvor mange kontakter zyx har vi haft i denne uge?", TODAY)
    assert one.command == ("status", "denne uge", "team")
    assert one.confidence == pytest.approx(UNKNOWN_PENALTY)
    three = understand("hvor mange kontakter zyx qwv bnm har vi haft i denne uge?", TODAY)
    assert three.command is None and three.confidence < THRESHOLD
    assert ("status", "denne uge") in three.suggestions


def test_a_typo_scores_below_an_exact_word() -> None:
    exact = understand("hvad er jobraten?", TODAY)
    typo = understand("hvad er jobrten?", TODAY)
    assert exact.command == typo.command == ("jobrate", "i år")
    assert exact.confidence == 1.0 > typo.confidence >= THRESHOLD


@pytest.mark.parametrize(
    ("asked", "period"),
    [
        ("i dag", "23/11-23/11"),
        ("i går", "22/11-22/11"),
        ("idag", "23/11-23/11"),
        ("denne uge", "denne uge"),
        ("i ugen", "denne uge"),
        ("sidste uge", "16/11-22/11"),
        ("denne måned", "denne måned"),
        ("sidste måned", "1/10-31/10"),
        ("i kvartalet", "dette kvartal"),
        ("forrige kvartal", "1/7-30/9"),
        ("i år", "i år"),
        ("sidste år", "1/1/2025-31/12/2025"),
        ("siden 1/9", "1/9-23/11"),
        ("fra 1/9", "1/9-23/11"),
        ("de sidste 30 dage", "25/10-23/11"),
        ("1/9-30/11", "1/9-30/11"),
    ],
)
def test_periods(asked: str, period: str) -> None:
    assert understand(f"hvor mange kontakter {asked}?", TODAY).command == ("status", period)


def test_lige_nu_is_no_period_for_a_period_report() -> None:
    asked = understand("hvor mange kontakter lige nu?", TODAY)
    assert asked.command is None and asked.ambiguous


def test_commands_in_english() -> None:
    found = understand("who haven't we heard from in three weeks?", TODAY)
    assert found.command is not None
    assert render(found.command, "en") == "/caseload team no-contact 21"
    assert render(found.command, "da") == "/caseload team uden-kontakt 21"
    assert render(("status", "nu", "kommune:Aarhus", "borgere"), "en") == (
        "/status now municipality:Aarhus citizens"
    )


def test_a_mistyped_command_is_not_a_question() -> None:
    assert understand("statuss", TODAY).command is None
    assert understand("statuss?", TODAY).command == ("status", "denne uge")
    assert understand("status", TODAY).command == ("status", "denne uge")
