"""The data model. Citizens are health data: no CPR numbers, no diagnosis fields, ever.

Enum-like columns hold the string values of the `StrEnum`s below. Datetimes are UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kernel.vocabulary import (
    CitizenStatus,
    FollowUpState,
    PlacementStatus,
    Role,
)
from store.types import EncryptedText, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    shares_caseload: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Staff(Base):
    """A contact person, team lead or admin."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.CONTACT)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2), default="da")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    identities: Mapped[list[StaffIdentity]] = relationship(
        back_populates="staff", cascade="all, delete-orphan"
    )


class StaffIdentity(Base):
    """How one staff member is known on one chat platform."""

    __tablename__ = "staff_identities"
    __table_args__ = (UniqueConstraint("platform", "workspace", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64), default="")
    external_id: Mapped[str] = mapped_column(String(128))
    # Where proactive messages go: a Slack DM channel, a Teams conversation reference.
    address: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]

    staff: Mapped[Staff] = relationship(back_populates="identities")


class Citizen(Base):
    """A participant and the state of their course. Identified in chat by `handle` only."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str | None] = mapped_column(String(16), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    municipality: Mapped[str | None] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=CitizenStatus.REFERRED, index=True)
    referred_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    paused_until: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(32))
    # In any job when the course started (yes/no), and its weekly hours if known; not health data.
    employed_at_start: Mapped[bool | None]
    employed_at_start_hours: Mapped[float | None]
    # A keyed hash (HMAC) of an external case number, never the number itself.
    external_ref_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    owner: Mapped[Staff] = relationship(foreign_keys=[owner_id])


class CitizenEvent(Base):
    """A status event in a course: referral, start, pause, resume, hand-over, end."""

    __tablename__ = "citizen_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    until_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    outcome: Mapped[str | None] = mapped_column(String(32))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    to_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class Contact(Base):
    """One logged contact, with a citizen, a company, or both."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("citizen_id IS NOT NULL OR company_id IS NOT NULL", name="has_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    form: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    platform: Mapped[str] = mapped_column(String(16), default="console")
    created_at: Mapped[datetime]


class ContactDay(Base):
    """How many contacts there are per day, form, and whether with a citizen and a company.

    Kept by database triggers on `contacts` (migration 0010_contact_days, `store.contact_days`),
    so every insert, change and deletion, also by cascade or raw SQL, counts at once. Counts
    only: no citizen, no person, and a count that reaches nought is removed.
    """

    __tablename__ = "contact_days"

    occurred_on: Mapped[date] = mapped_column(Date, primary_key=True)
    form: Mapped[str] = mapped_column(String(24), primary_key=True)
    with_citizen: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    with_company: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class StaffDay(Base):
    """Per day and person: contacts logged, those with a company, and their minutes (a contact
    without minutes counts none). Kept by triggers like `ContactDay`; counts only."""

    __tablename__ = "staff_days"

    occurred_on: Mapped[date] = mapped_column(Date, primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contacts: Mapped[int] = mapped_column(Integer)
    company_contacts: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)


# Employer contacts, contacts and minutes per person over a period, from the index alone
# (migrations 0011 and 0013).
Index("ix_staff_days_sums", StaffDay.occurred_on, StaffDay.staff_id, StaffDay.company_contacts,
      StaffDay.contacts, StaffDay.minutes)  # fmt: skip


class CitizenMonth(Base):
    """Per citizen and month (its first day): contacts, those with a company, and their
    minutes. Kept by triggers like `ContactDay` (migration 0011_citizen_months); counts only,
    and gone with the citizen's last contact in that month."""

    __tablename__ = "citizen_months"
    __table_args__ = {"sqlite_with_rowid": False}

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contacts: Mapped[int] = mapped_column(Integer)
    company_contacts: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)


class Placement(Base):
    """A company internship (virksomhedspraktik)."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    planned_end_on: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[float | None]
    status: Mapped[str] = mapped_column(String(16), default=PlacementStatus.ACTIVE)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(16))
    end_note: Mapped[str | None] = mapped_column(EncryptedText)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class PlacementChange(Base):
    """An hours change or an extension of a placement."""

    __tablename__ = "placement_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # "hours" | "extend"
    on_date: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[float | None]
    weeks: Mapped[int | None]
    new_end_on: Mapped[date | None] = mapped_column(Date)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    hours_per_week: Mapped[float | None]
    start_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_note: Mapped[str | None] = mapped_column(EncryptedText)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class JobChange(Base):
    __tablename__ = "job_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[float | None]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class Measurement(Base):
    """A wellbeing measurement; WHO-5 is stored as 0-100 with the five raw items if given."""

    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(16), default="who5")
    phase: Mapped[str | None] = mapped_column(String(8))  # start | end | None
    score: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any] | None]
    measured_on: Mapped[date] = mapped_column(Date)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class FollowUp(Base):
    """One follow-up occurrence. `key` is unique per occurrence: that is what makes it once."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_state_due", "state", "due_at"),
        # A team's or a person's overdue follow-ups, from the index alone (migration 0012).
        Index("ix_follow_ups_citizen_open", "citizen_id", "state", "due_at", "snoozed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    rule: Mapped[str] = mapped_column(String(40))
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default=FollowUpState.DUE)
    snoozed_until: Mapped[datetime | None]
    params: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(EncryptedText)  # only for custom reminders
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Follow-ups: the delivery (its key) that carries this item while it is being sent.
    batch: Mapped[str | None] = mapped_column(String(120), index=True)


class Entry(Base):
    """One command's changes, so the author can undo them (`/fortryd`) for a short while."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    command: Mapped[str] = mapped_column(String(24))
    summary: Mapped[str] = mapped_column(String(200))  # content-free: kind and handle
    created_at: Mapped[datetime]
    undone_at: Mapped[datetime | None]

    changes: Mapped[list[EntryChange]] = relationship(
        cascade="all, delete-orphan", order_by="EntryChange.id"
    )


class EntryChange(Base):
    """A row an entry inserted or updated; `before` holds the updated columns' old values."""

    __tablename__ = "entry_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8))  # insert | update
    before: Mapped[dict[str, Any] | None]


class PendingChoice(Base):
    """A question the bot asked ("which Mette?"); the next answer reruns `command_text`."""

    __tablename__ = "pending_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    command_text: Mapped[str] = mapped_column(EncryptedText)  # holds notes as typed
    kind: Mapped[str] = mapped_column(String(16))
    query: Mapped[str] = mapped_column(String(200))
    candidate_ids: Mapped[list[Any]]
    overrides: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class InboundEvent(Base):
    """Platform event ids already handled, so at-least-once delivery has one effect."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime]
    # The answer, kept (sealed: it may name a citizen) from the moment the message is recorded
    # until it has been sent; `sending_since` is when the current attempt to send it began.
    reply: Mapped[str | None] = mapped_column(EncryptedText)
    sending_since: Mapped[datetime | None]
    staff_id: Mapped[int | None]  # whom the kept answer is for (a sweep may send it)


class AuditEvent(Base):
    """Who read or changed what, when, from where. Holds no names and no note text."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_citizen_at", "citizen_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))  # read | create | update | delete | ...
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    citizen_id: Mapped[int | None] = mapped_column(Integer)  # no FK: survives erasure
    citizen_handle: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(200))
    # Why: casework, access_request, erasure, retention (store.audit.Purpose).
    purpose: Mapped[str | None] = mapped_column(String(24))


class IssuedHandle(Base):
    """Every handle ever given, as a digest only, so no handle is given twice (migration 0005)."""

    __tablename__ = "issued_handles"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    issued_at: Mapped[datetime]


class IdWatermark(Base):
    """The highest id a table ever had; SQLite would otherwise give an erased row's id again."""

    __tablename__ = "id_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)


class DirectoryState(Base):
    """A counter bumped whenever names or ownership change; name caches compare against it."""

    __tablename__ = "directory_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


# --- Follow-ups ---


class DeliveryState(StrEnum):
    SENDING = "sending"  # claimed by one worker; a stale claim may be taken over
    SENT = "sent"
    RETRY = "retry"  # the send failed; the next sweep tries again


class Delivery(Base):
    """One unprompted message (a morning digest, a weekly digest), claimed once by its key."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # e.g. digest:5:2026-03-30
    kind: Mapped[str] = mapped_column(String(16))  # digest | weekly
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.SENDING)
    claimed_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]


class Absence(Base):
    """A period a staff member is away; items go to the stand-in or wait for the return."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    stand_in_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    catchup_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A message for the local chat, shown the next time its reader opens or types."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # the delivery key: once only
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(EncryptedText)  # digests name citizens: sealed at rest
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


# --- Reports ---
# Counting by date over millions of contacts and 100,000 citizens (migration 0003_reports).
Index("ix_contacts_day", Contact.occurred_on, Contact.form, Contact.citizen_id, Contact.company_id)
Index("ix_citizens_team_id", Citizen.team_id)
Index("ix_citizens_referred_on", Citizen.referred_on)
Index("ix_citizens_started_on", Citizen.started_on)
Index("ix_citizens_ended_on", Citizen.ended_on)
# Courses per contact person and whether they have ended (the caseload), from the index alone.
Index("ix_citizens_owner_status", Citizen.owner_id, Citizen.status)
# Migration 0006_report_indexes: indexes that answer the reports without reading the table.
# Per citizen over a period: a citizen's contacts with and without a company, minutes, and
# (migration 0012) the form, so a team's contacts per form need no table look-up either.
Index(
    "ix_contacts_citizen_forms",
    Contact.citizen_id, Contact.occurred_on, Contact.company_id, Contact.minutes, Contact.form,
)  # fmt: skip
# A company's contacts. Partial: most contacts have no company, and a whole-table index made the
# planner pick it for `company_id IS NULL` (one lookup per contact) over the date index.
Index(
    "ix_contacts_by_company",
    Contact.company_id, Contact.occurred_on,
    sqlite_where=Contact.company_id.is_not(None),
    postgresql_where=Contact.company_id.is_not(None),
)  # fmt: skip
# Per person and day over a period (activity, employer contacts per person, a person's week).
Index(
    "ix_contacts_staff_sums",
    Contact.staff_id, Contact.occurred_on, Contact.citizen_id, Contact.company_id, Contact.minutes,
)  # fmt: skip
# Counting praktik and jobs by the day they started or ended.
Index("ix_placements_start_on", Placement.start_on)
Index("ix_placements_ended_on", Placement.ended_on)
Index("ix_jobs_start_on", Job.start_on)
