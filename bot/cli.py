"""The `rampe` command: local chat by default, the server when Slack or Teams is configured."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.settings import Settings, load_settings


def _settings() -> Settings:
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    # Bolt logs whole request bodies when a signature fails; bodies hold names and notes.
    for noisy in ("slack_bolt", "slack_sdk", "botbuilder", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    return settings


@click.group(invoke_without_command=True)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Rampe: follow-ups and figures for supported-employment programmes.

    With nothing configured, `rampe` opens a local chat on an embedded SQLite database.
    """
    if ctx.invoked_subcommand is None:
        settings = _settings()
        if settings.slack_configured or settings.teams_configured:
            ctx.invoke(serve)
            return
        ctx.invoke(chat)


@main.command()
@click.option("--as", "user", default=None, help="Your name in the local chat.")
def chat(user: str | None) -> None:
    """Chat with Rampe in this terminal (or pipe in one command per line)."""
    from bot.app import Rampe
    from bot.platforms.console import run_console

    settings = _settings()
    app = Rampe(settings)
    sys.exit(run_console(app, user or _local_user()))


@main.command()
@click.option("--seed", default=7, show_default=True, help="Random seed for the fictional data.")
@click.option("--as", "user", default=None, help="Your name: you get a caseload of your own.")
def demo(seed: int, user: str | None) -> None:
    """Fill the database with a believable fictional programme."""
    from bot.app import Rampe
    from bot.demo import fill_demo

    settings = _settings()
    app = Rampe(settings)
    with app.unit_of_work() as session:
        summary = fill_demo(
            session,
            app.clock(),
            seed=seed,
            me=user or _local_user(),
            progress=lambda msg: click.echo(msg, err=True),
        )
    click.echo(summary)


@main.command()
def serve() -> None:
    """Run the web server for Slack and Teams (and the follow-up scheduler)."""
    from bot.app import Rampe
    from bot.platforms.server import run_server

    settings = _settings()
    run_server(Rampe(settings))


# --- Follow-ups ---


def _moment(value: str | None, timezone: str) -> datetime | None:
    """`2026-06-01T08:30` in the programme's time zone (or with its own offset)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not a moment: {value!r} (e.g. 2026-06-01T08:30)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


@main.command()
@click.option("--at", "at", required=True, help="The moment, e.g. 2026-06-01T08:30 (local time).")
@click.option("--as", "user", default=None, help="Only messages to this person.")
@click.option("--format", "form", type=click.Choice(["table", "json"]), default="table")
def due(at: str, user: str | None, form: str) -> None:
    """Show what the scheduler would deliver at a moment (nothing is sent or kept)."""
    from bot.app import Rampe
    from bot.scheduler.preview import preview

    settings = _settings()
    moment = _moment(at, settings.timezone)
    assert moment is not None
    rows = preview(Rampe(settings), moment, user)
    if form == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['to']}  ({row['key']})")
        for item in row["items"]:
            click.echo(f"  #{item['id']:<6} {item['due']}  {item['rule']:<16} {item['about']}")
    if not rows:
        click.echo("-")


@main.command()
@click.option("--once", is_flag=True, help="Run one sweep and exit.")
@click.option("--at", "at", default=None, help="With --once: sweep as if it were this moment.")
def scheduler(once: bool, at: str | None) -> None:
    """Run the follow-up scheduler alone (several may share one PostgreSQL database)."""
    import asyncio

    from bot.app import Rampe
    from bot.clock import FixedClock
    from bot.scheduler.runner import build_scheduler, default_senders, sweep

    settings = _settings()
    moment = _moment(at, settings.timezone)
    rampe = Rampe(settings, clock=FixedClock(moment)) if moment else Rampe(settings)
    senders = default_senders(rampe)
    if once:
        report = asyncio.run(sweep(rampe, senders))
        click.echo(
            f"{report.offered} offered, {report.obsoleted} obsolete, {report.delivery.sent} sent "
            f"({report.delivery.items} items), {report.delivery.failed} failed"
        )
        return
    build_scheduler(rampe, senders, blocking=True).start()


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


if __name__ == "__main__":  # pragma: no cover
    main()
