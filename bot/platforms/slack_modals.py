"""A `Form` as a Slack modal, a submitted modal as values, `FormErrors` as inline errors.

Each field is one input block whose block_id and action_id are the field's name, so a
submission's values and an error map need no translation table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.forms import FORMS, Field, FieldKind, Form
from bot.platforms.slack_blocks import clip, plain

CALLBACK_PREFIX = "rampe_form:"
TITLE_LIMIT = 24
LABEL_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
OPTION_LIMIT = 75
INPUT_LIMIT = 3000  # plain_text_input max_length

Text = Callable[[str], str]  # a text key -> the text in the person's language


def element(field: Field, t: Text, initial: str = "", label: str = "") -> dict[str, Any]:
    """The input element for one field (a choice made already needs its label to show)."""
    el: dict[str, Any] = {"action_id": field.name}
    if field.kind in (FieldKind.CITIZEN, FieldKind.COMPANY):
        el.update(type="external_select", min_query_length=0)
        if initial and label:
            el["initial_option"] = {"text": plain(label, OPTION_LIMIT), "value": initial}
    elif field.kind is FieldKind.CHOICE:
        options = [
            {"text": plain(t(key), OPTION_LIMIT), "value": value} for value, key in field.choices
        ]
        el.update(type="static_select", options=options)
    elif field.kind is FieldKind.DATE:
        el.update(type="datepicker")
    else:
        el.update(
            type="plain_text_input",
            multiline=field.kind is FieldKind.NOTE,
            max_length=min(field.max_length, INPUT_LIMIT),
        )
        if initial:
            el["initial_value"] = initial[: el["max_length"]]
    if field.hint and el["type"] != "static_select":
        el["placeholder"] = plain(t(field.hint), PLACEHOLDER_LIMIT)
    return el


def form_view(
    form: Form,
    t: Text,
    initial: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The modal for `form`, with any `initial` values (and the labels of choices) filled in."""
    initial = initial or {}
    labels = labels or {}
    blocks = [
        {
            "type": "input",
            "block_id": field.name,
            "optional": not field.required,
            "label": plain(t(field.label), LABEL_LIMIT),
            "element": element(field, t, initial.get(field.name, ""), labels.get(field.name, "")),
        }
        for field in form.fields
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_PREFIX + form.id,
        "title": plain(clip(t(form.title), TITLE_LIMIT), TITLE_LIMIT),
        "submit": plain(t("form.submit"), TITLE_LIMIT),
        "close": plain(t("form.cancel"), TITLE_LIMIT),
        "blocks": blocks,
    }


def form_of(view: Mapping[str, Any]) -> Form | None:
    """The form a submitted view is a rendering of, if any."""
    callback = str(view.get("callback_id", ""))
    return FORMS.get(callback.removeprefix(CALLBACK_PREFIX))


def submitted_values(view: Mapping[str, Any]) -> dict[str, str]:
    """Field name -> submitted value (a selected option's value, a date, typed text)."""
    values: dict[str, str] = {}
    state = view.get("state", {}).get("values", {})
    for block_id, actions in state.items():
        for action in actions.values():
            values[block_id] = _value(action)
    return values


def _value(action: Mapping[str, Any]) -> str:
    kind = action.get("type")
    if kind in ("external_select", "static_select"):
        option = action.get("selected_option") or {}
        return str(option.get("value") or "")
    if kind == "datepicker":
        return str(action.get("selected_date") or "")
    return str(action.get("value") or "")


def error_response(errors: Mapping[str, str]) -> dict[str, Any]:
    """The ack body that shows each message beside its field."""
    return {"response_action": "errors", "errors": {k: clip(v, 2000) for k, v in errors.items()}}


def suggestion_options(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Type-ahead answers as Slack options (at most 100)."""
    return [{"text": plain(label, OPTION_LIMIT), "value": value} for value, label in pairs[:100]]
