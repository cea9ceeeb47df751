"""What the layers below the conversation need of a running Rampe, as a protocol.

The scheduler, the command-line tools and the forms take a `Runtime` rather than the `Rampe`
itself, so they need not import the conversation layer above them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.directory import Directory
from kernel.clock import Clock
from kernel.settings import Settings


class Runtime(Protocol):
    """Settings, clock, sessions and the name directory of one running Rampe."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def directory(self) -> Directory: ...

    def unit_of_work(self) -> AbstractContextManager[Session]:
        """One transaction on the app's database."""
        ...
