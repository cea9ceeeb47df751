"""Alembic environment: runs migrations on the engine the app hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine, create_engine

from store.models import Base

config = context.config


def run(connection: Connection) -> None:
    """Run the pending migrations on `connection`."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# `upgrade_schema` hands over a connection already in a transaction and under its lock.
given: Connection | None = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine: Engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url") or "sqlite:///rampe.db"
    )
    with engine.connect() as connection:
        run(connection)
        connection.commit()
