"""The questions from the issue, each asked in the chat: the command understood, then exactly
that command's answer; or a question back that runs nothing."""

from __future__ import annotations

from datetime import date as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Rampe
from bot.core import Inbound, Platform, Tone
from kernel.i18n import t
from tests.conftest import Chat
from tests.support_questions import programme


def answered_as(chat: Chat, question: str, command: str, user: str = "lene") -> str:
    """Ask `question`; check the reply is `command`'s own answer under "Forstået som"."""
    reply = chat(question, user=user)
    heading = f"Forstået som: {command}\n"
    assert reply.startswith(heading), reply
    assert reply == heading + chat(command, user=user)
    return reply[len(heading) :]


def test_how_is_wellbeing_is_the_who5_report(app: Rampe, chat: Chat) -> None:
    programme(app)
    answer = answered_as(chat, "hvordan går det med trivslen?", "/rapport trivsel i år")
    assert answer.startswith("Trivsel (WHO-5)")  # the figures in the chat, not a file
    assert "Gennemsnit" in answer and "Status for" not in answer


def test_team_lead_asking_we_gets_the_team(app: Rampe, chat: Chat) -> None:
    programme(app)
    assert "Du har talt med alle" in chat("/caseload uden-kontakt 14", user="lene")  # her own
    answer = answered_as(
        chat, "hvem har vi ikke haft kontakt med i 14 dage", "/caseload team uden-kontakt 14"
    )
    assert answer.startswith("Ingen kontakt de sidste 14 dage (2):")
    assert "Karim Said (BBB-0004): aldrig kontaktet" in answer
    assert "Mette" not in answer  # talked to on Friday


@pytest.mark.parametrize("verb", ["set", "talt med", "hørt fra", "haft kontakt med"])
def test_seen_talked_heard_are_one_thing(app: Rampe, chat: Chat, verb: str) -> None:
    programme(app)
    answer = answered_as(
        chat, f"hvem har jeg ikke {verb} i 14 dage?", "/caseload uden-kontakt 14", user="anna"
    )
    assert answer.startswith("Ingen kontakt de sidste 14 dage (1):")
    assert "Søren Dahl (BBB-0002)" in answer


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("hvor mange borgere har bo?", "/caseload @bo"),
        ("hvad er jobraten i år", "/jobrate i år"),
        ("hvor mange er i praktik?", "/status nu"),
        ("hvor mange kontakter har vi haft i denne uge?", "/status denne uge team"),
        ("hvor mange henvisninger har vi fået i år?", "/status i år team"),
        ("hvordan er trivslen", "/rapport trivsel i år"),
    ],
)
def test_questions_not_understood_before(
    app: Rampe, chat: Chat, question: str, command: str
) -> None:
    programme(app)
    answered_as(chat, question, command)


def test_figures_behind_the_questions(app: Rampe, chat: Chat) -> None:
    programme(app)
    assert "Bos aktive borgere (1)" in chat("hvor mange borgere har bo?", user="lene")
    assert "1 af 1 = 100%" in chat("hvad er jobraten i år", user="lene")
    assert "    I praktik              1\n" in chat("hvor mange er i praktik?", user="lene")
    henvisninger = chat("hvor mange henvisninger har vi fået i år?", user="lene")
    assert "Nye henvisninger           4 (forrige 0)" in henvisninger


def test_wellbeing_this_year_without_a_slash_is_the_report(app: Rampe, chat: Chat) -> None:
    programme(app)
    answered_as(chat, "trivsel i år", "/rapport trivsel i år")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/trivsel i år", "/rapport trivsel i år"),
        ("/trivsel", "/rapport trivsel i år"),
        ("/pris", "/rapport pris i år"),
        ("/who5", "/rapport trivsel i år"),
        ("/jobraten", "/jobrate i år"),
        ("/henvisninger", "/status denne uge"),
    ],
)
def test_report_words_as_commands_point_to_the_report(chat: Chat, typed: str, meant: str) -> None:
    reply = chat(typed)
    name = typed.split()[0]
    assert reply.startswith(f"Kommandoen {name} kender jeg ikke. Mente du {meant}?")
    assert "/log" not in reply


def test_report_words_in_english(chat: Chat) -> None:
    chat("/sprog en")
    assert "Did you mean /report who5 this year?" in chat("/wellbeing")
    assert "Did you mean /report cost this year?" in chat("/cost")
    assert "Did you mean /placement?" in chat("/placment mette")  # a typo is still a typo


def test_how_many_in_a_job_is_a_count_of_citizens_in_a_job_now(app: Rampe, chat: Chat) -> None:
    """Three figures that used to answer it; the question means the first."""
    from reports.catalogue import ReportRequest, build_report
    from reports.periods import unit_period
    from reports.scope import default_scope
    from store.models import Staff

    programme(app)
    answer = answered_as(chat, "hvor mange er i job?", "/status nu")
    assert "    I job                  1\n" in answer  # Søren, whose flex job runs
    assert "1 af 1 = 100%" in chat("/jobrate i år", user="lene")  # Alma's ended in a job
    assert "Jobstarter                 2" in chat("/status i år", user="lene")  # Alma, Søren
    with app.unit_of_work() as s:
        lene = s.query(Staff).filter_by(display_name="Lene").one()
        today = app.clock().date()
        request = ReportRequest(
            "cutoff", default_scope(s, lene), unit_period("year", today), app.clock(), today,
            app.settings,
        )  # fmt: skip
        from kernel.i18n import t

        table = build_report(s, request, lambda key, **p: t("da", key, **p))
    in_job = next(row for row in table.rows if row[0] == "I job")
    assert in_job[1] == 1


@pytest.mark.parametrize(
    ("question", "suggested"),
    [
        ("hvordan er mettes trivsel", ("/borger mette", "/rapport trivsel i år")),
        ("hvor mange er i job i år?", ("/jobrate i år", "/status nu")),
        ("hvordan går det med mette og søren", ("/borger mette", "/borger søren")),
    ],
)
def test_ambiguous_questions_are_asked_back(
    app: Rampe, chat: Chat, question: str, suggested: tuple[str, ...]
) -> None:
    programme(app)
    reply = chat(question, user="anna")
    assert reply.startswith("Det spørgsmål kan betyde flere ting. Mente du en af disse?")
    assert "Forstået som" not in reply
    lines = reply.splitlines()[1:-1]
    assert 2 <= len(lines) <= 3
    for command in suggested:
        assert f"  {command}" in lines
        assert chat.reply(command, user="anna").tone != "error"  # type: ignore[attr-defined]


def test_not_understood_says_so_and_suggests(chat: Chat) -> None:
    reply = chat("hvad er vejret i morgen?")
    assert reply.startswith("Det spørgsmål forstår jeg ikke endnu. Prøv en af disse:")
    suggested = [line for line in reply.splitlines() if line.startswith("  /")]
    assert len(suggested) == 3
    for line in suggested:
        assert chat.reply(line.strip()).tone != "error"  # type: ignore[attr-defined]


def test_english_questions(app: Rampe, chat: Chat) -> None:
    programme(app)
    chat("/sprog en", user="lene")
    reply = chat("how many are in a job right now?", user="lene")
    assert reply.startswith("Understood as: /status now\nRight now (23/11 2026), team Nord:")
    assert reply.endswith(chat("/status now", user="lene"))
    reply = chat("who haven't we heard from in two weeks?", user="lene")
    assert reply.startswith("Understood as: /caseload team no-contact 14\n")


@pytest.mark.parametrize(("lang", "quotes"), [("da", "»«"), ("en", "“”")])
def test_the_questions_help_offers_are_understood(chat: Chat, lang: str, quotes: str) -> None:
    import re

    chat(f"/sprog {lang}")
    help_text = chat("/hjælp")
    offered = re.findall(f"{quotes[0]}([^{quotes[1]}]+){quotes[1]}", help_text.splitlines()[-1])
    assert len(offered) == 2
    heading = "Forstået som: /" if lang == "da" else "Understood as: /"
    for question in offered:
        assert chat(question).startswith(heading), question


def test_a_colleague_with_two_names_is_one_word_in_the_command(app: Rampe, chat: Chat) -> None:
    from tests.support_reports import citizen, staff

    programme(app)
    with app.unit_of_work() as s:
        karl = staff(s, "karl jensen", team="Nord", shares=True)
        citizen(s, karl, "Ib Holm", D(2026, 10, 1))
    answer = answered_as(chat, "hvor mange borgere har karl jensen?", "/caseload @karl_jensen")
    assert answer.startswith("Karl Jensens aktive borgere (1)")


def test_a_job_rate_asked_of_a_group_is_filtered_to_it(app: Rampe, chat: Chat) -> None:
    programme(app)
    had = answered_as(chat, "hvad er jobraten for dem der har været i praktik?",
                      "/jobrate i år praktik")  # fmt: skip
    assert "Filter: Kun borgere der har haft en praktik" in had, had
    plain = chat("/jobrate i år", user="lene")
    assert plain != had[: len(plain)]  # not the unfiltered answer
    at_start = answered_as(chat, "what is the job rate for citizens employed at start?",
                           "/jobrate i år ansat-ved-start")  # fmt: skip
    assert "Filter: Kun borgere der var i et job (hvilket som helst) da forløbet" in at_start


# Words a question is made of: what is asked, periods, as-of days, months, names and places.
QUESTION_WORDS = " ".join((
    "hvor mange hvad hvem er har haft været i på pr. per den om ugen timer dage lang tid",
    "praktik job jobraten varigt trivslen kontakter borger borgere hver kontaktperson",
    "pris nogensinde fra til efter første kvartal år måned uge sidste siden nu lige",
    "oktober juni 30/6 1/9 31/12/2025 1/9-30/11 mere end 6 måneder afsluttet pension",
    "uddannelse ips fidelity intensitet forløbstid henvist startet pause team vi jeg",
    "@bo bo anna silkeborg how many what who is in a job placement as of on per each",
    "citizen contact person hours week weekly ever since last this year quarter",
)).split()  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(QUESTION_WORDS), min_size=2, max_size=9),
       st.sampled_from(("?", "")))  # fmt: skip
def test_any_question_is_answered_asked_back_or_refused_never_an_internal_error(
    app: Rampe, words: list[str], end: str
) -> None:
    """Whatever words a question strings together, Rampe answers it, asks back or says what to
    type: neither the reading nor the command it understood fails inside."""
    text = " ".join(words) + end
    reply = app.handle(Inbound(Platform.CONSOLE, "lene", text))
    assert reply.summary != t("da", "error.internal"), text
    assert reply.tone != Tone.ERROR or reply.summary.strip(), text
