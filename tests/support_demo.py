"""Shared helpers for the demo tests."""

from __future__ import annotations

from bot.app import Rampe
from bot.demo import fill_demo


def fill(app: Rampe, me: str = "anna", seed: int = 7) -> tuple[str, list[str]]:
    """Fill the app's database with the demo; the summary and the progress messages."""
    messages: list[str] = []
    with app.unit_of_work() as session:
        summary = fill_demo(session, app.clock(), seed=seed, me=me, progress=messages.append)
    return summary, messages
