"""Small pieces the handlers share."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Tone
from kernel.errors import UserError
from kernel.vocabulary import CitizenStatus
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


def refuse_if_ended(citizen: Citizen) -> None:
    """Changes to an ended course are refused with a hint."""
    if citizen.status == CitizenStatus.ENDED:
        raise UserError("error.course_ended", citizen=fmt.citizen(citizen))
