"""The rows of the command table: Danish name, English name, parser, handler, examples (da, en)."""

from __future__ import annotations

from bot.commands import Command
from bot.handlers import (
    absence,  # Follow-ups
    admin,
    caseload,
    citizen,
    close,
    company,
    followup,  # Follow-ups
    help,
    job,
    log,
    measure,
    praktik,
    undo,
)

# --- Reports ---
from bot.handlers import status as report_commands

COMMANDS: list[Command] = [
    Command(
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
        aliases=("l",),
    ),
    Command(
        "borger", "citizen", citizen.parse, citizen.handle,
        examples=(
            "/borger ny Mette Hansen kommune:Silkeborg henvist:1/9",
            "/borger mette",
            "/borger mette start 3/9",
            "/borger mette pause til 1/12 indlagt",
            "/borger mette genoptag",
            "/borger mette overdrag @anna",
            "/borger mette sagsnr 12345",
            "/borger sagsnr 12345",
        ),
        examples_en=(
            "/citizen new Mette Hansen municipality:Silkeborg referred:1/9",
            "/citizen mette",
            "/citizen mette start 3/9",
            "/citizen mette pause until 1/12 in hospital",
            "/citizen mette resume",
            "/citizen mette handover @anna",
            "/citizen mette caseno 12345",
            "/citizen caseno 12345",
        ),
    ),
    Command(
        "virksomhed", "company", company.parse, company.handle,
        examples=("/virksomhed ny Bilka Tilst kontakt: Lone 12345678", "/virksomhed bilka"),
        examples_en=("/company new Bilka Tilst contact: Lone 12345678", "/company bilka"),
    ),
    Command(
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
    ),
    Command(
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
    ),
    Command(
        "afslut", "close", close.parse, close.handle,
        examples=("/afslut mette fleksjob", "/afslut søren førtidspension 30/11"),
        examples_en=("/close mette flexjob", "/close søren disability-pension 30/11"),
    ),
    Command(
        "måling", "measure", measure.parse, measure.handle,
        examples=("/måling mette who5 64 start", "/måling mette who5 3 4 2 3 4 slut"),
        examples_en=("/measure mette who5 64 start", "/measure mette who5 3 4 2 3 4 end"),
        aliases=("maaling", "maling"),
    ),
    Command(
        "fortryd", "undo", undo.parse, undo.handle, examples=("/fortryd",),
        examples_en=("/undo",), records=False,
    ),
    Command(
        "caseload", "caseload", caseload.parse, caseload.handle, examples=("/caseload",),
        examples_en=("/caseload",), records=False,
    ),
    Command(
        "hjælp", "help", help.parse, help.handle, examples=("/hjælp", "/hjælp log"),
        examples_en=("/help", "/help log"), aliases=("hjaelp", "hjalp", "?"), records=False,
    ),
    Command(
        "sprog", "language", help.parse_language, help.handle_language,
        examples=("/sprog en", "/language da"), examples_en=("/language en", "/language da"),
        records=False, menu=False,
    ),
    # --- Health data ---
    Command(
        "rolle", "role", admin.parse_role, admin.handle_role,
        examples=("/rolle @anna teamleder", "/role @bo contact"),
        examples_en=("/role @anna lead", "/role @bo contact"), records=False, menu=False,
    ),
    Command(
        "team", "team", admin.parse_team, admin.handle_team,
        examples=("/team ny Team Nord deler", "/team Team Nord tilføj @anna", "/team"),
        examples_en=("/team new Team Nord shared", "/team Team Nord add @anna", "/team"),
        records=False, menu=False,
    ),
    # --- Follow-ups ---
    Command(
        "opfølgning", "due", followup.parse, followup.handle,
        examples=(
            "/opfølgning",
            "/opfølgning udsæt 42 1u",
            "/opfølgning udført 42",
            "/opfølgning irrelevant 42",
        ),
        examples_en=("/due", "/due snooze 42 1w", "/due done 42", "/due dismiss 42"),
        aliases=("opfolgning", "followup", "follow-up"),
    ),
    Command(
        "påmind", "remind", followup.parse_remind, followup.handle_remind,
        examples=("/påmind mette om 2 uger ring om praktikken", "/påmind @bilka 1/12 tilbud"),
        examples_en=(
            "/remind mette in 2 weeks call about the placement", "/remind @bilka 1/12 offer"
        ),
        aliases=("pamind", "paamind"),
    ),
    Command(
        "fravær", "absence", absence.parse, absence.handle,
        examples=("/fravær 1/7-21/7 @bo", "/fravær slet"),
        examples_en=("/absence 1/7-21/7 @bo", "/absence delete"),
        aliases=("fravaer", "fravar"), records=False,
    ),
    # --- Reports ---
    Command(
        "status", "status", report_commands.parse_status, report_commands.handle_status,
        examples=("/status uge", "/status måned team", "/status kvartal @anna",
                  "/status 1/9-30/11 kommune:Silkeborg"),
        examples_en=("/status week", "/status month team", "/status quarter @anna",
                     "/status 1/9-30/11 municipality:Silkeborg"),
        aliases=("statustal",),  # /status is Slack's own: Slack users type /statustal
        records=False,
    ),
    Command(
        "jobrate", "jobrate", report_commands.parse_jobrate, report_commands.handle_jobrate,
        examples=("/jobrate år", "/jobrate kvartal team", "/jobrate år kommune"),
        examples_en=("/jobrate year", "/jobrate quarter team", "/jobrate year municipality"),
        aliases=("jobrat", "jobprocent"), records=False,
    ),
    Command(
        "rapport", "report", report_commands.parse_report, report_commands.handle_report,
        examples=("/rapport jobrate år xlsx", "/rapport statusdato år", "/rapport trivsel år png",
                  "/rapport aktivitet måned csv"),
        examples_en=("/report jobrate year xlsx", "/report cutoff year", "/report who5 year png",
                     "/report activity month csv"),
        records=False,
    ),
]  # fmt: skip
