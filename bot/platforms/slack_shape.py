"""Is a signed Slack request shaped like something Slack sends? Checked before bolt sees it.

Bolt and our listeners read `body["event"]["user"]`, `view["state"]["values"]` and the like
without asking; a body of the wrong shape raised somewhere inside and came back as HTTP 500,
which Slack retries three times. A signed body that is not what Slack sends gets 400 instead.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

# keys that, when present and not null, must hold an object (bolt and the listeners read them)
_OBJECTS = ("user", "team", "channel", "container", "message", "view", "event", "enterprise")


def well_formed(content_type: str, text: str) -> bool:
    """True if the body is a JSON object, a form, or a form whose `payload` is a JSON object,
    with every part bolt and Rampe read of the shape Slack gives it."""
    if content_type == "application/json":
        return _body_ok(_json(text))
    form = parse_qs(text, keep_blank_values=True)
    if "payload" not in form:
        return True  # a slash command: flat fields, all strings
    return len(form["payload"]) == 1 and _body_ok(_json(form["payload"][0]))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _body_ok(body: Any) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("type", ""), str):
        return False
    if any(body.get(key) is not None and not isinstance(body[key], dict) for key in _OBJECTS):
        return False
    if body.get("type") in ("block_actions", "block_suggestion", "view_submission",
                            "view_closed", "message_action", "shortcut"):  # fmt: skip
        user = body.get("user")
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            return False
    actions = body.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        return False
    return "view" not in body or _view_ok(body["view"])


def _view_ok(view: dict[str, Any]) -> bool:
    if not isinstance(view.get("type"), str):  # bolt reads it to tell modals from workflow steps
        return False
    state = view.get("state", {})
    if not isinstance(state, dict):
        return False
    values = state.get("values", {})
    if not isinstance(values, dict):
        return False
    for block in values.values():
        if not isinstance(block, dict) or not all(_action_ok(a) for a in block.values()):
            return False
    return True


def _action_ok(action: Any) -> bool:
    """A submitted input: an object whose selected option, if any, is an object too."""
    if not isinstance(action, dict):
        return False
    return action.get("selected_option") is None or isinstance(action["selected_option"], dict)
