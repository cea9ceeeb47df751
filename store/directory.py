"""The directory version: a counter that name caches in every process compare against."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from store.models import DirectoryState


def bump_directory(session: Session) -> None:
    """Tell every process that names or ownership changed (call after such a change)."""
    session.execute(
        update(DirectoryState)
        .where(DirectoryState.id == 1)
        .values(version=DirectoryState.version + 1)
    )
