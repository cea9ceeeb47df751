"""A `Reply` or a `Form` as an Adaptive Card (plain dicts; no Bot Framework import).

Adaptive Card TextBlocks and facts read markdown, so every text is escaped: a note holding
`**bold**`, `[link](...)` or `- item` shows those characters literally, and its line breaks
become paragraph breaks (markdown joins single ones into one line).

Teams shows at most 6 actions on a card and cuts the rest off without a word, so a reply with
more buttons (a follow-up list, a digest) offers them as one dropdown and one button instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core import Reply, Section, Tone
from bot.forms import Field, FieldKind, Form
from kernel.i18n import t

CARD_VERSION = "1.5"  # Teams renders 1.5; labels, required inputs and `filtered` need it
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
FORM_KEY = "rampe_form"  # the submit data key naming the form; the rest are field values
COMMAND_KEY = "command"  # the submit data key of a button: the text clicking it types
MAX_ACTIONS = 6  # Teams renders no more actions than this on one card
SUB_ROW = "\u2003\u21b3 "  # an indented fact (a breakdown row): em space and a hooked arrow
_COLOURS = {Tone.ERROR: "attention", Tone.OK: "good", Tone.QUESTION: "accent"}
_INLINE = re.compile(r"([\\`*_~\[\]{}<>|])")
_LINE_MARK = re.compile(r"^(\s*)([-+>#=])", re.MULTILINE)
_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)

Card = dict[str, Any]


def escape(text: str) -> str:
    """Text that Adaptive Card markdown shows literally (CommonMark backslash escapes), each
    line break kept as a paragraph break."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_MARK.sub(r"\1\\\2", text)
    text = _LINE_NUMBER.sub(r"\1\\\2", text)
    return "\n\n".join(text.splitlines()) if "\n" in text else text


def needs_card(reply: Reply) -> bool:
    """Structure (facts, lists, buttons) becomes a card; a one-line answer stays plain text."""
    return bool(reply.sections or reply.actions)


def text_block(text: str, **style: Any) -> dict[str, Any]:
    """One wrapped, escaped TextBlock."""
    return {"type": "TextBlock", "text": escape(text), "wrap": True, **style}


def reply_card(reply: Reply, lang: str = "da") -> Card:
    """The reply as a card: summary, then each section's heading, facts and lines, then its
    buttons (or, beyond Teams' 6, one dropdown of them and one button)."""
    colour = _COLOURS.get(reply.tone)
    style = {"color": colour} if colour else {}
    body = [
        text_block(line, weight="bolder", **style)
        for line in reply.summary.splitlines()
        if line.strip()
    ]
    for section in reply.sections:
        body.extend(_section(section))
    if len(reply.actions) <= MAX_ACTIONS:
        return _card(body, [_button(a.label, a.command, a.primary) for a in reply.actions])
    body.append(
        {
            "type": "Input.ChoiceSet",
            "id": COMMAND_KEY,  # the submit's value then names the command, as a button's does
            "label": t(lang, "teams.choose_action"),
            "style": "compact",
            "isRequired": True,  # nothing is preselected: a click alone must not mark anything
            "errorMessage": t(lang, "form.error.required"),
            "choices": [{"title": a.label, "value": a.command} for a in reply.actions],
        }
    )
    submit = {"type": "Action.Submit", "title": t(lang, "teams.do_action"), "style": "positive"}
    return _card(body, [submit])


def fact_title(label: str) -> str:
    """A fact's label, escaped; a label indented in the reply (a breakdown of the row above)
    keeps a visible indent, since Teams trims a fact title's leading spaces."""
    indent = len(label) - len(label.lstrip(" "))
    if not indent:
        return escape(label)
    return SUB_ROW * (indent // 2 or 1) + escape(label.lstrip(" "))


def _section(section: Section) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if section.heading:
        items.append(text_block(section.heading, weight="bolder", separator=True))
    if section.facts:
        facts = [
            {"title": fact_title(label), "value": escape(value)} for label, value in section.facts
        ]
        items.append({"type": "FactSet", "facts": facts})
    items.extend(text_block(line, spacing="small") for line in section.lines)
    return items


def _button(label: str, command: str, primary: bool = False) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "Action.Submit",
        "title": label,
        "data": {COMMAND_KEY: command},
    }
    if primary:
        button["style"] = "positive"
    return button


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> Card:
    card: Card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        card["actions"] = actions
    return card


def form_card(
    form: Form,
    lang: str,
    options: Mapping[str, Sequence[tuple[str, str]]],
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Card:
    """A card form for `form`; `options` holds the (value, label) choices of citizen/company
    fields, `values` what was typed before and `errors` the message to show beside each field."""
    values = values or {}
    errors = errors or {}
    body: list[dict[str, Any]] = [text_block(t(lang, form.title), weight="bolder", size="medium")]
    for field in form.fields:
        choices = options.get(field.name, ())
        if field.kind is FieldKind.COMPANY and not choices and not field.required:
            continue  # no companies yet: nothing to pick
        value = values.get(field.name) or (field.choices[0][0] if field.choices else "")
        body.append(_input(field, lang, choices, value))
        if field.name in errors:
            body.append(text_block(errors[field.name], color="attention", spacing="none"))
    submit = {
        "type": "Action.Submit",
        "title": t(lang, "form.submit"),
        "style": "positive",
        "data": {FORM_KEY: form.id},
    }
    return _card(body, [submit])


def _input(
    field: Field, lang: str, options: Sequence[tuple[str, str]], value: str
) -> dict[str, Any]:
    """One Input element; its id is the field name, so the submit data maps straight back."""
    base: dict[str, Any] = {"id": field.name, "label": t(lang, field.label)}
    if field.required:
        base["isRequired"] = True
        base["errorMessage"] = t(lang, "form.error.required")
    if field.hint:
        base["placeholder"] = t(lang, field.hint)
    if value:
        base["value"] = value
    if field.kind is FieldKind.CHOICE:
        options = [(v, t(lang, key)) for v, key in field.choices]
    if field.kind in (FieldKind.CITIZEN, FieldKind.COMPANY) and options:
        # The first choices come with the card; typing searches them all: Teams sends an
        # `application/search` invoke for the dataset and shows what Rampe answers.
        choices = [{"title": label, "value": v} for v, label in options]
        search = {"type": "Data.Query", "dataset": field.kind.value}
        return {"type": "Input.ChoiceSet", "style": "filtered", "choices": choices,
                "choices.data": search, **base}  # fmt: skip
    if field.kind is FieldKind.CHOICE:
        choices = [{"title": label, "value": v} for v, label in options]
        return {"type": "Input.ChoiceSet", "style": "compact", "choices": choices, **base}
    if field.kind is FieldKind.DATE:
        return {"type": "Input.Date", **base}
    multiline = field.kind is FieldKind.NOTE
    return {"type": "Input.Text", "maxLength": field.max_length, "isMultiline": multiline, **base}
