"""Turning a typed name into one citizen, company or colleague, or asking which one."""

from __future__ import annotations

import heapq
import re

from bot.context import Ctx
from bot.directory import NameIndex, Record
from kernel.errors import Ambiguous, Candidate, UserError
from kernel.fold import fold
from kernel.vocabulary import Role
from store.models import Citizen, Company, Staff
from store.scope import scoped_citizen, scoped_ids, sees_team
from store.staff import staff_by_identity

COMPANY_ID = re.compile(r"^#(\d{1,9})$")
CLOSE = 8.0  # matches within this many points of the best are "just as good"
MAX_CHOICES = 5
MAX_NAME_WORDS = 4


def override_key(kind: str, query: str) -> str:
    """The key under which a user's choice for `query` is remembered."""
    cleaned = query.lstrip("@").replace("-", " ").replace("_", " ")
    return f"{kind}:{fold(cleaned)}"


def visible_ids(ctx: Ctx, index: NameIndex) -> set[int] | None:
    """The citizen ids the person may see (None: all), the same rule as store.scope."""
    staff = ctx.staff
    if staff.role == Role.ADMIN:
        return None
    team = staff.team_id if sees_team(ctx.session, staff) else None
    return index.owned_by(staff.id, team)


def _pick(ctx: Ctx, kind: str, query: str, index: NameIndex, scores: dict[int, float]) -> Record:
    """The one record `scores` (id -> score) clearly means, or Ambiguous, or no match."""
    if not scores:
        raise UserError(f"error.no_{kind}", query=query)
    records = index.records
    # Ids and set operations, not objects: a common first name can match thousands.
    pool = scores.keys() - index.ended or set(scores)
    best = max(map(scores.__getitem__, pool))
    close = [rid for rid in pool if scores[rid] >= best - CLOSE]
    if len(close) == 1:
        return records[close[0]]
    top = [rid for rid in close if scores[rid] == best]
    me = ctx.staff.id
    own = list(index.by_owner.get(me, set()).intersection(top))
    if kind == "citizen" and len(own) == 1:
        return records[own[0]]
    if len(top) == 1 and best >= 100.0:
        return records[top[0]]  # an exact name beats near misses
    if len(top) >= MAX_CHOICES:  # all shown are from the top: own first, then by name
        by_name = index.name_order.__getitem__
        shown = sorted(own, key=by_name)[:MAX_CHOICES]
        shown += heapq.nsmallest(MAX_CHOICES - len(shown), set(top) - set(own), key=by_name)
    else:
        shown = heapq.nsmallest(
            MAX_CHOICES,
            close,
            key=lambda rid: (-scores[rid], records[rid].owner_id != me, records[rid].name),
        )
    if kind == "citizen":  # the names are shown: check them against the store's scope too
        allowed = scoped_ids(ctx.session, ctx.staff, shown)
        shown = [rid for rid in shown if rid in allowed]
        if len(shown) == 1:
            return records[shown[0]]
        if not shown:
            raise UserError(f"error.no_{kind}", query=query)
    raise Ambiguous(kind, query, [Candidate(rid, _label(records[rid])) for rid in shown])


def _label(record: Record) -> str:
    return f"{record.name} ({record.handle})" if record.handle else record.name


def _search(ctx: Ctx, kind: str, index: NameIndex, query: str) -> dict[int, float]:
    return index.scores(query, visible_ids(ctx, index) if kind == "citizen" else None)


def _overridden(ctx: Ctx, kind: str, query: str) -> int | None:
    return ctx.overrides.get(override_key(kind, query))


def _load_citizen(ctx: Ctx, citizen_id: int) -> Citizen:
    citizen = scoped_citizen(ctx.session, ctx.staff, citizen_id)
    if citizen is None:
        if ctx.session.get(Citizen, citizen_id) is not None:
            ctx.denied.append(citizen_id)  # exists but out of scope: a tampered id
        raise UserError("error.no_citizen", query=str(citizen_id))
    ctx.touched[citizen.id] = citizen.handle
    return citizen


def resolve_citizen(ctx: Ctx, query: str) -> Citizen:
    """The one citizen `query` names among those the person may see, or Ambiguous/UserError."""
    chosen = _overridden(ctx, "citizen", query)
    if chosen is None:
        index = ctx.directory.citizens(ctx.session)
        chosen = _pick(ctx, "citizen", query, index, _search(ctx, "citizen", index, query)).id
    return _load_citizen(ctx, chosen)


def resolve_citizen_words(ctx: Ctx, words: list[str]) -> tuple[Citizen, int]:
    """The citizen named by the first few `words`, and how many words the name used.

    Tries the longest run of words first, so `mette hansen` beats `mette` when both match,
    and `mette aftalte` falls back to `mette` with `aftalte` left for the note.
    """
    if not words:
        raise UserError("error.need_citizen")
    index = ctx.directory.citizens(ctx.session)
    visible = visible_ids(ctx, index)
    for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        query = " ".join(words[:n])
        chosen = _overridden(ctx, "citizen", query)
        if chosen is not None:
            return _load_citizen(ctx, chosen), n
        matches = index.scores(query, visible)
        if matches:
            return _load_citizen(ctx, _pick(ctx, "citizen", query, index, matches).id), n
    raise UserError("error.no_citizen", query=words[0])


def resolve_company(ctx: Ctx, query: str) -> Company:
    """The one company `query` names, or Ambiguous/UserError."""
    query = query.lstrip("@").replace("-", " ").replace("_", " ")
    chosen = _overridden(ctx, "company", query)
    if chosen is None and (m := COMPANY_ID.match(query)):
        chosen = int(m.group(1))  # `@#12`: a company picked from a list, by id
    if chosen is None:
        index = ctx.directory.companies(ctx.session)
        chosen = _pick(ctx, "company", query, index, _search(ctx, "company", index, query)).id
    company = ctx.session.get(Company, chosen)
    if company is None:
        raise UserError("error.no_company", query=query)
    return company


def resolve_staff(ctx: Ctx, query: str) -> Staff:
    """The colleague `query` names: a platform user id (as in an @-mention) or a name."""
    query = query.lstrip("@")
    found = staff_by_identity(ctx.session, ctx.platform, query)
    if found is not None:
        return found
    query = query.replace("-", " ").replace("_", " ")
    chosen = _overridden(ctx, "staff", query)
    if chosen is None:
        index = ctx.directory.staff(ctx.session)
        chosen = _pick(ctx, "staff", query, index, _search(ctx, "staff", index, query)).id
    staff = ctx.session.get(Staff, chosen)
    if staff is None:
        raise UserError("error.no_staff", query=query)
    return staff
