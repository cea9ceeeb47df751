"""The local chat: the same bot in a terminal, or one command per line from a pipe."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.app import Rampe
from bot.core import Inbound, Platform, Reply
from bot.people import WaitingProblem, language_or_default, waiting_or_problem
from kernel.i18n import t


def console_inbound(user: str, text: str) -> Inbound:
    """A console message from `user`."""
    return Inbound(platform=Platform.CONSOLE, user_id=user, text=text, display_name=user)


def render(reply: Reply) -> str:
    """The console shows the plain-text form of a reply."""
    return reply.as_text()


def save_files(reply: Reply, out_dir: Path) -> list[Path]:
    """Write a reply's files (reports, charts) into `out_dir`; returns their paths."""
    paths = []
    for attachment in reply.files:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / Path(attachment.name).name  # never a path from elsewhere
        path.write_bytes(attachment.data)
        paths.append(path)
    return paths


def run_console(
    app: Rampe,
    user: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    interactive: bool | None = None,
) -> int:
    """Chat until end of input. Interactive on a terminal; otherwise one reply per line read."""
    if interactive is None:
        interactive = stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):  # line editing and history for input()
            import readline  # noqa: F401
        welcome = t(_language(app, user), "console.welcome", user=user, db=_db_label(app))
        stdout.write(welcome + "\n")
    told: set[str] = set()  # each problem with the waiting messages is told once per chat
    _show_waiting(app, user, stdout, told)
    while True:
        try:
            line = input("rampe> ") if interactive else stdin.readline()
        except (EOFError, KeyboardInterrupt):
            stdout.write("\n")
            return 0
        if not interactive and line == "":
            return 0
        line = line.rstrip("\n")
        if line.strip().casefold() in {"/quit", "/exit", "/afslut-chat", "quit", "exit"}:
            return 0
        if not line.strip():
            continue
        reply = app.receive(console_inbound(user, line))
        if reply is None:
            continue
        stdout.write(render(reply) + "\n")
        saved = save_files(reply, Path(app.settings.report_out_dir))
        if saved:  # in the language the reply came in (`/sprog en` changes it mid-chat)
            lang = _language(app, user)
            stdout.writelines(t(lang, "report.file_written", path=path) + "\n" for path in saved)
        if not interactive:
            stdout.write("\n")
        _show_waiting(app, user, stdout, told)
        stdout.flush()


def waiting_messages(app: Rampe, user: str) -> list[str]:
    """Messages the scheduler left for `user` in the outbox, marked read as they are taken."""
    found = waiting_or_problem(app, console_inbound(user, ""))
    return [] if isinstance(found, WaitingProblem) else found


def _show_waiting(app: Rampe, user: str, stdout: TextIO, told: set[str]) -> None:
    """Show the waiting messages; a database away or a key that does not fit never ends the chat."""
    messages = waiting_or_problem(app, console_inbound(user, ""))
    if isinstance(messages, WaitingProblem):
        return _tell_once(app, messages.value, stdout, told)
    told.discard("console.waiting_unavailable")  # the database is back: tell again next time
    if messages:
        header = t(_language(app, user), "console.waiting", count=len(messages))
        stdout.write("\n\n".join([header, *messages]) + "\n\n")


def _language(app: Rampe, user: str) -> str:
    """The person's language; the install's while the database cannot say."""
    return language_or_default(app, console_inbound(user, ""))


def _tell_once(app: Rampe, key: str, stdout: TextIO, told: set[str]) -> None:
    if key not in told:
        told.add(key)
        stdout.write(t(app.settings.language, key) + "\n\n")


def _db_label(app: Rampe) -> str:
    url = app.engine.url
    return (
        f"{url.get_backend_name()}:{url.database}" if url.database else str(url.get_backend_name())
    )
