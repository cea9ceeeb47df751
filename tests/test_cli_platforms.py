"""`rampe --version`, `rampe serve --host --port`, and `teams-package` refusing a non-GUID id."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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


def test_rampe_serve_listens_where_the_command_line_says(tmp_path: Path) -> None:
    """The real command in its own process: --host and --port win over the environment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "RAMPE_DATABASE_URL": f"sqlite:///{tmp_path / 'rampe.db'}",
        "RAMPE_HOST": "192.0.2.1",  # an address this machine does not have
        "RAMPE_PORT": "1",
        "TEAMS_ALLOW_UNAUTHENTICATED": "true",
        "TEAMS_SERVICE_HOSTS": "127.0.0.1",
    }
    command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r) == {"ok": True}
                    break
            except OSError:
                assert server.poll() is None, "rampe serve stopped"
                assert time.monotonic() < deadline, "rampe serve never answered"
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    assert b"Traceback" not in errors
