"""The question corpus: at least 95% mapped to the command meant, and none to another one."""

from __future__ import annotations

from bot.app import Rampe
from bot.core import Tone
from tests.conftest import Chat
from tests.support_questions import ASK_BACK, corpus, programme, understood

MIN_RIGHT = 0.95
MIN_CASES = 200


def test_corpus_is_large_and_bilingual() -> None:
    cases = corpus()
    assert len(cases) >= MIN_CASES
    assert {c.lang for c in cases} == {"da", "en"}
    assert sum(c.expected == ASK_BACK for c in cases) >= 20  # ambiguous ones are in it too
    assert len({c.question for c in cases}) == len(cases)


def test_corpus_mapped_right_and_never_to_another_command(app: Rampe) -> None:
    programme(app)
    right, asked_back, wrong = [], [], []
    for case in corpus():
        got = understood(app, case.who, case.question, case.lang)
        if got == case.expected:
            right.append(case)
        elif got == ASK_BACK:
            asked_back.append((case.question, case.expected))
        else:
            wrong.append((case.question, case.expected, got))
    share = len(right) / (len(right) + len(asked_back) + len(wrong))
    print(f"\ncorpus: {len(right)} right, {len(asked_back)} asked back, {len(wrong)} wrong: "
          f"{share:.1%} right")  # fmt: skip
    assert not wrong, wrong  # a different answer is worse than asking back
    assert share >= MIN_RIGHT, asked_back


def test_every_expected_command_runs(app: Rampe, chat: Chat) -> None:
    """The corpus asks for commands that exist and answer, in both languages."""
    programme(app)
    for lang in ("da", "en"):
        chat(f"/sprog {lang}", user="lene")
        chat(f"/sprog {lang}", user="anna")
        for case in corpus():
            if case.lang == lang and case.expected != ASK_BACK:
                reply = chat.reply(case.expected, user=case.who)  # type: ignore[attr-defined]
                assert reply.tone != Tone.ERROR, (case.expected, reply.summary)
