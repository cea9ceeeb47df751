"""Which citizens and companies a unit of work changed facts about, seen at each flush.

The follow-ups of exactly those are reconciled after a command that records something, so no
command has to remember to, and a fact recorded by a new command is covered too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from store.models import (
    Citizen,
    CitizenEvent,
    Company,
    Contact,
    Job,
    JobChange,
    Measurement,
    Placement,
    PlacementChange,
)

_KEY = "rampe.touched"
FACTS = (CitizenEvent, Contact, Job, Measurement, Placement)


def install_touch_tracking(factory: sessionmaker[Session]) -> None:
    """Note the citizens and companies of every fact row flushed by sessions of `factory`."""
    event.listen(factory, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    note_touched(session, [*session.new, *session.dirty, *session.deleted])


def note_touched(session: Session, objects: Iterable[object]) -> None:
    """Count these rows as changed facts (for changes made without the ORM, like an undo)."""
    citizens, companies = session.info.setdefault(_KEY, (set(), set()))
    for obj in objects:
        if isinstance(obj, Citizen):
            citizens.add(obj.id)
        elif isinstance(obj, Company):
            companies.add(obj.id)
        elif isinstance(obj, FACTS):
            _add(citizens, getattr(obj, "citizen_id", None))
            _add(companies, getattr(obj, "company_id", None))
        elif isinstance(obj, PlacementChange | JobChange):
            parent = _parent(session, obj)
            if parent is not None:
                citizens.add(parent.citizen_id)
                _add(companies, parent.company_id)


def _parent(session: Session, change: PlacementChange | JobChange) -> Placement | Job | None:
    if isinstance(change, PlacementChange):
        return session.get(Placement, change.placement_id)
    return session.get(Job, change.job_id)


def _add(into: set[int], value: int | None) -> None:
    if value is not None:
        into.add(value)


def take_touched(session: Session) -> tuple[set[int], set[int]]:
    """The (citizen ids, company ids) changed since the last call; starts afresh."""
    session.flush()
    citizens, companies = session.info.pop(_KEY, (set(), set()))
    return citizens, companies
