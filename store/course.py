"""A citizen's course and what may happen to it, with its invariants, in one place.

Every change to a course goes through here: registration, start, pause, resume, hand-over,
praktik and job, the close with an outcome, and measurements. An impossible sequence is refused
with a `UserError` whose text says what to type instead. A first praktik or job starts a referred
course; a close ends the open praktik and job on the same day, so a job never outlives its
course. The derived facts (current praktik, lasting job, ...) are in `store.course_facts`.
Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from kernel.errors import UserError
from kernel.vocabulary import (
    CitizenStatus,
    EventKind,
    FollowUpState,
    Outcome,
    PlacementEnd,
    PlacementStatus,
)
from store.course_facts import job_is_open, praktik_is_open
from store.directory import bump_directory
from store.handles import Draw, issue_handle, next_citizen_id, random_handle
from store.models import (
    Citizen,
    CitizenEvent,
    Company,
    FollowUp,
    Job,
    JobChange,
    Measurement,
    Placement,
    PlacementChange,
    Staff,
)

S = TypeVar("S", Placement, Job)


def named(citizen: Citizen) -> str:
    """`Mette Hansen (MH-0042)`: how a reply names a citizen."""
    return f"{citizen.full_name} ({citizen.handle})"


def typed_day(day: date) -> str:
    """A date as the user can type it back: `1.9.2026`."""
    return f"{day.day}.{day.month}.{day.year}"


def refuse_if_ended(citizen: Citizen) -> None:
    """Changes to an ended course are refused, with a pointer to its card."""
    if citizen.status == CitizenStatus.ENDED:
        raise UserError("error.course_ended", citizen=named(citizen))


def _refuse_before_referral(citizen: Citizen, day: date, what: str) -> None:
    """`what` is start, praktik, job or close: each has its own text saying what to type."""
    if citizen.referred_on is not None and day < citizen.referred_on:
        raise UserError(
            f"error.{what}_before_referral",
            citizen=named(citizen),
            handle=citizen.handle,
            day=typed_day(day),
            referred=typed_day(citizen.referred_on),
        )


def _event(
    session: Session, citizen: Citizen, kind: EventKind, on: date, by: Staff, now: datetime,
    **extra: object,
) -> None:  # fmt: skip
    session.add(
        CitizenEvent(
            citizen_id=citizen.id, kind=kind, on_date=on, staff_id=by.id, created_at=now, **extra
        )
    )
    citizen.updated_at = now
    session.flush()


def register(
    session: Session, *, full_name: str, name_folded: str, owner: Staff,
    municipality: str | None, referred_on: date, by: Staff, now: datetime,
    draw: Draw = random_handle,
) -> Citizen:  # fmt: skip
    """Register a referred citizen and give them a pseudonymous handle like `KTX-4821`."""
    citizen = Citizen(
        id=next_citizen_id(session), handle=issue_handle(session, now, draw),
        full_name=full_name, name_folded=name_folded, municipality=municipality,
        owner_id=owner.id, team_id=owner.team_id, status=CitizenStatus.REFERRED,
        referred_on=referred_on, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(citizen)
    session.flush()
    _event(session, citizen, EventKind.REFERRED, referred_on, by, now)
    bump_directory(session)
    session.flush()
    return citizen


def start(session: Session, citizen: Citizen, on: date, by: Staff, now: datetime) -> None:
    """Start the course (the first conversation is held), no earlier than the referral."""
    refuse_if_ended(citizen)
    _refuse_before_referral(citizen, on, "start")
    citizen.status = CitizenStatus.ACTIVE
    citizen.started_on = on
    _event(session, citizen, EventKind.STARTED, on, by, now)


def set_employed_at_start(
    session: Session, citizen: Citizen, employed: bool | None, hours: float | None, now: datetime
) -> None:
    """Whether the citizen was in any job when the course started (None: not known), with the
    weekly hours if known. Only yes or no and the hours are kept, nothing about the job."""
    if hours is not None and not employed:
        raise UserError("error.employed_hours_without_job")
    if hours is not None and not 0 < hours <= 80:
        raise UserError("error.employed_hours", hours=f"{hours:g}")
    citizen.employed_at_start = employed
    citizen.employed_at_start_hours = hours
    citizen.updated_at = now
    session.flush()


def pause(
    session: Session, citizen: Citizen, on: date, until: date | None, reason: str | None,
    by: Staff, now: datetime,
) -> None:  # fmt: skip
    """Pause a course, with or without an end date: follow-ups stop, nothing is lost."""
    refuse_if_ended(citizen)
    if until is not None and until <= on:
        raise UserError("error.until_past")
    citizen.status = CitizenStatus.PAUSED
    citizen.paused_until = until
    _event(session, citizen, EventKind.PAUSED, on, by, now, until_date=until, reason=reason)


def resume(session: Session, citizen: Citizen, on: date, by: Staff, now: datetime) -> None:
    """Resume a paused course where it was (started or still referred)."""
    if citizen.status != CitizenStatus.PAUSED:
        raise UserError("error.not_paused", citizen=named(citizen))
    citizen.status = CitizenStatus.ACTIVE if citizen.started_on else CitizenStatus.REFERRED
    citizen.paused_until = None
    _event(session, citizen, EventKind.RESUMED, on, by, now)


def hand_over(
    session: Session, citizen: Citizen, to: Staff, on: date, by: Staff, now: datetime
) -> int:
    """Give the course to another contact person; open follow-ups go along. Returns how many."""
    refuse_if_ended(citizen)
    if to.id == citizen.owner_id:
        raise UserError("error.already_owner", citizen=named(citizen), name=to.display_name)
    citizen.owner_id = to.id
    citizen.team_id = to.team_id
    _event(session, citizen, EventKind.HANDED_OVER, on, by, now, to_staff_id=to.id)
    moved = session.execute(
        update(FollowUp)
        .where(
            FollowUp.citizen_id == citizen.id,
            FollowUp.state.in_([FollowUpState.DUE, FollowUpState.SNOOZED, FollowUpState.SENT]),
        )
        .values(staff_id=to.id, updated_at=now)
    ).rowcount  # type: ignore[attr-defined]
    bump_directory(session)
    return int(moved or 0)


@dataclass(frozen=True)
class Closed:
    """What a close ended besides the course: the open praktik and job, if there were any."""

    praktik: Placement | None
    job: Job | None


def close(
    session: Session, citizen: Citizen, outcome: Outcome | str, on: date, by: Staff,
    now: datetime, today: date,
) -> Closed:  # fmt: skip
    """End the course with one outcome; its open praktik and job end the same day."""
    refuse_if_ended(citizen)
    if on > today:
        raise UserError("error.future_end")
    _refuse_before_referral(citizen, on, "close")
    # A praktik or job planned to start after `on` ends too: it never began within the course.
    praktik, job = current_praktik(session, citizen), current_job(session, citizen)
    if praktik is not None:
        _end_praktik(session, praktik, PlacementEnd.ENDED, None, on)
    if job is not None:
        _end_job(session, job, None, on)
    citizen.status = CitizenStatus.ENDED
    citizen.ended_on = on
    citizen.outcome = str(outcome)
    citizen.paused_until = None
    _event(session, citizen, EventKind.ENDED, on, by, now, outcome=str(outcome))
    bump_directory(session)
    return Closed(praktik, job)


def measure(
    session: Session, *, citizen: Citizen, score: int, items: list[int] | None,
    phase: str | None, on: date, by: Staff, now: datetime,
) -> Measurement:  # fmt: skip
    """Store a WHO-5 score (0-100) and, if given, its five raw answers."""
    measurement = Measurement(
        citizen_id=citizen.id, instrument="who5", phase=phase, score=score, items=items,
        measured_on=on, staff_id=by.id, created_at=now,
    )  # fmt: skip
    session.add(measurement)
    session.flush()
    return measurement


# --- Praktik ---------------------------------------------------------------------------------


def current_praktik(session: Session, citizen: Citizen) -> Placement | None:
    """The citizen's current praktik (`course_facts.current`), if any."""
    return _current(session, Placement, citizen, praktik_is_open())


def _current(
    session: Session, model: type[S], citizen: Citizen, is_open: ColumnElement[bool]
) -> S | None:
    return session.scalars(
        select(model).where(model.citizen_id == citizen.id, is_open).order_by(model.start_on.desc())
    ).first()


def _open(session: Session, citizen: Citizen, what: str) -> Placement | Job:
    """The current praktik or job that a change is about; refused if there is none."""
    refuse_if_ended(citizen)
    span = (current_praktik if what == "praktik" else current_job)(session, citizen)
    if span is None:
        raise UserError(f"error.no_{what}", citizen=named(citizen))
    return span


def _open_praktik(session: Session, citizen: Citizen) -> Placement:
    span = _open(session, citizen, "praktik")
    assert isinstance(span, Placement)
    return span


def _starts_course(session: Session, citizen: Citizen, on: date, by: Staff, now: datetime) -> None:
    """A first praktik or job starts a course that was only referred."""
    if citizen.status == CitizenStatus.REFERRED:
        start(session, citizen, on, by, now)


def start_praktik(
    session: Session, *, citizen: Citizen, company: Company, start_on: date,
    planned_end_on: date | None, hours_per_week: float | None, by: Staff, now: datetime,
) -> Placement:  # fmt: skip
    """Start a praktik: one at a time, not before the referral, ending after it starts."""
    refuse_if_ended(citizen)
    if current_praktik(session, citizen) is not None:
        raise UserError("error.praktik_running", citizen=named(citizen))
    if planned_end_on is not None and planned_end_on <= start_on:
        raise UserError("error.end_before_start")
    _refuse_before_referral(citizen, start_on, "praktik")
    placement = Placement(
        citizen_id=citizen.id, company_id=company.id, start_on=start_on,
        planned_end_on=planned_end_on, hours_per_week=hours_per_week,
        status=PlacementStatus.ACTIVE, staff_id=by.id, created_at=now,
    )  # fmt: skip
    session.add(placement)
    citizen.updated_at = now
    session.flush()
    _starts_course(session, citizen, start_on, by, now)
    return placement


def praktik_hours(
    session: Session, citizen: Citizen, hours: float, on: date, by: Staff, now: datetime
) -> Placement:
    """New weekly hours for the current praktik."""
    placement = _open_praktik(session, citizen)
    placement.hours_per_week = hours
    session.add(PlacementChange(placement_id=placement.id, kind="hours", on_date=on,
                                hours_per_week=hours, staff_id=by.id, created_at=now))  # fmt: skip
    session.flush()
    return placement


def extend_praktik(
    session: Session, citizen: Citizen, weeks: int, on: date, by: Staff, now: datetime
) -> tuple[Placement, date]:
    """Extend the current praktik by `weeks`; returns it and its new planned end."""
    placement = _open_praktik(session, citizen)
    new_end = (placement.planned_end_on or on) + timedelta(weeks=weeks)
    placement.planned_end_on = new_end
    session.add(PlacementChange(placement_id=placement.id, kind="extend", on_date=on, weeks=weeks,
                                new_end_on=new_end, staff_id=by.id, created_at=now))  # fmt: skip
    session.flush()
    return placement, new_end


def end_praktik(
    session: Session, citizen: Citizen, reason: PlacementEnd | str, note: str | None, on: date
) -> Placement:
    """End the current praktik with a reason (job, ended, interrupted)."""
    placement = _open_praktik(session, citizen)
    _end_praktik(session, placement, reason, note, on)
    return placement


def _end_praktik(
    session: Session, placement: Placement, reason: PlacementEnd | str, note: str | None, on: date
) -> None:
    placement.status = PlacementStatus.ENDED
    placement.ended_on = on
    placement.end_reason = str(reason)
    placement.end_note = note or None
    session.flush()


# --- Job -------------------------------------------------------------------------------------


def current_job(session: Session, citizen: Citizen) -> Job | None:
    """The citizen's current job (`course_facts.current`), if any."""
    return _current(session, Job, citizen, job_is_open())


def _open_job(session: Session, citizen: Citizen) -> Job:
    span = _open(session, citizen, "job")
    assert isinstance(span, Job)
    return span


def start_job(
    session: Session, *, citizen: Citizen, company: Company | None, kind: str,
    hours_per_week: float | None, start_on: date, by: Staff, now: datetime,
) -> Job:  # fmt: skip
    """Start a job: one open job at a time, not before the referral."""
    refuse_if_ended(citizen)
    if current_job(session, citizen) is not None:
        raise UserError("error.job_running", citizen=named(citizen), handle=citizen.handle)
    _refuse_before_referral(citizen, start_on, "job")
    job = Job(
        citizen_id=citizen.id, company_id=company.id if company else None, kind=kind,
        hours_per_week=hours_per_week, start_on=start_on, staff_id=by.id, created_at=now,
    )  # fmt: skip
    session.add(job)
    citizen.updated_at = now
    session.flush()
    _starts_course(session, citizen, start_on, by, now)
    return job


def job_hours(
    session: Session, citizen: Citizen, hours: float, on: date, by: Staff, now: datetime
) -> Job:
    """New weekly hours for the current job."""
    job = _open_job(session, citizen)
    job.hours_per_week = hours
    session.add(
        JobChange(job_id=job.id, on_date=on, hours_per_week=hours, staff_id=by.id, created_at=now)
    )
    session.flush()
    return job


def end_job(session: Session, citizen: Citizen, note: str | None, on: date) -> Job:
    """End the current job."""
    job = _open_job(session, citizen)
    _end_job(session, job, note, on)
    return job


def _end_job(session: Session, job: Job, note: str | None, on: date) -> None:
    job.ended_on = on
    job.end_note = note or None
    session.flush()
