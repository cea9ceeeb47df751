"""Every rule as a pure function of the facts, and what resets it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.scheduler.rules import RuleConfig, company_rules, course_rules, wanted_follow_ups
from kernel.settings import Settings
from store.followups import CompanyFacts, CourseFacts, Facts, JobFacts, PlacementFacts, Wanted

CFG = RuleConfig()
TODAY = date(2026, 6, 1)
START = date(2026, 5, 4)


def active(**kw: object) -> CourseFacts:
    base = CourseFacts(17, 5, "active", date(2026, 4, 20), START, None, None, who5_start=True)
    return replace(base, **kw)  # type: ignore[arg-type]


def rules(c: CourseFacts, company_last: dict[int, date] | None = None) -> dict[str, Wanted]:
    return {w.rule: w for w in course_rules(c, TODAY, CFG, company_last or {})}


def test_gap_is_7_days_in_the_first_8_weeks_then_14() -> None:
    got = rules(active(last_contact=date(2026, 5, 20)))["gap"]
    assert got.key == "gap:citizen:17:2026-05-27"
    assert got.due_on == date(2026, 5, 27) and got.staff_id == 5
    late = rules(active(last_contact=date(2026, 7, 20)))["gap"]
    assert late.due_on == date(2026, 8, 3)


def test_a_logged_contact_resets_the_gap_with_a_new_key() -> None:
    before = rules(active(last_contact=date(2026, 5, 20)))["gap"]
    after = rules(active(last_contact=date(2026, 5, 29)))["gap"]
    assert before.key != after.key and after.due_on == date(2026, 6, 5)


def test_gap_in_aftercare_is_30_days_and_never_more_than_90_in_a_job() -> None:
    job = JobFacts(3, 9, date(2026, 3, 1), "flex")
    got = rules(active(last_contact=date(2026, 5, 10), job=job))["gap"]
    assert got.due_on == date(2026, 6, 9)
    old_job = JobFacts(3, 9, date(2025, 1, 1), "flex")
    got = rules(active(last_contact=date(2026, 5, 10), job=old_job))["gap"]
    assert got.due_on == date(2026, 8, 8)


def test_referral_without_first_contact_within_7_days() -> None:
    referred = CourseFacts(17, 5, "referred", date(2026, 5, 25), None, None, None)
    got = rules(referred)
    assert set(got) == {"referral"} and got["referral"].due_on == date(2026, 6, 1)
    assert rules(replace(referred, last_contact=date(2026, 5, 26))) == {}


def test_praktik_visit_hours_review_and_ending() -> None:
    p = PlacementFacts(8, 9, date(2026, 5, 11), date(2026, 7, 6), None)
    got = rules(active(last_contact=date(2026, 5, 29), placement=p))
    assert got["praktik_visit"].due_on == date(2026, 6, 1)
    assert got["praktik_visit"].company_id == 9
    assert got["praktik_hours"].key == "praktik_hours:citizen:17:placement:8:2026-06-08"
    assert got["praktik_ending"].due_on == date(2026, 6, 22)
    # A company contact in the visit window resets the visit; an hours change the review.
    reset = rules(
        active(last_contact=date(2026, 5, 29), placement=replace(p, last_hours_change=TODAY)),
        {9: date(2026, 5, 28)},
    )
    assert "praktik_visit" not in reset and "praktik_hours" not in reset
    # An extension moves the end: a new key for "ending soon".
    longer = rules(active(placement=replace(p, planned_end_on=date(2026, 8, 3))))
    assert longer["praktik_ending"].key != got["praktik_ending"].key


def test_job_start_contacts_and_the_six_month_follow_up() -> None:
    job = JobFacts(3, 9, date(2026, 5, 27), "flex")
    got = rules(active(last_contact=date(2026, 5, 26), job=job))
    assert got["job_3d"].due_on == date(2026, 5, 30)
    assert got["job_1m"].due_on == date(2026, 6, 27)
    assert got["job_3m"].due_on == date(2026, 8, 27)
    assert got["job_6m"].due_on == date(2026, 11, 27) and got["job_6m"].params == {"kind": "flex"}
    assert got["who5_end"].due_on == date(2026, 11, 27)
    after = rules(active(last_contact=date(2026, 5, 28), job=job))
    assert "job_3d" not in after and "job_1m" in after
    month = rules(active(last_contact=date(2026, 6, 22), job=job))
    assert "job_1m" not in month and "job_3m" in month


def test_the_job_checks_follow_their_settings_and_the_defaults_are_the_settings() -> None:
    job = JobFacts(3, 9, date(2026, 5, 27), "flex")
    later = RuleConfig(job_first_check_months=2, job_second_check_months=4)
    got = {w.rule: w for w in course_rules(active(job=job), TODAY, later, {})}
    assert got["job_1m"].due_on == date(2026, 7, 27)
    assert got["job_3m"].due_on == date(2026, 9, 27)
    assert got["job_6m"].due_on == date(2026, 11, 27)  # lasting is the domain's, not a setting
    settings = Settings.model_fields
    assert all(getattr(CFG, name) == settings[name].default for name in CFG.__dataclass_fields__)


def test_who5_at_start_and_at_the_end() -> None:
    got = rules(active(who5_start=False))
    assert got["who5_start"].due_on == date(2026, 5, 18)
    assert "who5_start" not in rules(active(who5_start=True))
    ended = CourseFacts(17, 5, "ended", None, START, None, date(2026, 5, 30))
    assert set(rules(ended)) == {"who5_end"}
    assert rules(replace(ended, who5_end=True)) == {}


def test_pause_stops_every_nudge_but_the_resume_reminder() -> None:
    job = JobFacts(3, 9, date(2026, 5, 27), "flex")
    paused = active(status="paused", paused_until=date(2026, 7, 1), job=job, who5_start=False)
    got = rules(paused)
    assert set(got) == {"resume"} and got["resume"].due_on == date(2026, 7, 1)
    assert rules(replace(paused, paused_until=None)) == {}


def test_company_with_praktik_14_days_with_job_90_days() -> None:
    praktik = CompanyFacts(9, 5, date(2026, 5, 20), date(2026, 5, 11), None)
    (got,) = company_rules(praktik, CFG)
    assert got.key == "company_praktik:company:9:2026-06-03" and got.citizen_id is None
    (job,) = company_rules(CompanyFacts(9, 5, None, None, date(2026, 5, 1)), CFG)
    assert job.rule == "company_job" and job.due_on == date(2026, 7, 30)
    assert list(company_rules(CompanyFacts(9, 5, None, None, None), CFG)) == []


def test_rule_numbers_come_from_settings() -> None:
    short = RuleConfig(gap_start_days=3)
    facts = Facts(courses=[active(last_contact=date(2026, 5, 20))])
    (gap,) = [w for w in wanted_follow_ups(facts, TODAY, short) if w.rule == "gap"]
    assert gap.due_on == date(2026, 5, 20) + timedelta(days=3)
