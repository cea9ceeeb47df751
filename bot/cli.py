"""The `rampe` command: local chat by default, the server when Slack or Teams is configured."""

from __future__ import annotations

import getpass
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any
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


# --- Reports ---


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from None


@main.command()
@click.argument("name")
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD (default: 1 January).")
@click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD (default: today).")
@click.option("--team", default=None, help="Only this team's citizens.")
@click.option("--municipality", default=None, help="Only citizens of this municipality.")
@click.option(
    "--format", "fmt", default="table", show_default=True,
    type=click.Choice(["table", "json", "csv", "xlsx", "png"]),
)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE.")
@click.option("--as-of", "as_of", default=None, help="Count as if today were YYYY-MM-DD.")
def report(
    name: str, start: str | None, end: str | None, team: str | None,
    municipality: str | None, fmt: str, out: str | None, as_of: str | None,
) -> None:  # fmt: skip
    """A report: status, jobrate, caseload, cutoff, outcomes, who5, activity, cost, targets."""
    from bot.app import Rampe
    from bot.core import UserError
    from bot.i18n import t
    from reports.commandline import cli_period, run_report

    settings = _settings()
    app = Rampe(settings)
    now = app.clock()
    today = _day(as_of) or now.astimezone(ZoneInfo(settings.timezone)).date()
    period = cli_period(_day(start), _day(end), today)
    try:
        with app.unit_of_work() as session:
            file_name, _mime, data = run_report(
                session, settings, name, period, now, today, fmt, team, municipality
            )
    except UserError as err:
        raise click.ClickException(t(settings.language, err.key, **err.params)) from None
    if out is None and fmt in ("table", "json", "csv"):
        click.echo(data.decode("utf-8"), nl=False)
        return
    path = Path(out or file_name)
    path.write_bytes(data)
    click.echo(str(path))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the documented template to this .xlsx file instead.")  # fmt: skip
def import_(file: Path | None, template: Path | None) -> None:
    """Load citizens, contacts, placements, jobs, outcomes and measurements (.xlsx or .csv).

    Every row is checked first; while any row is invalid, nothing is imported.
    """
    from bot.app import Rampe
    from bot.i18n import t
    from reports.sheets import InvalidFile
    from reports.transfer import import_file, total_rows, write_template

    settings = _settings()
    lang = settings.language
    if template is not None:
        write_template(template, lambda key, **p: t(lang, key, **p))
        click.echo(t(lang, "import.template_written", path=template))
        return
    if file is None or not file.exists():
        raise click.UsageError("give an .xlsx or .csv FILE (or --template FILE.xlsx)")
    app = Rampe(settings)
    try:
        bar = click.progressbar(length=total_rows(file), file=sys.stderr, label="import")
        with bar, app.unit_of_work() as session:
            counts = import_file(session, file, app.clock(), bar.update)
    except InvalidFile as err:
        for problem in err.problems:
            click.echo(_problem_text(lang, problem), err=True)
        raise click.ClickException(t(lang, "import.failed", count=len(err.problems))) from None
    click.echo(t(lang, "import.done", summary=_summary(counts)))


def _problem_text(lang: str, problem: Any) -> str:
    from bot.i18n import t

    message = t(lang, problem.key, **dict(problem.params))
    if problem.row == 0:
        return t(lang, "import.file_problem", sheet=problem.sheet, message=message)
    return t(lang, "import.problem", sheet=problem.sheet, row=problem.row,
             column=problem.column, message=message)  # fmt: skip


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items())


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(file: Path) -> None:
    """Write every registration to FILE.xlsx in the import layout."""
    from bot.app import Rampe
    from bot.i18n import t
    from reports.transfer import audit_export, export_rows, write_workbook

    settings = _settings()
    app = Rampe(settings)
    with app.unit_of_work() as session:
        rows = export_rows(session)
        total = sum(len(r) for r in rows.values())
        with click.progressbar(length=total, file=sys.stderr, label="export") as bar:
            write_workbook(file, rows, settings.language, bar.update)
        audit_export(session, app.clock())
    counts = {key: len(value) for key, value in rows.items()}
    click.echo(t(settings.language, "import.exported", path=file, summary=_summary(counts)))


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


if __name__ == "__main__":  # pragma: no cover
    main()
