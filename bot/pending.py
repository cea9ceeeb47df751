"""Pending questions: "which Mette did you mean?", kept until answered, cancelled or expired.

Nothing is stored while a question is open; the answer runs the command again with the choice
made (the dispatcher does that with what `take_answer` gives back).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from bot.context import Ctx
from bot.core import Action, Reply, Section, Tone
from bot.resolve import override_key
from kernel.errors import Ambiguous
from store.models import PendingChoice

CHOICE = re.compile(r"^(?:/?(?:vælg|vaelg|choose|valg)\s+)?(\d{1,2})$", re.IGNORECASE)
CANCEL_WORDS = {"annuller", "afbryd", "cancel", "/annuller", "/cancel"}


def pending(ctx: Ctx) -> PendingChoice | None:
    """The person's open question, if any (an expired one is cleared)."""
    # One query on most messages; a DELETE only when there is an expired question to clear
    # (it holds the command text). Older questions expire first and `ask` keeps just one.
    newest = ctx.session.scalars(
        select(PendingChoice)
        .where(PendingChoice.staff_id == ctx.staff.id)
        .order_by(PendingChoice.id.desc())
        .limit(1)
    ).first()
    if newest is None or newest.expires_at >= ctx.now:
        return newest
    ctx.session.execute(
        delete(PendingChoice).where(
            PendingChoice.staff_id == ctx.staff.id, PendingChoice.expires_at < ctx.now
        )
    )
    return None


def ask(ctx: Ctx, text: str, amb: Ambiguous, overrides: dict[str, int]) -> Reply:
    """Store the question and ask which one was meant; nothing else is stored."""
    ctx.session.execute(delete(PendingChoice).where(PendingChoice.staff_id == ctx.staff.id))
    ctx.session.add(
        PendingChoice(
            staff_id=ctx.staff.id,
            command_text=text,
            kind=amb.kind,
            query=amb.query,
            candidate_ids=[c.id for c in amb.candidates],
            overrides=overrides,
            created_at=ctx.now,
            expires_at=ctx.now + timedelta(minutes=ctx.settings.choice_minutes),
        )
    )
    lines = tuple(f"{i}. {c.label}" for i, c in enumerate(amb.candidates, start=1))
    actions = tuple(Action(c.label, str(i)) for i, c in enumerate(amb.candidates, start=1))
    return Reply(
        ctx.t(f"ask.which_{amb.kind}", query=amb.query),
        sections=(Section(lines=(*lines, ctx.t("ask.answer_hint"))),),
        actions=(*actions, Action(ctx.t("action.cancel"), "annuller")),
        tone=Tone.QUESTION,
    )


def take_answer(
    ctx: Ctx, question: PendingChoice, number: int
) -> tuple[str, dict[str, int]] | Reply:
    """The command to run again and the choices made so far, or why the number will not do."""
    ids = list(question.candidate_ids)
    if not 1 <= number <= len(ids):
        return Reply(ctx.t("error.bad_choice", count=len(ids)), tone=Tone.ERROR)
    overrides = dict(question.overrides)
    overrides[override_key(question.kind, question.query)] = int(ids[number - 1])
    text = question.command_text
    ctx.session.delete(question)
    ctx.session.flush()
    return text, overrides
