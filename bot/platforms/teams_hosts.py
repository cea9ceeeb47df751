"""Which hosts Rampe may send to in Teams: the bot's token (TEAMS_SERVICE_HOSTS) and report
files (TEAMS_UPLOAD_HOSTS). A URL is allowed only over https (plain http only on loopback, for
tests and the emulator) and only on a host that one of the patterns names; `*.` matches any
subdomain."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def url_allowed(url: str | None, patterns: tuple[str, ...]) -> bool:
    """True if `url` is https (or loopback http) on a host matching one of `patterns`."""
    try:
        parts = urlsplit(url or "")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if not host or not (parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)):
        return False
    return any(
        host.endswith(p[1:]) if p.startswith("*.") else host == p for p in patterns if p != "*."
    )


def host_patterns(setting: str) -> tuple[str, ...]:
    """A comma-separated host setting as lower-case patterns."""
    parts = (part.strip().lower() for part in setting.split(","))
    return tuple(part for part in parts if part)


def host_of(url: str | None) -> str:
    """The host of `url` for a log line (never the path: it can name a person), or `?`."""
    try:
        return urlsplit(url or "").hostname or "?"
    except ValueError:
        return "?"
