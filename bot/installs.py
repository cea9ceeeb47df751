"""Installing and removing the app (Teams): the person, their 1:1 reference, one welcome.

A personal install finds or creates the staff member exactly as a first message does
(`open_ctx`) and stores the 1:1 conversation reference, so nudges reach people who have not
written yet. Teams announces one install twice (installationUpdate and conversationUpdate with
the bot among `membersAdded`), so the install is claimed once per conversation; removing the app
forgets the reference (store less) and releases the claim, so installing again welcomes again.
"""

from __future__ import annotations

from typing import Any

from bot.context import open_ctx
from bot.core import Inbound, Reply
from bot.people import store_address
from bot.runtime import Runtime
from kernel.i18n import t
from kernel.vocabulary import Role
from store.inbound import LASTING, claim_event, release_event


def install_key(conversation_id: str) -> str:
    """The inbound-event key that says the app is installed in this conversation."""
    return f"{LASTING}{conversation_id}"


def install_personal(
    rt: Runtime, inbound: Inbound, reference: dict[str, Any], conversation_id: str
) -> Reply | None:
    """Find or create the person, store their 1:1 reference; a welcome if the install is new."""
    with rt.unit_of_work() as session:
        ctx, created = open_ctx(rt, session, inbound)
        store_address(session, inbound, reference)
        if not claim_event(session, inbound.platform, install_key(conversation_id), ctx.now):
            return None  # the other announcement of this install came first
        lines = [ctx.t("teams.welcome"), ctx.t("teams.welcome_start")]
        if created and ctx.staff.role == Role.ADMIN:
            lines.append(ctx.t("notice.first_admin"))
        return Reply("\n".join(lines))


def install_channel(rt: Runtime, inbound: Inbound, conversation_id: str) -> Reply | None:
    """The intro for a team or group chat, once per install; nobody is created for it."""
    with rt.unit_of_work() as session:
        if not claim_event(session, inbound.platform, install_key(conversation_id), rt.clock()):
            return None
    return Reply(t(rt.settings.language, "teams.channel_intro"))


def uninstall(rt: Runtime, inbound: Inbound, conversation_id: str, personal: bool) -> None:
    """Forget the install and, in a 1:1 chat, the person's stored reference; nothing is sent."""
    with rt.unit_of_work() as session:
        release_event(session, inbound.platform, install_key(conversation_id))
        if personal:
            store_address(session, inbound, None)
