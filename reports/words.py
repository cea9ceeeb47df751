"""Words for a report's keys and handles, in the reader's language (through a `Translate`)."""

from __future__ import annotations

from kernel.i18n import has_text
from reports.jobrate import JobRateRules
from reports.numbers import MAX_HANDLES
from reports.periods import Translate

KEY_TEXTS = {
    "contacts": "form",
    "job_starts": "jobkind",
    "ended": "outcome",
    "praktik_ends": "praktikend",
}


def key_text(t: Translate, metric: str, key: str) -> str:
    """The word for a figure's key: a contact form, job kind, outcome or praktik end."""
    name = f"{KEY_TEXTS.get(metric, metric)}.{key}"
    return t(name) if has_text(name) else key


def handles_text(handles: tuple[str, ...] | list[str], total: int | None = None) -> str:
    """`AB-0001, CD-0002 (+3)`: at most 30 handles, of `total` (all of `handles` if not given)."""
    shown = ", ".join(handles[:MAX_HANDLES])
    more = (len(handles) if total is None else total) - min(len(handles), MAX_HANDLES)
    return f"{shown} (+{more})" if more > 0 else shown


def jobrate_definition(t: Translate, rules: JobRateRules) -> str:
    """The definition a job-rate figure was computed with, in words."""
    outcomes = ", ".join(key_text(t, "ended", o) for o in rules.outcomes)
    pension = t("def.pension_counts") if rules.pension_lasting else t("def.pension_not")
    return t(f"def.jobrate_{rules.cohort}", outcomes=outcomes, pension=pension)
