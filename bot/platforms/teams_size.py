"""Teams' message size limit: a reply too large for one message goes out as several.

Microsoft limits a bot message to 100 KB counted as UTF-16 and asks bots to stay under 80 KB;
above the limit the connector answers 413 `MessageSizeTooBig` and the person gets nothing.
A long report (every handle behind every figure) is split between sections, a section between
its rows, and a single row too long for any message is cut short.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.core import Reply, Section

MESSAGE_LIMIT = 80 * 1024  # bytes as UTF-16: Microsoft's recommended ceiling
ENVELOPE = 4 * 1024  # the activity around a card: ids, addresses, the notification summary
Render = Callable[[Reply], Any]


def utf16_size(value: Any) -> int:
    """The size of `value` as JSON, counted as Teams counts it: UTF-16 bytes."""
    return len(json.dumps(value, ensure_ascii=False).encode("utf-16-le"))


def split_reply(reply: Reply, render: Render, limit: int = MESSAGE_LIMIT - ENVELOPE) -> list[Reply]:
    """`reply` as one or more replies whose rendering each fits in `limit`; the summary opens
    the first, the buttons and files close the last."""
    if utf16_size(render(reply)) <= limit:
        return [reply]
    room = limit - utf16_size(render(Reply("", actions=reply.actions)))
    head = Reply(reply.summary, tone=reply.tone, private=reply.private)
    parts: list[list[Section]] = [[]]
    for unit in (u for s in reply.sections for u in _fitting(s, render, room)):
        base = head if len(parts) == 1 else Reply("")
        trial = replace(base, sections=(*parts[-1], unit))
        if parts[-1] and utf16_size(render(trial)) > room:
            parts.append([unit])
        else:
            parts[-1].append(unit)
    pieces = [
        replace(reply if i == 0 else Reply(""), sections=tuple(p), actions=(), files=())
        for i, p in enumerate(parts)
    ]
    pieces[-1] = replace(pieces[-1], actions=reply.actions, files=reply.files)
    return pieces


def _fitting(section: Section, render: Render, room: int) -> list[Section]:
    """`section` in pieces that each fit in `room` (rows are never split, only cut short)."""
    if utf16_size(render(Reply("", sections=(section,)))) <= room:
        return [section]
    rows = [("fact", f) for f in section.facts] + [("line", (line, "")) for line in section.lines]
    if len(rows) == 1:
        cut = room // 8  # characters: a UTF-16 unit is 2 bytes, escaping may double it
        if section.facts:
            label, value = section.facts[0]
            return [replace(section, facts=((label[:cut], value[:cut] + "…"),))]
        return [replace(section, lines=(section.lines[0][:cut] + "…",))]
    half = len(rows) // 2
    first, second = rows[:half], rows[half:]
    return _fitting(_rows(section.heading, first), render, room) + _fitting(
        _rows("", second), render, room
    )


def _rows(heading: str, rows: list[tuple[str, tuple[str, str]]]) -> Section:
    facts = tuple(row for kind, row in rows if kind == "fact")
    lines = tuple(row[0] for kind, row in rows if kind == "line")
    return Section(heading, facts=facts, lines=lines)
