"""Citizen filters on every report: a filtered report counts exactly the citizens the filter keeps.

The population below is built so that each citizen's filters are known by construction (the
`KEPT` table). A filtered report must equal the same report after every other citizen, and all
work logged without a citizen, has been erased.
"""

from __future__ import annotations

import json
from datetime import date as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.app import Rampe
from bot.cli import main
from kernel.i18n import t
from kernel.vocabulary import Role
from reports.catalogue import REPORTS, ReportRequest, build_report
from reports.filters import FILTERS, SHOWN_FILTERS, WORDS, citizen_filter, filter_definitions
from reports.periods import Period
from reports.scope import ReportScope, scope_citizen_ids
from reports.table import ReportTable
from store import course
from store.erasure import erase_citizen
from store.models import Citizen, Contact
from tests import support_reports as build
from tests.conftest import Chat
from tests.support_health import audit_since, last_audit_id

PERIOD = Period("range", D(2026, 1, 1), D(2026, 9, 30))
TODAY = build.NOW.date()  # 23/11/2026, after the period
# Which filters each citizen passes in PERIOD, by construction.
KEPT: dict[str, set[str]] = {
    "Alma Andersen": {"referred", "started", "ended", "praktik", "employed_at_start"},
    "Bent Berg": {"ended", "praktik"},  # referred and started 2025, moved away 1/3
    "Carl Clausen": {"referred", "started", "praktik", "employed_at_start"},
    "Dora Dahl": {"referred"},  # never started
    "Erik Eng": set(),  # started 2025, a job since 2025, not employed at start
    "Frida Fog": {"started", "employed_at_start"},  # her praktik starts after the period
    "Gorm Gade": {"employed_at_start"},  # referred after the period
    "Hanne Holm": {"referred", "started"},  # ended after the period; employed at start unknown
}


def _population(app: Rampe) -> None:
    """Eight citizens of team Nord, their courses, contacts, WHO-5, and one company call."""
    with app.unit_of_work() as s:
        anna = build.staff(s, "anna", Role.LEAD, team="Nord")
        bo = build.staff(s, "bo", team="Nord")
        where = build.company(s, anna)

        def person(name, owner, referred, started=None, employed=None, hours=None):  # type: ignore[no-untyped-def]
            made = build.citizen(s, owner, name, referred, started)
            if employed is not None:
                course.set_employed_at_start(s, made, employed, hours, build.NOW)
            build.contact(s, owner, made, "meeting", max(referred, D(2026, 1, 5)), 60)
            build.contact(s, owner, made, "phone", max(referred, D(2026, 6, 1)), 15, where=where)
            return made

        alma = person("Alma Andersen", anna, D(2026, 1, 10), D(2026, 2, 1), True, 10.0)
        build.placement(s, alma, where, D(2026, 3, 1), D(2026, 3, 31), reason="job")
        build.job(s, alma, where, "flex", D(2026, 4, 1))
        build.who5(s, alma, "start", 40, D(2026, 2, 1))
        build.who5(s, alma, "end", 60, D(2026, 9, 1))
        build.ended(s, alma, "flex_job", D(2026, 9, 1))
        bent = person("Bent Berg", anna, D(2025, 6, 1), D(2025, 7, 1), False)
        build.placement(s, bent, where, D(2025, 9, 1), D(2025, 10, 1))
        build.ended(s, bent, "moved", D(2026, 3, 1))
        carl = person("Carl Clausen", anna, D(2026, 2, 1), D(2026, 2, 5), True)
        build.placement(s, carl, where, D(2026, 5, 1))
        build.who5(s, carl, "start", 28, D(2026, 2, 5))
        person("Dora Dahl", anna, D(2026, 3, 1))
        erik = person("Erik Eng", bo, D(2025, 3, 1), D(2025, 4, 1), False)
        build.job(s, erik, where, "ordinary", D(2025, 6, 1))
        frida = person("Frida Fog", bo, D(2025, 11, 1), D(2026, 1, 15), True, 5.0)
        build.placement(s, frida, where, D(2026, 10, 5))
        person("Gorm Gade", bo, D(2026, 10, 1), D(2026, 10, 10), True)
        hanne = person("Hanne Holm", bo, D(2026, 4, 1), D(2026, 4, 15))
        build.ended(s, hanne, "interrupted", D(2026, 11, 1))
        build.contact(
            s, anna, None, "phone", D(2026, 5, 4), 20, where=where
        )  # no citizen: no filter


def _tables(app: Rampe, kind: str | None) -> dict[str, ReportTable]:
    """Every report of the catalogue over PERIOD for the operator, filtered by `kind`."""

    def da(key: str, **params: object) -> str:
        return t("da", key, **params)

    chosen = citizen_filter([kind] if kind else [], PERIOD)
    with app.unit_of_work() as s:
        scope = ReportScope("all").with_filter(chosen)
        return {
            name: build_report(
                s, ReportRequest(name, scope, PERIOD, build.NOW, TODAY, app.settings), da
            )
            for name in REPORTS
        }


def _keep_only(session: Session, names: set[str]) -> None:
    """Erase every other citizen and all work logged without a citizen."""
    for person in list(session.scalars(select(Citizen))):
        if person.full_name not in names:
            erase_citizen(
                session, person, now=build.NOW, staff_id=None, platform="cli", reason="test"
            )
    session.execute(delete(Contact).where(Contact.citizen_id.is_(None)))


@pytest.mark.parametrize("kind", FILTERS)
def test_every_report_filtered_equals_the_kept_citizens_alone(app: Rampe, kind: str) -> None:
    _population(app)
    kept = {name for name, passes in KEPT.items() if kind in passes}
    with app.unit_of_work() as s:
        ids = scope_citizen_ids(s, ReportScope("all").with_filter(citizen_filter([kind], PERIOD)))
        got = set(s.scalars(select(Citizen.full_name).where(Citizen.id.in_(ids))))
    assert got == kept
    filtered = _tables(app, kind)
    with app.unit_of_work() as s:
        _keep_only(s, kept)
    alone = _tables(app, None)
    applied = filter_definitions(citizen_filter([kind], PERIOD), lambda k, **p: t("da", k, **p))
    assert applied and ("30/9/2026" in applied[0][1]) == (kind != "employed_at_start")
    for name in REPORTS:
        assert filtered[name].columns == alone[name].columns, name
        assert filtered[name].rows == alone[name].rows, name
        assert filtered[name].handles == alone[name].handles, name
        assert filtered[name].definitions == alone[name].definitions + applied, name
        assert t("da", f"filter.name.{kind}") in filtered[name].title, name
    # The populations differ, so a filter that did nothing would have failed above; and the
    # cut-off report counts the kept citizens referred by its date (Gorm came after it).
    total = filtered["cutoff"].rows[-1]
    assert total[1] == len(kept - {"Gorm Gade"}), total


def test_the_unfiltered_reports_differ_from_every_filtered_one(app: Rampe) -> None:
    _population(app)
    everyone = _tables(app, None)
    for kind in FILTERS:
        filtered = _tables(app, kind)
        differs = [n for n in REPORTS if filtered[n].rows != everyone[n].rows]
        assert {"cutoff", "status", "activity", "durations"} <= set(differs), kind


JOBRATE = {  # ended in PERIOD: Alma (fleksjob) and Bent (moved away)
    "": "1 af 2 = 50%",
    "henvist": "1 af 1 = 100%",
    "startet": "1 af 1 = 100%",
    "afsluttet": "1 af 2 = 50%",
    "praktik": "1 af 2 = 50%",
    "ansat-ved-start": "1 af 1 = 100%",
}


@pytest.mark.parametrize(("word", "rate"), JOBRATE.items())
def test_jobrate_in_the_chat_with_a_filter(app: Rampe, chat: Chat, word: str, rate: str) -> None:
    _population(app)
    reply = chat(f"/jobrate 1/1/2026-30/9/2026 team {word}".strip())
    assert f"Jobrate     {rate}" in reply, reply
    assert ("Filter: Kun borgere" in reply) == bool(word)


def test_status_caseload_and_now_in_the_chat(app: Rampe, chat: Chat) -> None:
    _population(app)
    status = chat("/status 1/1/2026-30/9/2026 team henvist")
    assert "Nye henvisninger           4" in status  # Alma, Carl, Dora, Hanne
    assert "kun henvist" in status and "Filter: Kun borgere henvist 1/1/2026–30/9/2026" in status
    everyone = chat("/status 1/1/2026-30/9/2026 team")
    assert "Nye henvisninger           4" in everyone  # the same: all of them were referred
    assert "Virksomhedskontakter       8" in everyone  # 7 with a citizen, 1 without
    assert "Virksomhedskontakter       4" in status  # the call without a citizen is nobody's
    ended_now = chat("/status nu team afsluttet 1/1/2026-30/9/2026")
    assert "passer ikke her" in ended_now  # /status nu takes no period
    now = chat("/status nu team ansat-ved-start")  # Alma, Carl, Frida, Gorm
    assert "I forløb                 3" in now and "Afsluttede forløb        1" in now
    caseload = chat("/caseload team praktik 1/1/2026-30/9/2026")
    assert "Anna  1 aktive" in caseload  # Carl (Alma and Bent ended)
    assert "Bo" not in caseload.split("Aktive:")[0]  # Frida's praktik comes after the period
    assert "Filter: Kun borgere der har haft en praktik, som startede senest 30/9/2026" in caseload
    before = last_audit_id(app)
    mine = chat("/caseload ansat-ved-start")
    reads = [e.detail for e in audit_since(app, before) if e.entity == "report"]
    assert reads == ["caseload own filter:employed_at_start"]
    assert "Carl Clausen" in mine and "Dora Dahl" not in mine
    assert "Dine aktive borgere (1)" in mine
    assert "Ingen af dine aktive borgere" in chat("/caseload afsluttet")


@pytest.mark.parametrize("name", REPORTS)
def test_every_named_report_takes_a_filter_in_the_chat(app: Rampe, chat: Chat, name: str) -> None:
    _population(app)
    danish = chat(f"/rapport {name} 1/1/2026-30/9/2026 team henvist ansat-ved-start")
    assert "kun henvist + ansat-ved-start" in danish, danish
    assert "Filter: Kun borgere henvist 1/1/2026–30/9/2026 og der var i et job" in danish
    chat("/sprog en")
    english = chat(f"/report {name} 1/1/2026-30/9/2026 team referred employed-at-start")
    assert "only referred + employed-at-start" in english, english
    assert "Filter: Only citizens referred 1/1/2026–30/9/2026 and who were in a job" in english


def test_cli_report_with_filters(app: Rampe, tmp_path: Path) -> None:
    _population(app)
    runner = CliRunner()
    env = {"RAMPE_DATABASE_URL": app.settings.database_url}

    def cutoff_total(*filters: str) -> int:
        args = ["report", "statusdato", "--from", "2026-01-01", "--to", "2026-09-30",
                "--format", "json", "--as-of", "2026-11-23"]  # fmt: skip
        for word in filters:
            args += ["--filter", word]
        result = runner.invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert ("Filter" in dict(data["definitions"])) == bool(filters)
        return int(data["rows"][-1][1])

    assert cutoff_total() == 7  # all but Gorm, referred after the cut-off
    assert cutoff_total("henvist") == 4
    assert cutoff_total("started") == 4  # English names too
    assert cutoff_total("afsluttet") == 2
    assert cutoff_total("had-praktik") == 3
    assert cutoff_total("ansat-ved-start") == 3
    assert cutoff_total("henvist", "ansat-ved-start") == 2  # Alma and Carl: both must hold
    bad = runner.invoke(main, ["report", "status", "--filter", "ansat"], env=env)
    assert bad.exit_code != 0
    assert "»ansat« er ikke et filter. Skriv henvist, startet, afsluttet" in bad.output


def test_a_wrong_filter_word_says_what_to_type(app: Rampe, chat: Chat) -> None:
    _population(app)
    for typed in ("/status år henvst", "/jobrate år filter:ansat", "/rapport pris år ansat",
                  "/caseload kun:praktikk"):  # fmt: skip
        reply = chat(typed)
        assert "er ikke et filter. Skriv henvist, startet, afsluttet, praktik eller " \
               "ansat-ved-start" in reply, typed  # fmt: skip
    assert "eller et filter (henvist, startet" in chat("/status år blabla")
    chat("/sprog en")
    reply = chat("/status year employd-at-start")
    assert "is not a filter. Type referred, started, ended, had-praktik or employed-at-start" in (
        reply
    )


def test_filter_names_agree_across_help_cli_readme_and_refusals(chat: Chat) -> None:
    help_text = chat("/hjælp rapport")
    english_help = t("en", "help.rapport")
    cli = " ".join(CliRunner().invoke(main, ["report", "--help"]).output.split())
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert len(SHOWN_FILTERS) == len(FILTERS)
    for (danish, english), kind in zip(SHOWN_FILTERS, FILTERS, strict=True):
        assert WORDS[danish] == WORDS[english] == kind
        assert t("da", f"filter.name.{kind}") == danish
        assert t("en", f"filter.name.{kind}") == english
        assert f"{danish} ({english})" in cli, danish
        assert danish in help_text and english in english_help, danish
        assert f"`{danish}`" in readme and f"`{english}`" in readme, danish
        for key in ("error.report_filter", "error.report_word", "usage.rapport", "usage.status"):
            assert danish in t("da", key) and english in t("en", key), (key, danish)
