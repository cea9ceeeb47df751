"""The parsers on their own: every date and duration form, hours, weeks, CPR and control text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import build_table
from bot.parsing.dates import parse_date
from bot.parsing.durations import format_minutes, parse_duration
from bot.parsing.safety import check_input, looks_like_cpr
from bot.parsing.tokens import take_hours, take_weeks, tokenize
from kernel.errors import UserError

MONDAY = date(2026, 11, 23)  # the fixed clock's day in the dialogue tests


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i dag", date(2026, 11, 23)),
        ("idag", date(2026, 11, 23)),
        ("today", date(2026, 11, 23)),
        ("i går", date(2026, 11, 22)),
        ("igår", date(2026, 11, 22)),
        ("i gaar", date(2026, 11, 22)),
        ("yesterday", date(2026, 11, 22)),
        ("i forgårs", date(2026, 11, 21)),
        ("i forgaars", date(2026, 11, 21)),
        ("fredag", date(2026, 11, 20)),  # the latest past Friday
        ("fre", date(2026, 11, 20)),
        ("Friday", date(2026, 11, 20)),
        ("mandag", date(2026, 11, 23)),  # today is a Monday
        ("søndag", date(2026, 11, 22)),
        ("tirsdag", date(2026, 11, 17)),
        ("3/11", date(2026, 11, 3)),
        ("3.11", date(2026, 11, 3)),
        ("24/11", date(2025, 11, 24)),  # no year: the latest one not after today
        ("3/12", date(2025, 12, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        ("3/12/26", date(2026, 12, 3)),
        ("3-12-2026", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        ("29/2", date(2024, 2, 29)),  # the latest 29 February
    ],
)
def test_every_date_form(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY, prefer="past") == expected


def test_plans_take_the_next_date() -> None:
    assert parse_date("3/12", MONDAY, prefer="future") == date(2026, 12, 3)
    assert parse_date("fredag", MONDAY, prefer="future") == date(2026, 11, 27)
    assert parse_date("i morgen", MONDAY, prefer="future") == date(2026, 11, 24)


@pytest.mark.parametrize("text", ["31/2", "2026-13-01", "32/1", "31.4.2026", "blå", "3/12 i"])
def test_impossible_dates_are_usage_errors(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_date(text, MONDAY)
    assert err.value.key == "error.bad_date"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("20m", 20), ("45min", 45), ("45 min", 45), ("90minutter", 90), ("20minutes", 20),
        ("1t", 60), ("2timer", 120), ("1,5t", 90), ("1.5h", 90), ("1h", 60), ("0,25t", 15),
        ("1t30", 90), ("1h30", 90), ("1:30", 90), ("1t30m", 90), ("2:05", 125),
    ],
)  # fmt: skip
def test_every_duration_form(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["0m", "25t", "1t75", "1:60", "2000m"])
def test_absurd_durations_are_usage_errors(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_duration(text)
    assert err.value.key == "error.bad_duration"


@pytest.mark.parametrize("text", ["mette", "20", "m", "t", "1,5", "tlf"])
def test_words_that_are_not_durations(text: str) -> None:
    assert parse_duration(text) is None


def test_durations_in_words() -> None:
    assert format_minutes(20) == "20 min"
    assert format_minutes(90) == "1 t 30 min"
    assert format_minutes(120, "en") == "2 h"


@pytest.mark.parametrize(
    ("text", "hours", "used"),
    [("10 t/uge", 10.0, 2), ("10t", 10.0, 1), ("7,5 timer", 7.5, 2), ("12 h/week", 12.0, 2)],
)
def test_weekly_hours(text: str, hours: float, used: int) -> None:
    assert take_hours(tokenize(text), 0) == (hours, used)


def test_weeks_and_their_limits() -> None:
    assert take_weeks(tokenize("8 uger"), 0) == (8, 2)
    assert take_weeks(tokenize("13u"), 0) == (13, 1)
    with pytest.raises(UserError):
        take_weeks(tokenize("200 uger"), 0)
    with pytest.raises(UserError):
        take_hours(tokenize("70 t/uge"), 0)


@pytest.mark.parametrize(
    "text",
    [
        "ring 010190-1234",
        "0101901234",
        "cpr 010190 1234",
        "０１０１９０－１２３４",  # full-width digits and dash
        "01\u200b01\u200b90-12\u200b34",  # zero-width spaces between the digits
        "3112991234 sagde hun",
    ],
)
def test_cpr_numbers_are_found(text: str) -> None:
    assert looks_like_cpr(text)
    with pytest.raises(UserError) as err:
        check_input(text)
    assert err.value.key == "error.cpr"


@pytest.mark.parametrize("text", ["tlf 12345678", "ordre 990000-1234", "2026-12-03", "1234567"])
def test_things_that_are_not_cpr_numbers(text: str) -> None:
    assert not looks_like_cpr(text)


@pytest.mark.parametrize("text", ["nul\x00byte", "bell\x07", "esc\x1b[31m"])
def test_control_characters_are_refused(text: str) -> None:
    with pytest.raises(UserError) as err:
        check_input(text)
    assert err.value.key == "error.control_chars"


def test_newlines_tabs_and_danish_letters_pass() -> None:
    assert check_input("Søren på gåtur\n\tÆble") == "Søren på gåtur\n\tÆble"


COMMAND_WORDS = [
    "ny", "start", "pause", "til", "genoptag", "overdrag", "timer", "forlæng", "slut", "job",
    "afbrudt", "fleksjob", "who5", "tlf", "i", "går", "fra", "uger", "t/uge", "@bilka", "3/12",
    "31/2", "1t30", "20m", "kommune:X", "henvist:1/9", "kontakt:", "--", "mette", "0", "101",
]  # fmt: skip
fuzz_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(COMMAND_WORDS), max_size=10).map(" ".join),
    st.lists(
        st.one_of(st.sampled_from(COMMAND_WORDS), st.text(min_size=1, max_size=6)), max_size=8
    ).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=fuzz_text, day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_parsers_raise_only_usage_errors(text: str, day: date) -> None:
    """Whatever is typed, every command's parser returns a value or a usage error."""
    for command in build_table():
        try:
            command.parse(text, day)
        except UserError as err:
            assert err.key.startswith(("usage.", "error.")), err.key


def test_a_plan_date_that_just_passed_is_refused_not_moved_a_year_on() -> None:
    with pytest.raises(UserError) as err:
        parse_date("20/11", MONDAY, prefer="future")  # three days ago
    assert err.value.key == "error.date_passed"
    assert err.value.params == {"token": "20/11", "next": "20/11/2027"}
    # With the year written out, next year is taken as typed.
    assert parse_date("20/11/2027", MONDAY, prefer="future") == date(2027, 11, 20)
    # Long passed this year: next year is the only plan it can be.
    assert parse_date("5/1", MONDAY, prefer="future") == date(2027, 1, 5)
    assert parse_date("22/8", MONDAY, prefer="future") == date(2027, 8, 22)  # 93 days ago
    with pytest.raises(UserError):
        parse_date("23/8", MONDAY, prefer="future")  # 92 days ago
