"""The platforms' own validators (installed by `make test` into `validators/node_modules`).

One Node process per test session answers every request (`validators/validate.js`): Adaptive
Cards parsed and validated by Microsoft's `adaptivecards` with Teams' host limit of 6 actions,
the Teams manifest against the schema of its declared version (`@microsoft/app-manifest`),
and the Slack manifest and Block Kit payloads type-checked by `tsc` against `@slack/web-api`
and `@slack/types`. Without the install the tests that need it are skipped, and fail under CI.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "validators"
SCRIPT = TOOLS / "validate.js"
TEAMS_MAX_ACTIONS = 6
SlackPayload = tuple[str, str, Any]  # (name, "manifest" | "message" | "view" | "options", value)


def installed() -> bool:
    """True when Node and the validators' packages are there."""
    return shutil.which("node") is not None and (TOOLS / "node_modules" / ".installed").exists()


def require() -> None:
    """Skip (fail under CI) when the validators are not installed."""
    if installed():
        return
    message = "the platforms' validators are not installed: run `make validators` (needs npm)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class _Process:
    """The long-lived `node validate.js`: one JSON line in, one JSON line out."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            ["node", str(SCRIPT)],
            cwd=TOOLS,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        atexit.register(self.close)

    def ask(self, request: dict[str, Any]) -> Any:
        with self.lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the validator process stopped")
        answer = json.loads(line)
        if "failure" in answer:
            raise RuntimeError(answer["failure"])
        return answer["errors"]

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(30)


_process: _Process | None = None


def _validator() -> _Process:
    global _process
    if _process is None or _process.proc.poll() is not None:
        _process = _Process()
    return _process


def card_errors(
    cards: list[dict[str, Any]], max_actions: int = TEAMS_MAX_ACTIONS
) -> list[list[str]]:
    """For each card, what Microsoft's `adaptivecards` finds wrong with it (empty: valid)."""
    if not cards:
        return []
    errors: list[list[str]] = _validator().ask(
        {"kind": "cards", "cards": cards, "maxActions": max_actions}
    )
    return errors


def teams_manifest_errors(manifest: dict[str, Any]) -> list[str]:
    """What the schema of the manifest's own `manifestVersion` finds wrong with it."""
    errors: list[str] = _validator().ask({"kind": "teams-manifest", "manifest": manifest})
    return errors


def slack_type_errors(payloads: list[SlackPayload]) -> dict[str, list[str]]:
    """`tsc`'s errors per payload name: the manifest against `Manifest` of @slack/web-api,
    messages, views and option lists against @slack/types."""
    if not payloads:
        return {}
    request = [{"name": n, "type": kind, "value": value} for n, kind, value in payloads]
    errors: dict[str, list[str]] = _validator().ask({"kind": "slack", "payloads": request})
    return errors


def tsc(payloads: list[SlackPayload], work: Path) -> subprocess.CompletedProcess[str]:
    """Run the `tsc` command itself on the TypeScript that `slack_type_errors` checks (written
    to a folder under validators/, so `@slack/*` resolve); its exit code and output."""
    request = [{"name": n, "type": kind, "value": value} for n, kind, value in payloads]
    source: str = _validator().ask({"kind": "slack-source", "payloads": request})
    (work / "slack_payloads.ts").write_text(source, encoding="utf-8")
    config = {
        "compilerOptions": {"noEmit": True, "strict": True, "skipLibCheck": True, "types": [],
                            "target": "es2022", "module": "commonjs", "moduleResolution": "node10"},
        "files": ["slack_payloads.ts"],
    }  # fmt: skip
    (work / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    command = ["node", str(TOOLS / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "."]
    return subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
