"""Schema upgrades: three processes started together on an empty database, `rampe migrate`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from bot.cli import main
from store.db import make_engine, schema_revision
from tests.conftest import empty_pg_database
from tests.support_ops import rampe_env, start_rampe


@pytest.mark.parametrize("command", [["migrate"], ["audit"]], ids=["migrate", "on-start"])
def test_three_processes_upgrade_an_empty_postgres_together(
    command: list[str], tmp_path: Path
) -> None:
    with empty_pg_database() as url:
        env = rampe_env(url)
        processes = [start_rampe(command, env, tmp_path) for _ in range(3)]
        results = [p.communicate(timeout=120) for p in processes]
        for process, (_out, err) in zip(processes, results, strict=True):
            assert process.returncode == 0, err
        engine = make_engine(url)
        current, head = schema_revision(engine)
        assert current == head and "citizens" in inspect(engine).get_table_names()
        engine.dispose()


def test_migrate_on_sqlite_and_refusal_when_upgrades_are_explicit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rampe.db'}"
    runner = CliRunner()
    refused = runner.invoke(
        main, ["audit"], env={"RAMPE_DATABASE_URL": url, "RAMPE_MIGRATE_ON_START": "false"}
    )
    assert refused.exit_code == 1 and "rampe migrate" in refused.output
    done = runner.invoke(main, ["migrate"], env={"RAMPE_DATABASE_URL": url})
    assert done.exit_code == 0 and "newest migration" in done.output, done.output
    again = runner.invoke(
        main, ["audit"], env={"RAMPE_DATABASE_URL": url, "RAMPE_MIGRATE_ON_START": "false"}
    )
    assert again.exit_code == 0, again.output
