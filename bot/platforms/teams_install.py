"""Installing and removing the Teams app: the person, their 1:1 reference, one welcome.

A personal install finds or creates the staff member exactly as a first message does
(`open_ctx`) and stores the 1:1 conversation reference, so nudges reach people who have not
written yet. Teams announces one install twice (installationUpdate and conversationUpdate with
the bot among `membersAdded`), so the install is claimed once per conversation; removing the app
forgets the reference (store less) and releases the claim, so installing again welcomes again.
No Bot Framework import: the adapter passes plain values in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.core import Inbound, Platform, Reply
from bot.dispatch import open_ctx
from kernel.i18n import t
from kernel.vocabulary import Role
from store.inbound import LASTING, claim_event, release_event
from store.models import StaffIdentity
from store.staff import staff_by_identity

if TYPE_CHECKING:
    from bot.app import Rampe


def install_key(conversation_id: str) -> str:
    """The inbound-event key that says the app is installed in this conversation."""
    return f"{LASTING}{conversation_id}"


def install_personal(
    rampe: Rampe, inbound: Inbound, reference: dict[str, Any], conversation_id: str
) -> Reply | None:
    """Find or create the person, store their 1:1 reference; a welcome if the install is new."""
    with rampe.unit_of_work() as session:
        ctx, created = open_ctx(rampe, session, inbound)
        store_reference(session, inbound, reference)
        if not claim_event(session, "teams", install_key(conversation_id), ctx.now):
            return None  # the other announcement of this install came first
        lines = [ctx.t("teams.welcome"), ctx.t("teams.welcome_start")]
        if created and ctx.staff.role == Role.ADMIN:
            lines.append(ctx.t("notice.first_admin"))
        return Reply("\n".join(lines))


def install_channel(rampe: Rampe, conversation_id: str) -> Reply | None:
    """The intro for a team or group chat, once per install; nobody is created for it."""
    with rampe.unit_of_work() as session:
        if not claim_event(session, "teams", install_key(conversation_id), rampe.clock()):
            return None
    return Reply(t(rampe.settings.language, "teams.channel_intro"))


def uninstall(rampe: Rampe, inbound: Inbound, conversation_id: str, personal: bool) -> None:
    """Forget the install and, in a 1:1 chat, the person's stored reference; nothing is sent."""
    with rampe.unit_of_work() as session:
        release_event(session, "teams", install_key(conversation_id))
        if personal:
            store_reference(session, inbound, None)


def store_reference(session: Session, inbound: Inbound, reference: dict[str, Any] | None) -> None:
    """Store, refresh or (with None) forget the person's 1:1 reference, if they are known."""
    identity = person_identity(session, inbound)
    if identity is not None and identity.address != reference:
        identity.address = reference


def person_identity(session: Session, inbound: Inbound) -> StaffIdentity | None:
    """How the person behind `inbound` is known in Teams (None before their first contact)."""
    staff = staff_by_identity(session, Platform.TEAMS, inbound.user_id, inbound.workspace)
    identities = staff.identities if staff is not None else []
    return next(
        (
            i
            for i in identities
            if (i.platform, i.workspace, i.external_id)
            == (Platform.TEAMS, inbound.workspace, inbound.user_id)
        ),
        None,
    )
