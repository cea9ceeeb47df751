"""The derived course facts as pure functions of dates, and their set-wise twins agreeing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, literal, select

from bot.app import Rampe
from store.course_facts import (
    add_months,
    aftercare_ends,
    current,
    in_aftercare,
    is_lasting,
    job_is_lasting_sql,
    lasting_from,
    lasting_from_sql,
    months_in_job,
    running_on,
    running_on_sql,
    span_end,
)
from store.models import Citizen, Job, Placement
from tests.support_reports import NOW, citizen, company, staff


@dataclass
class Span:
    start_on: date
    ended_on: date | None = None


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_current_is_the_latest_open_span() -> None:
    old = Span(date(2026, 1, 5), date(2026, 3, 1))
    first = Span(date(2026, 3, 2))
    later = Span(date(2026, 4, 1))
    assert current([old, first, later]) is later
    assert current([old]) is None
    assert current([]) is None


def test_a_span_ends_no_later_than_its_course() -> None:
    assert span_end(None, None) is None
    assert span_end(date(2026, 5, 1), None) == date(2026, 5, 1)
    assert span_end(None, date(2026, 7, 1)) == date(2026, 7, 1)
    assert span_end(date(2026, 9, 1), date(2026, 7, 1)) == date(2026, 7, 1)
    assert span_end(date(2026, 6, 1), date(2026, 7, 1)) == date(2026, 6, 1)


def test_running_on_a_day() -> None:
    assert running_on(date(2026, 3, 1), None, date(2026, 3, 1))
    assert not running_on(date(2026, 3, 2), None, date(2026, 3, 1))
    assert running_on(date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    assert not running_on(date(2026, 3, 1), date(2026, 4, 1), date(2026, 4, 1))


def test_months_in_job_counts_whole_calendar_months() -> None:
    start = date(2026, 1, 31)
    assert months_in_job(start, None, date(2026, 1, 1)) == 0
    assert months_in_job(start, None, date(2026, 2, 27)) == 0
    assert months_in_job(start, None, date(2026, 2, 28)) == 1
    assert months_in_job(start, date(2026, 7, 30), date(2027, 1, 1)) == 5
    assert months_in_job(start, date(2026, 7, 31), date(2027, 1, 1)) == 6


def test_lasting_is_six_months_to_the_end_or_to_today() -> None:
    assert lasting_from(date(2026, 8, 31)) == date(2027, 2, 28)
    assert is_lasting(date(2026, 1, 5), date(2026, 7, 5), date(2026, 12, 1))
    assert not is_lasting(date(2026, 3, 1), date(2026, 8, 31), date(2026, 12, 1))
    assert is_lasting(date(2026, 5, 23), None, date(2026, 11, 23))
    assert not is_lasting(date(2026, 5, 24), None, date(2026, 11, 23))
    # job start, closed as unemployed two months later: the job ended with the course
    assert not is_lasting(date(2026, 3, 1), span_end(None, date(2026, 5, 1)), date(2026, 12, 1))


def test_aftercare_is_the_first_six_months_of_a_job() -> None:
    start = date(2026, 3, 1)
    assert aftercare_ends(start) == date(2026, 9, 1)
    assert in_aftercare(start, date(2026, 8, 31))
    assert not in_aftercare(start, date(2026, 9, 1))


def test_lasting_and_running_over_many_rows() -> None:
    today = date(2026, 11, 23)
    rows = [
        (1, date(2026, 1, 5), date(2026, 7, 5)),
        (2, date(2026, 3, 1), date(2026, 8, 31)),
        (3, date(2026, 5, 23), None),
        (4, date(2026, 5, 24), None),
        (5, date(2026, 8, 31), None),
        (6, date(2025, 8, 31), date(2026, 2, 28)),
    ]
    expected = {cid for cid, start, end in rows if is_lasting(start, end, today)}
    assert expected == {1, 3, 6}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Starts around month ends, in and out of a leap February, and the days around six months on.
STARTS = _days(date(2027, 8, 26), date(2027, 9, 3)) + _days(date(2027, 12, 27), date(2028, 3, 2))


def test_lasting_in_sql_is_is_lasting_on_every_day(app: Rampe) -> None:
    as_of = date(2028, 8, 31)
    with app.unit_of_work() as s:
        owner = staff(s, "anna")
        open_course = citizen(s, owner, "Åben Sag", date(2027, 1, 4), date(2027, 1, 4))
        closed = citizen(s, owner, "Lukket Sag", date(2027, 1, 4), date(2027, 1, 4))
        closed.ended_on = date(2028, 8, 30)  # clips the jobs' ends below
        expected, rows = set(), []
        for start in STARTS:
            six = add_months(start, 6)
            for end in (*_days(six - timedelta(days=3), six + timedelta(days=3)), None):
                for person in (open_course, closed):
                    rows.append((person.id, start, end))
        jobs = [Job(citizen_id=cid, kind="ordinary", start_on=start, ended_on=end,
                    staff_id=owner.id, created_at=NOW) for cid, start, end in rows]  # fmt: skip
        s.add_all(jobs)
        s.flush()
        for job, (cid, start, end) in zip(jobs, rows, strict=True):
            course_end = closed.ended_on if cid == closed.id else None
            if is_lasting(start, span_end(end, course_end), as_of):
                expected.add(job.id)
        dialect = s.get_bind().dialect.name
        query = (
            select(Job.id)
            .join(Citizen, Citizen.id == Job.citizen_id)
            .where(job_is_lasting_sql(dialect, as_of))
        )
        found = set(s.scalars(query))
    assert len(jobs) == 2 * len(STARTS) * 8 and 0 < len(expected) < len(jobs)
    assert found == expected


def test_running_in_sql_is_running_on_every_day(app: Rampe) -> None:
    # Praktik ending the day before, on and after each day, open or not, in a course that is
    # open or closed in the middle (which ends what is still under way).
    days = _days(date(2027, 2, 25), date(2027, 3, 5))
    with app.unit_of_work() as s:
        owner = staff(s, "anna")
        open_course = citizen(s, owner, "Åben Sag", date(2027, 1, 4), date(2027, 1, 4))
        closed = citizen(s, owner, "Lukket Sag", date(2027, 1, 4), date(2027, 1, 4))
        closed.ended_on = date(2027, 3, 1)
        company_id = company(s, owner).id
        spans = [Placement(citizen_id=person.id, company_id=company_id, start_on=start,
                           ended_on=end, staff_id=owner.id, created_at=NOW)
                 for person in (open_course, closed) for start in days[::2]
                 for end in (*days, None) if end is None or end >= start]  # fmt: skip
        s.add_all(spans)
        s.flush()
        for day in days:
            expected = {p.id for p in spans
                        if running_on(p.start_on, span_end(p.ended_on, closed.ended_on
                                                           if p.citizen_id == closed.id
                                                           else None), day)}  # fmt: skip
            query = (select(Placement.id).join(Citizen, Citizen.id == Placement.citizen_id)
                     .where(running_on_sql(Placement, day)))  # fmt: skip
            assert set(s.scalars(query)) == expected, day
            # Unclipped, for a course known to run past the day: the open course's answer.
            unclipped = select(Placement.id).where(
                Placement.citizen_id == open_course.id, running_on_sql(Placement, day, None)
            )
            assert set(s.scalars(unclipped)) == {
                p.id for p in spans if p.citizen_id == open_course.id and p.id in expected
            }
            assert 0 < len(expected) < len(spans)


def test_six_months_on_in_sql_is_lasting_from(app: Rampe) -> None:
    # 31/8 + 6 months is 28/2 (29/2 in a leap year): SQLite's date() alone would say 3/3.
    # PostgreSQL gives a timestamp at midnight: its date is the day.
    with app.unit_of_work() as s:
        dialect = s.get_bind().dialect.name
        days = [literal(start, Date) for start in STARTS]
        found = s.execute(select(*(lasting_from_sql(dialect, day) for day in days))).one()
    assert [date.fromisoformat(str(d)[:10]) for d in found] == [lasting_from(d) for d in STARTS]
    assert lasting_from(date(2027, 8, 31)) == date(2028, 2, 29)
