"""The command table: each row's names, parser, handler, examples (da, en) and policy flags.

Help, "did you mean", Slack's slash commands and Teams' command menu are generated from it;
the dispatcher reads from it which commands reconcile follow-ups and which open a form bare.
"""

from __future__ import annotations

from functools import cache

from bot import help
from bot.commands import CommandTable, TableBuilder
from bot.context import Ctx
from bot.core import Reply
from bot.forms import JOB_FORM, LOG_FORM, PRAKTIK_FORM, bare_start
from bot.handlers import (
    absence,  # Follow-ups
    admin,
    caseload,
    citizen,
    close,
    company,
    followup,  # Follow-ups
    job,
    language,
    log,
    measure,
    now,  # Reports
    praktik,
    undo,
)

# --- Reports ---
from bot.handlers import status as report_commands


@cache
def build_table() -> CommandTable:
    """The full command table, built once."""
    b = TableBuilder()

    def show_help(ctx: Ctx, args: help.HelpArgs) -> Reply:
        return help.help_reply(table, ctx, args)

    # fmt: off
    b.add(
        "log", "log", log.parse, log.handle,
        examples=(
            "/log mette tlf i går 20m aftalte praktikbesøg",
            "/log søren møde 1t30 @bilka første møde på arbejdspladsen",
            "/log @bilka tlf opfølgning med Lone",
        ),
        examples_en=(
            "/log mette phone yesterday 20m agreed on a placement visit",
            "/log søren meeting 1h30 @bilka first meeting at the workplace",
            "/log @bilka phone follow-up with Lone",
        ),
        aliases=("l",), refreshes=True, form=LOG_FORM,
    )
    b.add(
        "borger", "citizen", citizen.parse, citizen.handle,
        examples=(
            "/borger ny Mette Hansen kommune:Silkeborg henvist:1/9",
            "/borger mette",
            "/borger mette start 3/9",
            "/borger mette start 3/9 ansat 10 t/uge",
            "/borger mette ansat-ved-start nej",
            "/borger mette pause til 1/12 indlagt",
            "/borger mette pause syg i 2 uger",
            "/borger mette genoptag",
            "/borger mette overdrag @anna",
            "/borger mette sagsnr 12345",
            "/borger sagsnr 12345",
        ),
        examples_en=(
            "/citizen new Mette Hansen municipality:Silkeborg referred:1/9",
            "/citizen mette",
            "/citizen mette start 3/9",
            "/citizen mette start 3/9 employed 10 h/week",
            "/citizen mette employed-at-start no",
            "/citizen mette pause until 1/12 in hospital",
            "/citizen mette pause sick for 2 weeks",
            "/citizen mette resume",
            "/citizen mette handover @anna",
            "/citizen mette caseno 12345",
            "/citizen caseno 12345",
        ),
        refreshes=True,
    )
    b.add(
        "virksomhed", "company", company.parse, company.handle,
        examples=("/virksomhed ny Bilka Tilst kontakt: Lone 12345678", "/virksomhed bilka"),
        examples_en=("/company new Bilka Tilst contact: Lone 12345678", "/company bilka"),
    )
    b.add(
        "praktik", "placement", praktik.parse, praktik.handle,
        examples=(
            "/praktik mette start @bilka fra 1/12 8 uger 10 t/uge",
            "/praktik mette timer 15",
            "/praktik mette forlæng 4 uger",
            "/praktik mette slut job",
        ),
        examples_en=(
            "/placement mette start @bilka from 1/12 8 weeks 10 h/week",
            "/placement mette hours 15",
            "/placement mette extend 4 weeks",
            "/placement mette end job",
        ),
        refreshes=True, form=PRAKTIK_FORM, bare=bare_start(praktik.ACTIONS),
    )
    b.add(
        "job", "job", job.parse, job.handle,
        examples=(
            "/job mette start @bilka fleksjob 12 t/uge fra 1/12",
            "/job mette timer 15",
            "/job mette slut",
        ),
        examples_en=(
            "/job mette start @bilka flexjob 12 h/week from 1/12",
            "/job mette hours 15",
            "/job mette end",
        ),
        refreshes=True, form=JOB_FORM, bare=bare_start(job.ACTIONS),
    )
    b.add(
        "afslut", "close", close.parse, close.handle,
        examples=("/afslut mette fleksjob", "/afslut søren førtidspension 30/11"),
        examples_en=("/close mette flexjob", "/close søren disability-pension 30/11"),
        refreshes=True,
    )
    b.add(
        "måling", "measure", measure.parse, measure.handle,
        examples=("/måling mette who5 64 start", "/måling mette who5 3 4 2 3 4 slut"),
        examples_en=("/measure mette who5 64 start", "/measure mette who5 3 4 2 3 4 end"),
        aliases=("maaling", "maling"), refreshes=True,
    )
    b.add(
        "fortryd", "undo", undo.parse, undo.handle, examples=("/fortryd",),
        examples_en=("/undo",), records=False, refreshes=True,
    )
    b.add(
        "caseload", "caseload", caseload.parse, caseload.handle,
        examples=("/caseload", "/caseload team henvist kvartal"),
        examples_en=("/caseload", "/caseload team referred quarter"), records=False,
    )
    b.add(
        "hjælp", "help", help.parse, show_help, examples=("/hjælp", "/hjælp log"),
        examples_en=("/help", "/help log"), aliases=("hjaelp", "hjalp", "?"), records=False,
    )
    b.add(
        "sprog", "language", language.parse, language.handle,
        examples=("/sprog en", "/language da"), examples_en=("/language en", "/language da"),
        records=False, menu=False,
    )
    # --- Health data ---
    b.add(
        "rolle", "role", admin.parse_role, admin.handle_role,
        examples=("/rolle @anna teamleder", "/role @bo contact"),
        examples_en=("/role @anna lead", "/role @bo contact"), records=False, menu=False,
    )
    b.add(
        "team", "team", admin.parse_team, admin.handle_team,
        examples=("/team ny Team Nord deler", "/team Team Nord tilføj @anna", "/team"),
        examples_en=("/team new Team Nord shared", "/team Team Nord add @anna", "/team"),
        records=False, menu=False,
    )
    # --- Follow-ups ---
    b.add(
        "opfølgning", "due", followup.parse, followup.handle,
        examples=(
            "/opfølgning",
            "/opfølgning udsæt 42 1u",
            "/opfølgning udført 42",
            "/opfølgning irrelevant 42",
        ),
        examples_en=("/due", "/due snooze 42 1w", "/due done 42", "/due dismiss 42"),
        aliases=("opfolgning", "followup", "follow-up"),
    )
    b.add(
        "påmind", "remind", followup.parse_remind, followup.handle_remind,
        examples=("/påmind mette om 2 uger ring om praktikken", "/påmind @bilka 1/12 tilbud"),
        examples_en=(
            "/remind mette in 2 weeks call about the placement", "/remind @bilka 1/12 offer"
        ),
        aliases=("pamind", "paamind"),
    )
    b.add(
        "fravær", "absence", absence.parse, absence.handle,
        examples=("/fravær 1/7-21/7 @bo", "/fravær slet"),
        examples_en=("/absence 1/7-21/7 @bo", "/absence delete"),
        aliases=("fravaer", "fravar"), records=False,
    )
    # --- Reports ---
    b.add(
        "status", "status", now.parse, now.handle,
        examples=("/status uge", "/status måned team", "/status kvartal @anna",
                  "/status 1/9-30/11 kommune:Silkeborg", "/status nu", "/status nu team borgere"),
        examples_en=("/status week", "/status month team", "/status quarter @anna",
                     "/status 1/9-30/11 municipality:Silkeborg", "/status now",
                     "/status now team citizens"),
        aliases=("statustal",),  # /status is Slack's own: Slack users type /statustal
        records=False,
    )
    b.add(
        "jobrate", "jobrate", report_commands.parse_jobrate, report_commands.handle_jobrate,
        examples=("/jobrate år", "/jobrate kvartal team", "/jobrate år kommune",
                  "/jobrate år pr. 30/6", "/jobrate år team praktik"),
        examples_en=("/jobrate year", "/jobrate quarter team", "/jobrate year municipality",
                     "/jobrate year as-of 30/6", "/jobrate year team had-praktik"),
        aliases=("jobrat", "jobprocent"), records=False,
    )
    b.add(
        "rapport", "report", report_commands.parse_report, report_commands.handle_report,
        examples=("/rapport forløbstid år", "/rapport jobrate år xlsx", "/rapport statusdato år",
                  "/rapport trivsel år png", "/rapport fidelitet kvartal team",
                  "/rapport aktivitet måned csv", "/rapport forløbstid år henvist ansat-ved-start"),
        examples_en=("/report durations year", "/report jobrate year xlsx", "/report cutoff year",
                     "/report who5 year png", "/report fidelity quarter team",
                     "/report activity month csv",
                     "/report durations year referred employed-at-start"),
        records=False,
    )
    # fmt: on
    table = b.table()
    return table
