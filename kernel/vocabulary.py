"""The vocabulary: roles, statuses, contact forms, outcomes, job kinds, follow-up states."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CONTACT = "contact"  # kontaktperson
    LEAD = "lead"  # teamleder
    ADMIN = "admin"


class CitizenStatus(StrEnum):
    REFERRED = "referred"  # henvist, not yet started
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class ContactForm(StrEnum):
    MEETING = "meeting"
    PHONE = "phone"
    VIDEO = "video"
    SMS = "sms"
    EMAIL = "email"
    HOME_VISIT = "home_visit"
    COMPANY_VISIT = "company_visit"
    JOINT_MEETING = "joint_meeting"  # fællesmøde
    NETWORK_MEETING = "network_meeting"
    RELATIVES = "relatives"  # pårørende
    GROUP = "group"  # gruppe/café
    WALK = "walk"  # walk-and-talk


class PlacementStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class PlacementEnd(StrEnum):
    JOB = "job"
    ENDED = "ended"
    INTERRUPTED = "interrupted"


class JobKind(StrEnum):
    FLEX = "flex"  # fleksjob
    ORDINARY = "ordinary"
    WAGE_SUBSIDY = "wage_subsidy"  # løntilskud
    SMALL = "small"  # småjob
    EDUCATION = "education"


class Outcome(StrEnum):
    """The one bucket a course ends in (domain.md, step 7)."""

    JOB = "job"  # ordinary job
    FLEX_JOB = "flex_job"
    WAGE_SUBSIDY = "wage_subsidy"
    SMALL_JOB = "small_job"
    EDUCATION = "education"
    DISABILITY_PENSION = "disability_pension"  # førtidspension
    SENIOR_PENSION = "senior_pension"
    PLACEMENT = "placement"  # still in praktik at the end
    UNEMPLOYED = "unemployed"
    SICK_LEAVE = "sick_leave"
    PARENTAL_LEAVE = "parental_leave"
    MOVED = "moved"
    DIED = "died"
    TRANSFERRED = "transferred"  # overgået til anden aktør
    INTERRUPTED = "interrupted"  # afbrudt: the course stopped before any of the above
    PENSION_PROCESS = "pension_process"  # i proces mod førtidspension: not yet a pension
    OTHER = "other"


class EventKind(StrEnum):
    REFERRED = "referred"
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    HANDED_OVER = "handed_over"
    ENDED = "ended"


class FollowUpState(StrEnum):
    DUE = "due"  # computed, waiting for its time
    SENDING = "sending"  # claimed by one delivery worker
    SENT = "sent"
    SNOOZED = "snoozed"
    DONE = "done"
    DISMISSED = "dismissed"  # "not relevant"
    OBSOLETE = "obsolete"  # the rule no longer applies
