"""The `rampe` command: local chat by default, the server when Slack or Teams is configured."""

from __future__ import annotations

import getpass
import json
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from kernel.settings import Settings, load_settings

GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _settings() -> Settings:
    from bot.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        from store.db import SchemaBehind

        try:
            return super().invoke(ctx)
        except SchemaBehind as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=_Group, invoke_without_command=True)
@click.version_option(package_name="rampe", message="rampe %(version)s")
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
@click.option("--host", default=None, help="Address to listen on (default: RAMPE_HOST).")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default: RAMPE_PORT).")  # fmt: skip
@click.option("--at", "at", default=None,
              help="Start the clock at this moment and let it run (a rehearsal).")  # fmt: skip
def serve(host: str | None, port: int | None, at: str | None) -> None:
    """Run the web server for Slack and Teams (and the follow-up scheduler)."""
    from bot.app import Rampe
    from bot.platforms.server import run_server
    from kernel.clock import RunningClock

    settings = _settings()
    address = {"host": host, "port": port}
    settings = settings.model_copy(update={k: v for k, v in address.items() if v is not None})
    moment = _moment(at, settings.timezone)
    try:
        run_server(Rampe(settings, clock=RunningClock(moment)) if moment else Rampe(settings))
    except RuntimeError as err:  # a configuration the server refuses to run with
        raise click.ClickException(str(err)) from None


@main.command()
def migrate() -> None:
    """Upgrade the database schema to the newest migration (safe to run from several places)."""
    from store.db import make_engine, schema_revision, upgrade_schema

    engine = make_engine(_settings().database_url)
    try:
        upgrade_schema(engine)
        current, _head = schema_revision(engine)
    finally:
        engine.dispose()
    click.echo(f"The database is at the newest migration ({current}).")


# --- Teams ---
@main.command("teams-package")
@click.option("--out", default="rampe-teams.zip", show_default=True, help="Where to write the zip.")
@click.option("--app-id", default=None, help="The bot's Microsoft app id (MICROSOFT_APP_ID).")
@click.option(
    "--website",
    default="https://example.org/rampe",
    show_default=True,
    help="Your programme's web page (https); Teams shows it as website, privacy and terms.",
)
def teams_package(out: str, app_id: str | None, website: str) -> None:
    """Write the Teams app package (manifest and icons) to upload in Teams."""
    from pathlib import Path

    from bot.platforms.teams_package import write_package
    from bot.registry import build_table

    app_id = app_id or _settings().microsoft_app_id
    if not app_id:
        raise click.UsageError("Set MICROSOFT_APP_ID (or pass --app-id): the manifest needs it.")
    if not GUID.fullmatch(app_id):
        raise click.UsageError(
            f"{app_id!r} is not a Microsoft app id: Teams wants the GUID from the Azure Bot's "
            "Configuration page, like 00000000-0000-0000-0000-000000000000."
        )
    if not website.startswith("https://"):
        raise click.UsageError("--website must be an https:// address.")
    path = write_package(Path(out), build_table(), app_id, website)
    click.echo(f"Wrote {path}: upload it in Teams under Apps > Manage your apps > Upload an app.")


# --- Slack ---
@main.command("slack-manifest")
@click.option("--url", default=None, help="Public base URL of `rampe serve` (https://...).")
@click.option("--out", default="slack/manifest.yml", show_default=True, help="Where to write.")
def slack_manifest(url: str | None, out: str) -> None:
    """Write the Slack app manifest (commands from the command table) for "Create an app"."""
    from pathlib import Path

    from bot.platforms.slack_manifest import DEFAULT_URL, manifest_text
    from bot.registry import build_table

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(manifest_text(build_table(), url or DEFAULT_URL), encoding="utf-8")
    click.echo(f"Wrote {path}")


# --- Health data ---
def _health_app() -> Any:
    from bot.app import Rampe

    return Rampe(_settings())


def _run_health(call: Callable[[], object]) -> None:
    from bot.health_cli import NotFound
    from store.crypto import KeyMissing

    try:
        call()
    except (NotFound, ValueError, KeyMissing) as err:
        raise click.ClickException(str(err)) from None


@main.command("audit")
@click.option("--citizen", "citizen", default=None, help="A citizen's handle, e.g. MH-0042.")
@click.option("--user", default=None, help="A staff member's name or platform user id.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def audit_command(citizen: str | None, user: str | None, since: Any, fmt: str) -> None:
    """Show who read or changed what, when and from where."""
    from bot.health_cli import show_audit

    day = since.date() if since else None
    _run_health(
        lambda: show_audit(
            _health_app(), click.echo, citizen=citizen, user=user, since=day, fmt=fmt
        )
    )


@main.command()
@click.argument("handle")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(handle: str, yes: bool) -> None:
    """Erase one citizen completely (GDPR art. 17), leaving a tombstone in the audit."""
    from bot.health_cli import erase as erase_one

    if not yes:
        click.confirm(
            f"Erase {handle} and everything about them? This cannot be undone", abort=True
        )
    _run_health(lambda: erase_one(_health_app(), click.echo, handle))


@main.command("export-citizen")
@click.argument("handle")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE.")
def export_citizen(handle: str, out: str | None) -> None:
    """Write all data about one citizen, with the access log, as JSON (GDPR art. 15)."""
    from bot.health_cli import export_citizen as export_one

    def run() -> None:
        document = export_one(_health_app(), handle)
        if out is None:
            click.echo(document)
        else:
            with open(out, "w", encoding="utf-8") as f:
                f.write(document + "\n")

    _run_health(run)


@main.command()
def scrub() -> None:
    """Rewrite the database files (and statistics) so no erased value stays in them."""
    from store.erasure import scrub_file

    if not scrub_file(_health_app().engine):
        raise click.ClickException("a long transaction still holds old rows: try again later")
    click.echo("The database files hold no erased rows.")


@main.command()
@click.option("--dry-run", is_flag=True, help="Only list what would be erased.")
def retention(dry_run: bool) -> None:
    """Erase courses that ended longer ago than RAMPE_RETENTION_MONTHS."""
    from bot.health_cli import retention as run_retention

    _run_health(lambda: run_retention(_health_app(), click.echo, dry_run=dry_run))


@main.command("rotate-key")
@click.option("--new-key", required=True, help="The new Fernet key.")
@click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
def rotate_key(new_key: str, batch: int) -> None:
    """Re-encrypt every note under a new key; old keys in RAMPE_ENCRYPTION_KEY still decrypt."""
    from bot.health_cli import rotate_key as rotate

    _run_health(lambda: rotate(_health_app(), click.echo, new_key, batch=batch))


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
        click.echo(f"{row['to']}  ({row['key']}, {row['platform']})")
        for item in row["items"]:
            click.echo(f"  #{item['id']:<6} {item['due']}  {item['what']}: {item['about']}")
        if not row["items"]:  # a status message or a catch-up: its text is the content
            click.echo("  " + row["text"].replace("\n", "\n  "))
    if not rows:
        click.echo("-")


@main.command()
@click.option("--once", is_flag=True, help="Run one sweep and exit.")
@click.option("--at", "at", default=None, help="With --once: sweep as if it were this moment.")
def scheduler(once: bool, at: str | None) -> None:
    """Run the follow-up scheduler alone (several may share one PostgreSQL database)."""
    import asyncio

    from bot.app import Rampe
    from bot.platforms.server import platform_senders
    from bot.scheduler.runner import build_scheduler, sweep
    from kernel.clock import FixedClock

    settings = _settings()
    moment = _moment(at, settings.timezone)
    rampe = Rampe(settings, clock=FixedClock(moment)) if moment else Rampe(settings)
    senders = platform_senders(rampe)
    if once:
        report = asyncio.run(sweep(rampe, senders))
        click.echo(
            f"{report.offered} offered, {report.obsoleted} obsolete, {report.delivery.sent} sent "
            f"({report.delivery.items} items), {report.delivery.failed} failed"
        )
        return
    build_scheduler(rampe, senders, blocking=True).start()


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
@click.option(
    "--filter", "filters", multiple=True, metavar="FILTER",
    help="Only the citizens a filter keeps (repeat it for several; all must hold).",
)  # fmt: skip
def report(
    name: str, start: str | None, end: str | None, team: str | None,
    municipality: str | None, fmt: str, out: str | None, as_of: str | None,
    filters: tuple[str, ...],
) -> None:  # fmt: skip
    """A report by its Danish (English) name.

    status, jobrate, caseload, statusdato (cutoff), udfald (outcomes), trivsel (who5),
    aktivitet (activity), pris (cost), måltal (targets), forløbstid (durations), timer (hours),
    intensitet (intensity), borgere (citizens), fidelitet (fidelity),
    trivselsforløb (who5points).

    Filters, on every report: henvist (referred), startet (started), afsluttet (ended) in the
    period; praktik (had-praktik): a praktik started by the period's end;
    ansat-ved-start (employed-at-start): in a job when the course started.
    """
    from bot.app import Rampe
    from bot.report_cli import cli_period, run_report
    from kernel.errors import UserError
    from kernel.i18n import t

    settings = _settings()
    app = Rampe(settings)
    now = app.clock()
    today = _day(as_of) or now.astimezone(ZoneInfo(settings.timezone)).date()
    try:
        period = cli_period(_day(start), _day(end), today).until(_day(as_of))
        with app.unit_of_work() as session:
            file_name, _mime, data = run_report(
                session, settings, name, period, now, today, fmt, team, municipality, filters
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
    from bot.sheets import InvalidFile
    from bot.transfer import import_file, total_rows, write_template
    from kernel.i18n import t
    from store.handles import handle_draw

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
            draw = handle_draw(app.settings.handle_order, session)
            counts = import_file(session, file, app.clock(), bar.update, draw)
    except InvalidFile as err:
        for problem in err.problems:
            click.echo(_problem_text(lang, problem), err=True)
        raise click.ClickException(t(lang, "import.failed", count=len(err.problems))) from None
    click.echo(t(lang, "import.done", summary=_summary(counts)))


def _problem_text(lang: str, problem: Any) -> str:
    from kernel.i18n import t

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
    from bot.transfer import audit_export, export_rows, write_workbook
    from kernel.i18n import t

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
