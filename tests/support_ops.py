"""Operations tests: empty PostgreSQL databases and `rampe` processes of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rampe_env(db_url: str, **settings: str) -> dict[str, str]:
    """The environment for a `rampe` process on `db_url`: only what the test says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAMPE_", "SLACK_"))}
    env.update({"RAMPE_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}, **settings)
    return env


def start_rampe(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """`python -m bot ARGS` as a process of its own (no `.env` is read: `cwd` has none)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_serving(base: str, process: subprocess.Popen[str], timeout: float = 120) -> None:
    """Wait until `rampe serve` at `base` answers /healthz (it must not end meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                raise AssertionError(f"rampe serve ended: {process.communicate()[1]}") from None
            time.sleep(0.2)
    raise AssertionError("rampe serve did not start in time")
