"""Small helpers the dialogue tests share: counting and reading stored rows."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select

from bot.app import Rampe
from store.models import Base

M = TypeVar("M", bound=Base)


def count(app: Rampe, model: type[Base]) -> int:
    """How many rows `model`'s table holds."""
    with app.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def rows(app: Rampe, model: type[M], **where: Any) -> list[M]:
    """Every row of `model` matching `where` (column=value), oldest first."""
    with app.unit_of_work() as session:
        query = select(model).filter_by(**where).order_by(model.id)  # type: ignore[attr-defined]
        return list(session.scalars(query))


def one(app: Rampe, model: type[M], **where: Any) -> M:
    """The single row of `model` matching `where`."""
    found = rows(app, model, **where)
    assert len(found) == 1, f"{len(found)} {model.__name__} rows match {where}"
    return found[0]


def raw_date(value: object) -> date | None:
    """A date from a raw SQL query: SQLite hands dates back as text, PostgreSQL as dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]
