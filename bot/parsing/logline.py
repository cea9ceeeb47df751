"""Reading a whole `/log` line: the name, form, date, duration, @company and the note.

Values are recognised wherever they stand. A word that is unmistakably a value (`20m`, `3/12`,
`i går`, `tlf`, `@bilka`) is taken anywhere; one that could as well be a note word (`møde`,
`mandag`, `2 timer`, `ringede`) only next to other values, so `aftalt møde mandag` stays note
text. A duration followed by `om ugen` or preceded by `på` is a number in a sentence, never a
duration. Each kind of value is taken once; a second form word or date is note text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.parsing.dates import DATE_PREFIXES, RELATIVE_DAYS, read_date
from bot.parsing.durations import read_duration
from bot.parsing.tokens import Token, tokenize
from bot.parsing.words import CONTACT_FORMS, LEADING_FORMS, STRONG_FORMS, first_word
from kernel.errors import UserError
from kernel.vocabulary import ContactForm

NOTE_MARK = "--"
WITH_WORDS = {"m", "m.", "med", "with", "w/"}
SEPARATORS = set("-–—,;:/|·")
COMPANY_WORDS = {"hos", "at", "på", "med", "with", "ved"}
TIME_WORDS = {"kl", "kl.", "klokken", "at"}
# A number after these is part of a sentence (`op på 10 timer`), not the contact's length.
NUMBER_CONTEXT = {"på", "af", "til", "over", "under", "end", "fra", "op", "mere", "mindre",
                  "of", "to", "from", "than", "about", "ca", "ca.", "cirka"}  # fmt: skip
RATES = {("om", "ugen"), ("om", "dagen"), ("om", "måneden"), ("pr", "uge"), ("pr.", "uge"),
         ("pr", "dag"), ("pr.", "dag"), ("per", "uge"), ("i", "ugen"), ("a", "week"),
         ("per", "week"), ("a", "day"), ("per", "day"), ("/uge",), ("ugentligt",),
         ("weekly",), ("om", "mdr"), ("hver", "uge"), ("every", "week")}  # fmt: skip
RELATIVE_AFTER = {"forsinket", "for", "før", "efter", "senere", "tidligere", "late",
                  "early", "ago", "before", "after", "later"}  # fmt: skip
# Short weekday names that are also everyday words: `man` (one), `søn` (son), `tor` (dares).
SHY_WEEKDAYS = {"man", "tor", "søn", "son", "sun", "sat", "mon", "wed"}

_RANGE = re.compile(r"^\d{1,2}-\d{1,2}$")
STRONG, WEAK, SHY, LEADING = "strong", "weak", "shy", "leading"


@dataclass(frozen=True)
class Value:
    kind: str  # form | on | minutes | company
    value: object
    used: int
    strength: str
    ahead: bool = False


@dataclass(frozen=True)
class LogLine:
    """What a `/log` line says; `head` holds the words before the first value (the name)."""

    text: str
    head: tuple[Token, ...]
    company: str | None = None
    form: ContactForm | None = None
    on: date | None = None
    minutes: int | None = None
    note: str = ""
    date_words: str = ""  # the date as typed, to ask about it
    date_ahead: bool = False  # a day/month after today: the date is last year's
    duration_words: str = ""


def _is_separator(word: str) -> bool:
    return all(ch in SEPARATORS for ch in word)


def _before_company(words: list[str], i: int) -> bool:
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return words[i].casefold() in COMPANY_WORDS and nxt.startswith("@") and len(nxt) > 1


def _relative(words: list[str], i: int) -> bool:
    """`20 min forsinket`, `10 min siden`: a time relative to something, not a length."""
    return i < len(words) and words[i].casefold() in RELATIVE_AFTER


def _is_rate(words: list[str], i: int) -> bool:
    one = (words[i].casefold(),) if i < len(words) else ()
    two = tuple(w.casefold() for w in words[i : i + 2])
    return one in RATES or two in RATES


def _value_at(words: list[str], i: int, today: date, found: dict[str, Value]) -> Value | None:
    """The value starting at words[i] of a kind not yet found, or None."""
    word = words[i]
    low = word.casefold().rstrip(",;:")
    if word.startswith("@") and len(word) > 1:
        return None if "company" in found else Value("company", word[1:].rstrip(",;"), 1, STRONG)
    if "form" not in found and low in CONTACT_FORMS:
        return Value("form", CONTACT_FORMS[low], 1, STRONG if low in STRONG_FORMS else WEAK)
    if "form" not in found and low in LEADING_FORMS:
        return Value("form", LEADING_FORMS[low], 1, LEADING)
    after_time = i > 0 and words[i - 1].casefold() in TIME_WORDS
    if "minutes" not in found:
        got = read_duration(words, i)
        if (
            got is not None
            # After `kl` a bare number is the time of day; `20m` is a length (`kl 20m`: KL).
            and (got.glued or not after_time)
            and not _is_rate(words, i + got.used)
            and not _relative(words, i + got.used)
        ):
            in_sentence = i > 0 and words[i - 1].casefold() in NUMBER_CONTEXT
            if not in_sentence:
                strength = STRONG if got.glued else WEAK
                return Value("minutes", got.minutes, got.used, strength)
    # After `kl` a number is the time of day, but a time is never written with `/` (`kl 31/12`).
    if "on" not in found and (not after_time or "/" in low):
        try:
            day = read_date(words, i, today, prefer="past")
        except UserError:
            if _RANGE.match(low):  # `45-50 timer` is a range, not an impossible date
                return None
            raise
        if day is not None:
            strength = _date_strength(words, i, day.used)
            if day.ahead or day.value > today:  # a plan in the note (`næste møde 4/12`)?
                strength = WEAK
            return Value("on", day.value, day.used, strength, day.ahead)
    return None


def _date_strength(words: list[str], i: int, used: int) -> str:
    low = words[i].casefold().rstrip(",")
    if used == 1 and _RANGE.match(low):
        return WEAK  # `uge 1-3`, `10-12 timer`: as often a range as a date
    if used > 1 or (low,) in RELATIVE_DAYS or any(ch.isdigit() for ch in low):
        return STRONG
    return SHY if low in SHY_WEEKDAYS else WEAK  # a weekday name


def _accepted(value: Value, after_value: bool, leading: bool, next_value: bool, end: bool) -> bool:
    """Whether a value is read as one where it stands (see the module's docstring)."""
    if value.strength == STRONG:
        return True
    if value.strength == LEADING:
        return leading
    if value.strength == SHY:
        return after_value and next_value
    return after_value or (next_value and not end)


def read_log_line(text: str, today: date) -> LogLine:
    """Read a `/log` line; a usage error only for a line that names nobody or an absurd value."""
    tokens = tokenize(text)
    if not tokens:
        raise UserError("usage.log")
    words = [t.text for t in tokens]
    found: dict[str, Value] = {}
    typed: dict[str, str] = {}
    i = 0
    head: list[Token] = []
    if words[0].startswith("@"):
        if len(words[0]) == 1:
            raise UserError("error.need_company")
    else:
        while i < len(words) and words[i] != NOTE_MARK:
            if head and words[i].casefold() in WITH_WORDS:
                break
            value = _value_at(words, i, today, found)
            if value is not None and value.strength != SHY:
                break
            head.append(tokens[i])
            i += 1
    note_runs: list[tuple[int, int]] = []
    after_value = leading = True
    while i < len(words) and words[i] != NOTE_MARK:
        value = _value_at(words, i, today, found)
        end = value is not None and i + value.used >= len(words)
        next_value = value is not None and (
            end or _value_at(words, i + value.used, today, {**found, value.kind: value}) is not None
        )
        if value is not None and _accepted(value, after_value, leading, next_value, end):
            found[value.kind] = value
            typed[value.kind] = " ".join(words[i : i + value.used])
            i += value.used
            after_value = True
            continue
        if after_value and _is_separator(words[i]):
            i += 1  # `i går - 20 min - aftalte`: a dash between values separates them
            continue
        if _before_company(words, i):
            i += 1  # `møde hos @bilka`: the company says where, the word need not be kept
            continue
        if note_runs and note_runs[-1][1] == i - 1:
            note_runs[-1] = (note_runs[-1][0], i)
        else:
            note_runs.append((i, i))
        after_value = leading = False
        i += 1
    note = " ".join(text[tokens[a].start : tokens[b].end] for a, b in note_runs)
    if i < len(words):  # `--`: everything after it is the note, exactly as typed
        rest = text[tokens[i + 1].start :].strip() if i + 1 < len(tokens) else ""
        note = f"{note} {rest}".strip()
    if not head and "company" not in found:
        raise UserError("error.need_citizen")
    on = found.get("on")
    return LogLine(
        text=text,
        head=tuple(head),
        company=found["company"].value if "company" in found else None,  # type: ignore[arg-type]
        form=found["form"].value if "form" in found else None,  # type: ignore[arg-type]
        on=on.value if on else None,  # type: ignore[arg-type]
        minutes=found["minutes"].value if "minutes" in found else None,  # type: ignore[arg-type]
        note=note.strip(" ,;:-–"),
        date_words=typed.get("on", ""),
        date_ahead=bool(on and on.ahead),
        duration_words=typed.get("minutes", ""),
    )


def render(line: LogLine) -> str:
    """The line a reading stands for, written plainly: parsing it gives the same reading."""
    parts = [t.text for t in line.head]
    if line.company is not None:
        parts.append(f"@{line.company}")
    if line.form is not None:
        parts.append(first_word(CONTACT_FORMS, line.form))
    if line.on is not None:
        if parts and parts[-1].casefold() in DATE_PREFIXES:  # `den` ending a name stays in it
            parts.append("den")
        parts.append(f"{line.on.day}/{line.on.month}/{line.on.year}")
    if line.minutes is not None:
        parts.append(f"{line.minutes}m")
    if line.note:
        parts += [NOTE_MARK, line.note]
    return " ".join(parts)
