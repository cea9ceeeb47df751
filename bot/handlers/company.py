"""/virksomhed: register and show companies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import format as fmt
from bot.context import Ctx
from bot.core import Action, Reply, Section, Tone
from bot.parsing.tokens import tokenize
from bot.resolve import resolve_company
from kernel.errors import UserError
from kernel.fold import fold
from store import companies as store
from store import courses
from store.contacts import last_company_contact

NEW_WORDS = {"ny", "new", "opret", "create"}
_CONTACT = re.compile(r"\b(?:kontakt|contact)\s*:\s*(.+)$", re.IGNORECASE)
_PHONE = re.compile(r"(\+?\d[\d ]{6,14}\d)\s*$")
MAX_NAME = 120


@dataclass(frozen=True)
class NewCompany:
    name: str
    contact_name: str | None
    contact_phone: str | None


@dataclass(frozen=True)
class ShowCompany:
    query: str


def parse(text: str, today: date) -> NewCompany | ShowCompany:
    """Parse `/virksomhed ny <navn> [kontakt: Navn 12345678]` or `/virksomhed <navn>`."""
    tokens = tokenize(text)
    if not tokens:
        raise UserError("usage.virksomhed")
    if tokens[0].low not in NEW_WORDS:
        return ShowCompany(text.strip().lstrip("@"))
    body = text[tokens[0].end :].strip()
    contact_name = contact_phone = None
    if m := _CONTACT.search(body):
        contact = m.group(1).strip()
        body = body[: m.start()].strip()
        if p := _PHONE.search(contact):
            contact_phone = p.group(1).replace(" ", "")
            contact = contact[: p.start()].strip()
        contact_name = contact or None
    name = body.strip()
    if not name:
        raise UserError("usage.virksomhed")
    if len(name) > MAX_NAME:
        raise UserError("error.too_long", what="navn", limit=MAX_NAME)
    return NewCompany(name, contact_name, contact_phone)


def handle(ctx: Ctx, args: NewCompany | ShowCompany) -> Reply:
    if isinstance(args, ShowCompany):
        return company_card(ctx, args.query)
    company = store.create_company(
        ctx.session,
        name=args.name,
        name_folded=fold(args.name),
        contact_name=args.contact_name,
        contact_phone=args.contact_phone,
        owner=ctx.staff,
        now=ctx.now,
    )
    ctx.audit("create", "company", company.id)
    facts = []
    if args.contact_name or args.contact_phone:
        facts.append(
            (
                ctx.t("label.contact_person"),
                " ".join(x for x in (args.contact_name, args.contact_phone) if x),
            )
        )
    facts.append((ctx.t("label.owner"), ctx.staff.display_name))
    return Reply(
        ctx.t("ok.company_created", name=company.name),
        sections=(Section(facts=tuple(facts)),),
        actions=(Action(ctx.t("action.undo"), "/fortryd"),),
        tone=Tone.OK,
    )


def company_card(ctx: Ctx, query: str) -> Reply:
    company = resolve_company(ctx, query)
    ctx.audit("read", "company", company.id)
    visible, hidden = courses.citizens_at_company(ctx.session, company, ctx.staff)
    last = last_company_contact(ctx.session, company)
    facts = []
    if company.contact_name or company.contact_phone:
        facts.append(
            (
                ctx.t("label.contact_person"),
                " ".join(x for x in (company.contact_name, company.contact_phone) if x),
            )
        )
    facts.append(
        (
            ctx.t("label.last_contact"),
            fmt.day(last, ctx.today, ctx.lang) if last else ctx.t("word.none"),
        )
    )
    nxt = store.next_company_follow_up(ctx.session, company)
    if nxt is not None:
        facts.append(
            (
                ctx.t("label.next_follow_up"),
                fmt.day(nxt.due_at.astimezone(ctx.tz).date(), ctx.today, ctx.lang),
            )
        )
    lines = [f"{fmt.citizen(c)}: {ctx.t('word.' + kind)}" for c, kind in visible]
    for c, _ in visible:
        ctx.audit("read", "citizen", c.id, c, "company card")
    if hidden:
        lines.append(ctx.t("card.others_hidden", count=hidden))
    sections = [Section(facts=tuple(facts))]
    sections.append(
        Section(ctx.t("label.citizens_here"), lines=tuple(lines) or (ctx.t("word.none"),))
    )
    return Reply(company.name, sections=tuple(sections))
