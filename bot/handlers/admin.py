"""/rolle and /team: roles and team membership, for admins only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.context import Ctx
from bot.core import Reply, Section, Tone
from bot.parsing.tokens import tokenize
from bot.resolve import resolve_staff
from kernel.errors import UserError
from kernel.vocabulary import Role
from store import roles as store

ROLES = {
    "teamleder": Role.LEAD, "leder": Role.LEAD, "lead": Role.LEAD, "teamlead": Role.LEAD,
    "kontaktperson": Role.CONTACT, "kontakt": Role.CONTACT, "contact": Role.CONTACT,
    "admin": Role.ADMIN, "administrator": Role.ADMIN,
}  # fmt: skip
NEW_WORDS = {"ny", "new", "opret", "create"}
SHARE_WORDS = {"deler", "delt", "shared", "shares", "share"}
ADD_WORDS = {"tilføj": "add", "tilfoej": "add", "add": "add", "fjern": "remove", "remove": "remove"}
MAX_TEAM = 120


@dataclass(frozen=True)
class RoleArgs:
    who: str
    role: Role


def parse_role(text: str, today: date) -> RoleArgs:
    """`@x teamleder|kontaktperson|admin`."""
    tokens = tokenize(text)
    if len(tokens) < 2 or tokens[-1].low not in ROLES:
        raise UserError("usage.rolle")
    return RoleArgs(text[: tokens[-1].start].strip(), ROLES[tokens[-1].low])


def _require_admin(ctx: Ctx) -> None:
    if ctx.staff.role != Role.ADMIN:
        raise UserError("error.admin_only")


def handle_role(ctx: Ctx, args: RoleArgs) -> Reply:
    _require_admin(ctx)
    staff = resolve_staff(ctx, args.who)
    if staff.role == Role.ADMIN and args.role != Role.ADMIN and store.admin_count(ctx.session) < 2:
        raise UserError("error.last_admin")
    store.set_role(ctx.session, staff, args.role)
    ctx.audit("update", "staff", staff.id, detail=f"role {args.role}")
    return Reply(
        ctx.t("ok.role_set", name=staff.display_name, role=ctx.t(f"role.{args.role}")),
        tone=Tone.OK,
    )


@dataclass(frozen=True)
class TeamArgs:
    action: str  # list | new | add | remove
    name: str = ""
    shares: bool = False
    who: str = ""


def parse_team(text: str, today: date) -> TeamArgs:
    """`` (list), `ny <navn> [deler]`, `<navn> tilføj @x`, `<navn> fjern @x`."""
    tokens = tokenize(text)
    if not tokens:
        return TeamArgs("list")
    if tokens[0].low in NEW_WORDS:
        words = [t.text for t in tokens[1:]]
        shares = bool(words) and words[-1].casefold() in SHARE_WORDS
        name = " ".join(words[:-1] if shares else words)
        if not name:
            raise UserError("usage.team")
        if len(name) > MAX_TEAM:
            raise UserError("error.too_long", what="navn", limit=MAX_TEAM)
        return TeamArgs("new", name=name, shares=shares)
    for i, token in enumerate(tokens):
        if token.low in ADD_WORDS and 0 < i < len(tokens) - 1:
            name = text[: token.start].strip()
            return TeamArgs(ADD_WORDS[token.low], name=name, who=text[token.end :].strip())
    raise UserError("usage.team")


def handle_team(ctx: Ctx, args: TeamArgs) -> Reply:
    _require_admin(ctx)
    if args.action == "list":
        return _list(ctx)
    if args.action == "new":
        if store.find_team(ctx.session, args.name) is not None:
            raise UserError("error.team_exists", name=args.name)
        team = store.create_team(ctx.session, args.name, args.shares, ctx.now)
        ctx.audit("create", "team", team.id, detail="shares" if args.shares else None)
        key = "ok.team_created_shared" if args.shares else "ok.team_created"
        return Reply(ctx.t(key, name=team.name), tone=Tone.OK)
    found = store.find_team(ctx.session, args.name)
    if found is None:
        raise UserError("error.no_team", name=args.name)
    staff = resolve_staff(ctx, args.who)
    if args.action == "remove":
        if staff.team_id != found.id:
            raise UserError("error.not_in_team", name=staff.display_name, team=found.name)
        moved = store.set_team(ctx.session, staff, None)
        ctx.audit("update", "staff", staff.id, detail=f"left team {found.id}")
        return Reply(
            ctx.t("ok.team_removed", name=staff.display_name, team=found.name, count=moved),
            tone=Tone.OK,
        )
    moved = store.set_team(ctx.session, staff, found)
    ctx.audit("update", "staff", staff.id, detail=f"joined team {found.id}")
    return Reply(
        ctx.t("ok.team_added", name=staff.display_name, team=found.name, count=moved),
        tone=Tone.OK,
    )


def _list(ctx: Ctx) -> Reply:
    teams = store.teams_with_members(ctx.session)
    ctx.audit("read", "team")
    if not teams:
        return Reply(ctx.t("reply.teams_empty"))
    sections = tuple(
        Section(
            f"{team.name}" + (f" ({ctx.t('word.shares')})" if team.shares_caseload else ""),
            lines=tuple(f"{s.display_name}: {ctx.t(f'role.{s.role}')}" for s in members)
            or (ctx.t("word.none"),),
        )
        for team, members in teams
    )
    return Reply(ctx.t("reply.teams", count=len(teams)), sections=sections)
