"""Logging for every `rampe` command: plain lines or one JSON object a line, errors counted.

Log messages never hold names, notes or request bodies (they say what happened and where), so
the JSON form carries only the time, level, logger and that message.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from kernel.metrics import ERRORS

# Bolt logs whole request bodies when a signature fails; bodies hold names and notes.
NOISY = ("slack_bolt", "slack_sdk", "botbuilder", "aiohttp.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: at, level, logger, message (and the exception's type)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__  # its text could quote a name
        return json.dumps(entry, ensure_ascii=False)


class ErrorCounter(logging.Handler):
    """Counts every error logged, by logger, for /metrics."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        ERRORS.labels(record.name).inc()


def configure_logging(level: str, form: str) -> None:
    """Set up the root logger once: `form` is "text" or "json"."""
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler, ErrorCounter()]
    root.setLevel(level.upper())
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
