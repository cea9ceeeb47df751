"""The local chat as a newcomer meets it: `rampe chat` with commands piped in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def run_rampe(cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with nothing configured (no Slack, Teams or database)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RAMPE_", "SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_readme_pipe_stores_the_rows(tmp_path: Path) -> None:
    done = run_rampe(
        tmp_path,
        "chat",
        "--as",
        "anna",
        stdin="/borger ny Mette Hansen\n/log mette tlf i går 20m\n/caseload\n",
    )
    assert done.returncode == 0, done.stderr
    replies = done.stdout.split("\n\n")
    made = re.match(r"Oprettet: Mette Hansen \(([B-Z]{3}-\d{4})\)", replies[0])
    assert made is not None, replies[0]  # a random code, nothing of the name
    assert replies[1].startswith(f"Logget: telefon med Mette Hansen ({made[1]}) i går")
    assert replies[2].startswith("Dine aktive borgere (1):")
    engine = create_engine(f"sqlite:///{tmp_path / 'rampe.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT form, minutes FROM contacts")).all() == [("phone", 20)]
        assert conn.execute(text("SELECT full_name FROM citizens")).scalar() == "Mette Hansen"
    engine.dispose()


def test_rampe_with_nothing_configured_opens_the_local_chat(tmp_path: Path) -> None:
    done = run_rampe(tmp_path, stdin="/hjælp\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Det kan jeg")
    assert (tmp_path / "rampe.db").exists()


def test_help_of_the_cli(tmp_path: Path) -> None:
    done = run_rampe(tmp_path, "--help")
    assert done.returncode == 0
    for command in ("chat", "demo", "serve"):
        assert command in done.stdout
