"""A PostgreSQL cluster of a test's own, on a free loopback port, that the test stops and starts.

The server binaries come from the machine's PostgreSQL installation (`/usr/lib/postgresql/*/bin`
or `pg_ctl` on PATH). The server refuses to run as root, so as root it runs as `postgres`.
Without the binaries the test is skipped, and under CI (`CI=true`) it fails.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest


def server_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, newest version first; None without them."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    on_path = shutil.which("pg_ctl")
    for candidate in [*found, *([on_path] if on_path else [])]:
        folder = Path(candidate).parent
        if (folder / "initdb").exists():
            return folder
    return None


def require_server_binaries() -> Path:
    """The binaries' directory, or skip (fail under CI) with what is missing."""
    folder = server_binaries()
    if folder is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found: outage test skipped"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One initdb'd data directory and the server on it."""

    def __init__(self, binaries: Path, root: Path) -> None:
        self.binaries = binaries
        self.data = root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's `postgres` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        # The server started by pg_ctl keeps no pipe of ours open: its output goes to a log file.
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
        )

    def init(self) -> None:
        """Create the data directory (trust auth on loopback, no fsync: it is thrown away)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -k {self.data}"
        log = str(self.data.parent / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self) -> None:
        """Stop the server at once (clients are cut off, as in an outage)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A started cluster of this test's own, stopped and removed afterwards."""
    binaries = require_server_binaries()
    root = Path(tempfile.mkdtemp(prefix="rampe-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        cluster = Cluster(binaries, root)
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            with suppress(subprocess.CalledProcessError):  # already stopped by the test
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
