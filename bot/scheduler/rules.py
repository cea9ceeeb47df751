"""The follow-up rules: pure functions from stored facts and today's date to wanted follow-ups.

Each wanted follow-up has a deterministic key naming the rule, its subject and the occurrence
(`gap:citizen:17:2026-11-30`), so a reset (a new contact moves the date) is a new key and the old
row becomes obsolete. Defaults come from domain.md; every number is a setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from kernel.settings import Settings
from kernel.vocabulary import CitizenStatus
from store.course_facts import add_months, in_aftercare, lasting_from
from store.followups import CompanyFacts, CourseFacts, Facts, Wanted

# Digest order: deadlines first, then job-start support, then inactivity.
RANK = {
    "praktik_ending": 0, "praktik_visit": 0, "praktik_hours": 0, "resume": 0, "custom": 0,
    "who5_start": 0, "who5_end": 0,
    "job_3d": 1, "job_1m": 1, "job_3m": 1, "job_6m": 1,
    "gap": 2, "referral": 2, "company_praktik": 2, "company_job": 2,
}  # fmt: skip
WINDOW = timedelta(days=7)  # a contact this close before a milestone counts for it
Add = Callable[[Wanted], None]


def _default(name: str) -> int:
    """A rule number's default: it is set once, on the setting in `kernel.settings`."""
    return int(Settings.model_fields[name].default)


@dataclass(frozen=True)
class RuleConfig:
    gap_start_days: int = _default("gap_start_days")
    gap_start_weeks: int = _default("gap_start_weeks")
    gap_days: int = _default("gap_days")
    gap_aftercare_days: int = _default("gap_aftercare_days")
    gap_job_max_days: int = _default("gap_job_max_days")
    referral_days: int = _default("referral_days")
    praktik_visit_days: int = _default("praktik_visit_days")
    praktik_hours_review_days: int = _default("praktik_hours_review_days")
    praktik_ending_days: int = _default("praktik_ending_days")
    job_contact_days: int = _default("job_contact_days")
    job_first_check_months: int = _default("job_first_check_months")
    job_second_check_months: int = _default("job_second_check_months")
    company_praktik_days: int = _default("company_praktik_days")
    company_job_days: int = _default("company_job_days")
    who5_start_days: int = _default("who5_start_days")

    @cached_property
    def span(self) -> Spans:
        """The periods as timedeltas, made once (they are added up for every course)."""
        return Spans(self)

    @classmethod
    def from_settings(cls, settings: Settings) -> RuleConfig:
        """The rule numbers configured for this programme."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


class Spans:
    """The rule periods of a `RuleConfig` as ready timedeltas."""

    def __init__(self, cfg: RuleConfig) -> None:
        self.referral = timedelta(days=cfg.referral_days)
        self.who5_start = timedelta(days=cfg.who5_start_days)
        self.start_phase = timedelta(weeks=cfg.gap_start_weeks)
        self.praktik_visit = timedelta(days=cfg.praktik_visit_days)
        self.praktik_ending = timedelta(days=cfg.praktik_ending_days)
        self.job_contact = timedelta(days=cfg.job_contact_days)
        self.days = {n: timedelta(days=n) for n in range(0, 366)}


def wanted_follow_ups(facts: Facts, today: date, cfg: RuleConfig) -> list[Wanted]:
    """Every follow-up the rules want, for every course and company in `facts`."""
    out: list[Wanted] = []
    for course in facts.courses:
        _course(course, today, cfg, facts.company_last, out)
    for company in facts.companies:
        out.extend(company_rules(company, cfg))
    return out


def course_rules(
    c: CourseFacts, today: date, cfg: RuleConfig, company_last: dict[int, date]
) -> list[Wanted]:
    """The follow-ups one citizen's course calls for."""
    out: list[Wanted] = []
    _course(c, today, cfg, company_last, out)
    return out


def _course(
    c: CourseFacts, today: date, cfg: RuleConfig, company_last: dict[int, date], out: list[Wanted]
) -> None:
    add = out.append
    if c.status == CitizenStatus.ENDED:
        if not c.who5_end and c.ended_on is not None:
            add(_citizen(c, "who5_end", "", c.ended_on))
        return
    if c.status == CitizenStatus.PAUSED:  # no nudges, only the planned resume date
        if c.paused_until is not None:
            add(_citizen(c, "resume", str(c.paused_until), c.paused_until))
        return
    if c.status == CitizenStatus.REFERRED:
        if c.last_contact is None and c.referred_on is not None:
            due = c.referred_on + cfg.span.referral
            add(_citizen(c, "referral", str(c.referred_on), due))
        return
    _gap(c, cfg, add)
    if c.placement is not None:
        _praktik(c, today, cfg, company_last.get(c.placement.company_id), add)
    if c.job is not None:
        _job(c, cfg, add)
    if c.started_on is not None and not c.who5_start:
        add(_citizen(c, "who5_start", "", c.started_on + cfg.span.who5_start))


def gap_days(c: CourseFacts, reference: date, cfg: RuleConfig) -> int:
    """How long a silence is allowed at `reference`: start phase, later, aftercare, job."""
    if c.job is not None:
        aftercare = in_aftercare(c.job.start_on, reference)
        return cfg.gap_aftercare_days if aftercare else cfg.gap_job_max_days
    if c.started_on and reference < c.started_on + cfg.span.start_phase:
        return cfg.gap_start_days
    return cfg.gap_days


def _gap(c: CourseFacts, cfg: RuleConfig, add: Add) -> None:
    last, started = c.last_contact, c.started_on
    reference = last if started is None or (last is not None and last > started) else started
    if reference is None:
        return
    days = min(gap_days(c, reference, cfg), cfg.gap_job_max_days)
    due = reference + (cfg.span.days.get(days) or timedelta(days=days))
    add(_citizen(c, "gap", str(due), due))


def _praktik(
    c: CourseFacts, today: date, cfg: RuleConfig, company_contact: date | None, add: Add
) -> None:
    p = c.placement
    assert p is not None
    pid = f"placement:{p.id}"
    visit = p.start_on + cfg.span.praktik_visit
    if company_contact is None or company_contact < visit - WINDOW:
        add(_citizen(c, "praktik_visit", pid, visit, company_id=p.company_id))
    period = cfg.praktik_hours_review_days
    k = max(1, (today - p.start_on).days // period)
    review = p.start_on + timedelta(days=period * k)
    if p.last_hours_change is None or p.last_hours_change < review - WINDOW:
        add(_citizen(c, "praktik_hours", f"{pid}:{review}", review))
    if p.planned_end_on is not None:
        due = p.planned_end_on - cfg.span.praktik_ending
        add(_citizen(c, "praktik_ending", f"{pid}:{p.planned_end_on}", due))


def _job(c: CourseFacts, cfg: RuleConfig, add: Add) -> None:
    j = c.job
    assert j is not None
    jid = f"job:{j.id}"
    first = j.start_on + cfg.span.job_contact
    if c.last_contact is None or c.last_contact < j.start_on:
        add(_citizen(c, "job_3d", jid, first))
    # The rule names are stored keys and stay as they are whatever the months are set to.
    checks = (("job_1m", cfg.job_first_check_months), ("job_3m", cfg.job_second_check_months))
    for rule, months in checks:
        due = add_months(j.start_on, months)
        if c.last_contact is None or c.last_contact < due - WINDOW:
            add(_citizen(c, rule, jid, due))
    lasting = lasting_from(j.start_on)
    add(_citizen(c, "job_6m", jid, lasting, params={"kind": j.kind}))
    if not c.who5_end:
        add(_citizen(c, "who5_end", "", lasting))


def company_rules(f: CompanyFacts, cfg: RuleConfig) -> Iterator[Wanted]:
    """A company with a citizen in praktik (14 days) or in a job (90 days) needs contact."""
    if f.praktik_since is not None:
        rule, since, days = "company_praktik", f.praktik_since, cfg.company_praktik_days
    elif f.job_since is not None:
        rule, since, days = "company_job", f.job_since, cfg.company_job_days
    else:
        return
    reference = max(since, f.last_contact) if f.last_contact else since
    due = reference + timedelta(days=days)
    yield Wanted(
        key=f"{rule}:company:{f.company_id}:{due}", rule=rule, due_on=due,
        staff_id=f.staff_id, company_id=f.company_id, params={"since": reference.isoformat()},
    )  # fmt: skip


def _citizen(
    c: CourseFacts,
    rule: str,
    occurrence: str,
    due: date,
    company_id: int | None = None,
    params: dict[str, object] | None = None,
) -> Wanted:
    key = f"{rule}:citizen:{c.citizen_id}"
    if occurrence:
        key = f"{key}:{occurrence}"
    return Wanted(key, rule, due, c.owner_id, c.citizen_id, company_id, params)
