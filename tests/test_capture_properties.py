"""Properties of the /log reader over generated lines: only usage errors, and a reading written
back as a command line reads the same."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.handlers import log
from bot.parsing.dates import read_date
from bot.parsing.durations import read_duration
from bot.parsing.logline import read_log_line, render
from kernel.errors import UserError
from tests.test_capture_corpus import corpus, reading

WORDS = [
    "mette", "k", "m", "med", "tlf", "møde", "ringede", "i", "går", "gar", "igaar", "forgårs",
    "den", "d.", "3/12", "3.", "dec", "december", "man.", "man", "fre", "fredags", "sidste",
    "fredag", "en", "halv", "time", "et", "kvarter", "halvanden", "2", "timer", "10", "om",
    "ugen", "20m", "1t30", "1:30", "14:30", "kl", "@bilka", "@", "--", "-", "på", "for", "sent",
    "½", "1½", "30t", "31/2", "29/2", "0m", "99999m", "hjemmebesøg", "sms", "note", "ø", ",",
]  # fmt: skip
lines = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=5)), max_size=10).map(
        " ".join
    ),
    st.sampled_from([e.line.removeprefix("/log ") for e in corpus()]),
)
days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


@settings(max_examples=400, deadline=None)
@given(text=lines, today=days)
def test_the_reader_raises_nothing_but_usage_errors(text: str, today: date) -> None:
    try:
        log.parse(text, today)
    except UserError as err:
        assert err.key.startswith(("usage.", "error.")), err.key


@settings(max_examples=400, deadline=None)
@given(text=lines, today=days)
@example(text="DEN M IGAR", today=date(2026, 11, 23))  # a name ending in `den` before the date
@example(text="0 DEN M IGAR", today=date(2026, 11, 23))
@example(text="mette d. den 3/12", today=date(2026, 12, 4))
@example(text="KL M 1M", today=date(2001, 1, 1))  # a name that is also `kl` (o'clock)
@example(text="KL M IGAR", today=date(2001, 1, 1))  # written back as `KL 31/12/2000 -- M`
def test_a_reading_written_back_reads_the_same(text: str, today: date) -> None:
    try:
        first = log.parse(text, today)
    except UserError:
        return
    assert reading(read_log_line(render(first), today)) == reading(first)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), today=days)
def test_dates_and_durations_use_only_the_words_they_have(words: list[str], today: date) -> None:
    for i in range(len(words)):
        for got in (_safe(read_date, words, i, today), _safe(read_duration, words, i)):
            if got is not None:
                assert 1 <= got.used <= len(words) - i


def _safe(reader, *args):  # type: ignore[no-untyped-def]
    try:
        return reader(*args)
    except UserError:
        return None
