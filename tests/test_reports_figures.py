"""The programme figures on small populations whose answers are known by construction.

Pure computations over frames, without a database; the queries are tested in
test_reports_programme.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as D
from datetime import timedelta
from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from reports.durations import compute_durations, compute_hours
from reports.figures import spread
from reports.frames import CHANGES, PEOPLE, SPANS, Courses
from reports.intensity import (
    FIRST,
    PER_FORM,
    PER_STAFF,
    Contacts,
    Reach,
    compute_citizens,
    compute_cost,
    compute_fidelity,
    compute_intensity,
)
from reports.periods import Period

YEAR = Period("year", D(2026, 1, 1), D(2026, 12, 31))
TODAY = D(2026, 11, 23)


def courses(
    people: Sequence[tuple[object, ...]],
    placements: Sequence[tuple[object, ...]] = (),
    jobs: Sequence[tuple[object, ...]] = (),
    placement_hours: Sequence[tuple[object, ...]] = (),
    job_hours: Sequence[tuple[object, ...]] = (),
) -> Courses:
    return Courses(
        pd.DataFrame(list(people), columns=PEOPLE),
        pd.DataFrame(list(placements), columns=SPANS),
        pd.DataFrame([(*j, "flex") for j in jobs], columns=[*SPANS, "kind"]),
        pd.DataFrame(list(placement_hours), columns=CHANGES),
        pd.DataFrame(list(job_hours), columns=CHANGES),
    )


def person(n: int, referred: D, started: D | None = None, ended: D | None = None,
           outcome: str | None = None) -> tuple[object, ...]:  # fmt: skip
    return (n, f"AB-{n:04d}", referred, started, ended, outcome)


def contacts(
    sums: Sequence[tuple[object, ...]], weeks: dict[int, int] | None = None,
    first: dict[int, tuple[D, D]] | None = None,
) -> Contacts:  # fmt: skip
    """Contact sums from rows (staff, citizen or None, form, company?, n, minutes)."""
    frame = pd.DataFrame(list(sums), columns=["staff_id", "citizen_id", "form", "company", "n",
                                              "minutes"])  # fmt: skip
    with_citizen = frame["citizen_id"].notna()
    served = frozenset(int(float(str(c))) for c in frame.loc[with_citizen, "citizen_id"])
    per_form = [(f, c, w, int(g["n"].sum())) for (f, c, w), g in
                frame.assign(with_citizen=frame["citizen_id"].notna())
                .groupby(["form", "company", "with_citizen"])]  # fmt: skip
    company = frame[frame["company"]]
    per_staff = [(int(str(k)), int(g["n"].sum())) for k, g in company.groupby("staff_id")]
    return Contacts(
        int(frame.loc[with_citizen, "minutes"].sum()),
        int(frame.loc[~with_citizen, "minutes"].sum()),
        served,
        pd.DataFrame(per_form, columns=PER_FORM),
        pd.DataFrame(per_staff, columns=PER_STAFF),
        pd.DataFrame(list((weeks or {}).items()), columns=["citizen_id", "weeks"]),
        pd.DataFrame(
            [(n, f"AB-{n:04d}", started, day) for n, (started, day) in (first or {}).items()],
            columns=FIRST,
        ),
        {1: "Anna", 2: "Bo"},
    )


def test_spread_rounds_half_up_and_takes_the_middle() -> None:
    assert spread([10, 20, 60]) == spread([60, 10, 20])
    found = spread([10, 20, 60])
    assert (found.n, found.mean, found.median, found.low, found.high) == (
        3, Decimal("30.0"), Decimal("20.0"), Decimal("10.0"), Decimal("60.0"),
    )  # fmt: skip
    assert spread([1, 2]).median == Decimal("1.5")
    assert spread([0.25, 0.5]).mean == Decimal("0.4")  # 0.375 half up, not to even
    assert spread([]).n == 0 and spread([]).mean is None


@given(st.lists(st.integers(-100_000, 100_000), max_size=40))
def test_spread_of_whole_numbers_is_their_spread_as_decimals(days: list[int]) -> None:
    """Whole numbers take a shorter path (summed and ordered as ints): the same figures as the
    same values given as decimals, even medians and half-up means included."""
    assert spread(days) == spread([Decimal(d) for d in days])
    assert spread(days) == spread([Decimal(d) / 2 * 2 for d in days])


def test_durations_three_praktik_starts_10_20_60_days_after_the_start() -> None:
    start = D(2026, 2, 1)
    people = [person(n, D(2026, 1, 1) + timedelta(days=n), start) for n in (1, 2, 3)]
    people.append(person(4, D(2025, 6, 1), D(2025, 7, 1), D(2026, 3, 1), "flex_job"))
    praktik: list[tuple[object, ...]] = [(10 + n, n, start + timedelta(days=d), None, 10.0)
               for n, d in ((1, 10), (2, 20), (3, 60))]  # fmt: skip
    praktik.append((14, 1, start + timedelta(days=40), start + timedelta(days=40 + 28), 10.0))
    praktik.append((15, 4, D(2025, 8, 1), D(2025, 9, 26), 10.0))  # ended before the year
    report = compute_durations(courses(people, praktik), YEAR, TODAY)
    first = report.get("start_to_praktik").spread
    assert first is not None and (first.n, first.median, first.mean) == (3, 20, 30)
    to_start = report.get("referral_to_start").spread  # 31-1, 31-2, 31-3 days
    assert to_start is not None and (to_start.low, to_start.high, to_start.n) == (28, 30, 3)
    course = report.get("course_days")  # 1/7/2025 - 1/3/2026: one course ended this year
    assert course.spread is not None and course.value == 243 and course.handles == ("AB-0004",)
    weeks = report.get("praktik_weeks")
    assert weeks.value == 4 and weeks.spread is not None and weeks.spread.n == 1


def test_time_in_job_counts_whole_calendar_months_to_its_end_or_today() -> None:
    people = [person(1, D(2026, 1, 1), D(2026, 1, 5)), person(2, D(2026, 1, 1), D(2026, 1, 5))]
    jobs = [(1, 1, D(2026, 3, 1), D(2026, 6, 1), 10.0), (2, 2, D(2026, 5, 23), None, 12.0)]
    report = compute_durations(courses(people, jobs=jobs), YEAR, TODAY)
    assert report.get("job_months").spread == spread([3, 6])  # to its end; to today


def test_hours_at_start_then_and_now() -> None:
    people = [person(n, D(2026, 1, 1), D(2026, 1, 5)) for n in (1, 2, 3, 4)]
    praktik = [
        (1, 1, D(2026, 3, 1), None, 5.0),
        (2, 2, D(2026, 4, 1), None, 10.0),
        (3, 3, D(2026, 5, 1), D(2026, 6, 1), 15.0),  # ended: not under way now
    ]
    jobs = [(7, 4, D(2026, 9, 1), None, 3.0), (8, 1, D(2026, 10, 1), None, 25.0)]
    report = compute_hours(
        courses(people, praktik, jobs, [(1, D(2026, 4, 1), 10.0), (1, D(2026, 5, 1), 15.0),
                                        (2, D(2026, 12, 1), 30.0)],  # after today: not yet
                [(7, D(2026, 10, 1), 8.0)]),
        YEAR, TODAY,
    )  # fmt: skip
    assert report.get("praktik_hours_start").value == 10  # 5, 10, 15
    assert report.get("praktik_hours_then").value == Decimal("7.5")  # 5 and 10 at their start
    assert report.get("praktik_hours_now").value == Decimal("12.5")  # 15 and 10 now
    assert report.get("job_hours_now").value == Decimal("16.5")  # 8 and 25
    typical = report.get("job_hours_3_20")
    assert (typical.part, typical.whole, typical.value) == (1, 2, 50)
    assert typical.handles == ("AB-0004",)


def test_citizens_not_events() -> None:
    people = [person(n, D(2026, 2, 1), D(2026, 2, 2)) for n in (1, 2, 3, 4)]
    people.append(person(5, D(2025, 5, 1), D(2025, 5, 2)))  # referred last year: not counted
    praktik = [(1, 1, D(2026, 3, 1), D(2026, 4, 1), 5.0), (2, 1, D(2026, 5, 1), None, 5.0),
               (3, 2, D(2026, 3, 1), None, 5.0), (4, 3, D(2026, 6, 1), None, 5.0),
               (5, 5, D(2026, 3, 1), None, 5.0)]  # fmt: skip
    jobs = [(1, 1, D(2026, 6, 1), None, 10.0), (2, 3, D(2026, 4, 1), D(2026, 5, 1), 10.0),
            (3, 1, D(2026, 9, 1), None, 10.0)]  # fmt: skip
    report = compute_citizens(courses(people, praktik, jobs), YEAR, TODAY)
    assert report.get("referred").value == 4
    praktik_share = report.get("ever_praktik")  # two praktik for AB-0001 count once
    assert (praktik_share.part, praktik_share.whole, praktik_share.value) == (3, 4, 75)
    assert report.get("ever_job").part == 2
    converted = report.get("praktik_to_job")  # AB-0003's job came before the praktik
    assert (converted.part, converted.whole, converted.value) == (1, 3, 33)
    assert converted.handles == ("AB-0001",)


def test_intensity_per_citizen_weekly_contact_and_company_contacts() -> None:
    # Three active citizens, two of them under way all November (AB-0003 started on 2/11), one
    # placed; who is which is counted in SQL (`fetch_reach`, tested in test_reports_programme).
    reach = Reach(3, ("AB-0001", "AB-0002", "AB-0003"), 2, ("AB-0002",))
    period = Period("month", D(2026, 11, 1), D(2026, 11, 30))
    sums = [(1, 1, "phone", False, 4, 40), (1, 1, "meeting", False, 2, 80),
            (1, 2, "phone", False, 3, 60), (1, 2, "company_visit", True, 1, 60),
            (2, None, "phone", True, 5, 50)]  # fmt: skip
    report = compute_intensity(reach, contacts(sums), [("AB-0001", 4), ("AB-0002", 3)], period,
                               TODAY)  # fmt: skip
    assert report.get("active_citizens").value == 3
    assert report.get("active_citizens").handles == ("AB-0001", "AB-0002", "AB-0003")
    assert report.get("contacts_per_citizen").value == Decimal("3.0")  # 9 over 3
    assert report.get("contacts_per_citizen_form", "phone").value == Decimal("2.33")
    assert report.get("hours_per_citizen").value == Decimal("1.3")  # 240 minutes over 3
    weekly = report.get("weekly_contact")  # 1/11-23/11 spans weeks 44-48 (5 weeks)
    assert (weekly.part, weekly.whole) == (0, 2)
    assert report.get("company_contacts_per_placed").value == Decimal("6.0")
    every = compute_intensity(reach, contacts(sums), [("AB-0001", 5), ("AB-0002", 4)], period,
                              TODAY).get("weekly_contact")  # fmt: skip
    assert (every.part, every.whole, every.value, every.handles) == (1, 2, 50, ("AB-0001",))


def test_cost_counts_company_time_and_reproduces_rampen() -> None:
    # Rampen: 15,369 hours x DKK 300 + 20% = DKK 5,532,840 (the report prints 5,532,862),
    # over 106 courses = DKK 52,197 per course.
    people = [person(n, D(2021, 1, 1), D(2021, 1, 2)) for n in range(1, 107)]
    minutes = 15_369 * 60
    sums: list[tuple[object, ...]] = [(1, n, "meeting", False, 1, minutes // 106)
                                      for n in range(1, 107)]  # fmt: skip
    sums.append((1, None, "phone", True, 1, minutes - (minutes // 106) * 106))
    period = Period("range", D(2020, 10, 1), D(2024, 2, 29))
    report = compute_cost(
        courses(people), contacts(sums), period, D(2024, 3, 1), Decimal(300), Decimal(20)
    )
    assert report.get("hours_logged").value == Decimal("15369.0")
    assert report.get("cost_total").value == 5_532_840
    assert report.get("citizens_served").value == 106
    assert report.get("cost_per_citizen").value == 52_197


def test_fidelity_employer_contacts_days_outside_office_and_caseload() -> None:
    period = Period("range", D(2026, 11, 2), D(2026, 11, 15))  # two weeks
    sums = [(1, 1, "home_visit", False, 3, 0), (1, 1, "phone", False, 5, 0),
            (1, 2, "company_visit", True, 2, 0), (2, None, "phone", True, 4, 0),
            (1, None, "meeting", True, 2, 0)]  # fmt: skip
    # Started 2/11 and 4/11, first employer contact 12/11 and 4/11 (who started when, and
    # whose course touches the period, is decided in SQL: test_reports_programme).
    first = {1: (D(2026, 11, 2), D(2026, 11, 12)), 2: (D(2026, 11, 4), D(2026, 11, 4))}
    report = compute_fidelity(contacts(sums, first=first), period, TODAY, {"Anna": (22, 20)})
    assert report.get("employer_contacts_per_week", "Anna").value == 2  # 4 in two weeks
    assert report.get("employer_contacts_per_week", "Bo").value == 2
    days = report.get("days_to_employer_contact").spread
    assert days is not None and (days.low, days.high, days.mean) == (0, 10, 5)
    outside = report.get("outside_office")  # 3 home visits + 2 company visits of 10
    assert (outside.part, outside.whole, outside.value) == (5, 10, 50)
    cap = report.get("caseload_of_cap", "Anna")
    assert (cap.part, cap.whole, cap.value) == (22, 20, 110)
