"""Slack's request signature, checked before anything else reads the request.

slack_sdk's verifier raises on malformed headers (and bolt turns that into a 500, which Slack
retries), so every header is checked for shape here first: anything odd is simply invalid.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

MAX_AGE = 5 * 60  # seconds; older requests may be replays
TIMESTAMP_DIGITS = 12  # far beyond any real Unix time, far below a 5,000-digit one
SIGNATURE_LENGTH = len("v0=") + 64


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def is_valid(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> bool:
    """True if the request carries a fresh, well-formed, correct Slack signature."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    given = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_DIGITS):
        return False
    if abs(now - int(timestamp)) > MAX_AGE:
        return False
    if not (given.isascii() and given.startswith("v0=") and len(given) == SIGNATURE_LENGTH):
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)
