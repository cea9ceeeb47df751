"""Small pieces the handlers share."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Tone
from store.models import Citizen


def confirm(ctx: Ctx, key: str, citizen: Citizen | None = None, **params: object) -> Reply:
    """A confirmation of what was stored, with an undo button."""
    if citizen is not None:
        params["citizen"] = fmt.citizen(citizen)
    return Reply(
        ctx.t(key, **params),
        actions=(Action(ctx.t("action.undo"), "/fortryd"),),
        tone=Tone.OK,
    )
