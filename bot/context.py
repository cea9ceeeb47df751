"""What a handler gets: the session, the clock's reading, who is asking, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core import Inbound
from bot.directory import Directory
from bot.runtime import Runtime
from kernel.fold import fold
from kernel.i18n import t
from kernel.settings import Settings
from store.audit import audit, audit_reads
from store.handles import handles_shown
from store.models import Citizen, Staff
from store.staff import get_or_create_staff


@dataclass
class Ctx:
    """One message being handled: one unit of work, one person, one moment."""

    session: Session
    now: datetime
    staff: Staff
    settings: Settings
    platform: str
    directory: Directory
    overrides: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    # Citizens this command reached (id -> handle), refused, and already audited: the
    # dispatcher audits any reached citizen a handler did not, and every refusal.
    touched: dict[int, str | None] = field(default_factory=dict)
    denied: list[int] = field(default_factory=list)
    audited: set[int] = field(default_factory=set)

    @property
    def lang(self) -> str:
        return self.staff.language or self.settings.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def today(self) -> date:
        """Today's date where the programme works (Europe/Copenhagen by default)."""
        return self.now.astimezone(self.tz).date()

    def t(self, key: str, **params: object) -> str:
        """A text in the asking person's language."""
        return t(self.lang, key, **params)

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | None = None,
        citizen: Citizen | None = None,
        detail: str | None = None,
        *,
        citizen_id: int | None = None,
        handle: str | None = None,
    ) -> None:
        """Record that the asking person read or changed something."""
        about = citizen.id if citizen is not None else citizen_id
        if about is not None:
            self.audited.add(about)
        audit(
            self.session,
            at=self.now,
            staff_id=self.staff.id,
            platform=self.platform,
            action=action,
            entity=entity,
            entity_id=entity_id,
            citizen=citizen,
            detail=detail,
            citizen_id=citizen_id,
            handle=handle,
        )

    def audit_shown(self, text: str, detail: str) -> None:
        """Audit every citizen whose handle `text` shows (a report's `borgere`, the handles
        behind a job rate, a file's handles) that this command has not audited already."""
        known = {h for cid, h in self.touched.items() if cid in self.audited and h}
        self.audited.update(audit_reads(
            self.session, at=self.now, staff_id=self.staff.id, platform=self.platform,
            handles=handles_shown(text, known), skip=self.audited, detail=detail,
        ))  # fmt: skip


def open_ctx(rt: Runtime, session: Session, inbound: Inbound) -> tuple[Ctx, bool]:
    """The handler context for the person behind `inbound` (created on first contact)."""
    now = rt.clock()
    name = inbound.display_name or inbound.user_id
    staff, created = get_or_create_staff(
        session,
        platform=inbound.platform,
        workspace=inbound.workspace,
        external_id=inbound.user_id,
        display_name=name,
        language=rt.settings.language,
        now=now,
        name_folded=fold(name),
    )
    ctx = Ctx(
        session=session,
        now=now,
        staff=staff,
        settings=rt.settings,
        platform=str(inbound.platform),
        directory=rt.directory,
    )
    return ctx, created
