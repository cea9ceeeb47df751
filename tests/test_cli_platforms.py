"""`rampe --version`, `rampe serve --host --port`, and `teams-package` refusing a non-GUID id."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.platforms.teams_package import app_version


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    for name in ("MICROSOFT_APP_ID", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "RAMPE_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAMPE_DATABASE_URL", f"sqlite:///{tmp_path / 'rampe.db'}")
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"rampe {app_version()}"


def test_serve_takes_its_address_from_the_command_line_over_the_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAMS_ALLOW_UNAUTHENTICATED", "true")
    monkeypatch.setenv("RAMPE_HOST", "127.0.0.1")
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--port", "3999"])
    assert result.exit_code == 1
    assert "'0.0.0.0'" in result.output and "loopback" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2


@pytest.mark.parametrize("app_id", ["abc", "0000-0000", "00000000-0000-0000-0000-00000000000g"])
def test_teams_package_refuses_an_app_id_that_is_not_a_guid(
    runner: CliRunner, tmp_path: Path, app_id: str
) -> None:
    result = runner.invoke(main, ["teams-package", "--app-id", app_id, "--out", "x.zip"])
    assert result.exit_code == 2
    assert "GUID" in result.output
    assert not (tmp_path / "x.zip").exists()
    good = "00000000-0000-0000-0000-0000000000b2"
    assert runner.invoke(main, ["teams-package", "--app-id", good, "--out", "x.zip"]).exit_code == 0
