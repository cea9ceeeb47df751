"""`rampe teams-package`: the Teams app package (manifest.json and two icons in a zip).

The command menu is generated from the command table: Teams lists at most 10 commands.
Output is deterministic: the same settings give the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from bot.commands import CommandTable
from kernel.i18n import t

MANIFEST_VERSION = "1.17"
MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
)
MAX_MENU = 10  # Teams shows at most 10 commands per commandList
ACCENT = (46, 125, 107)  # Rampe green
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def app_version() -> str:
    """Rampe's version, which the manifest carries (Teams wants x.y.z)."""
    try:
        return version("rampe")
    except PackageNotFoundError:
        return "0.1.0"


def menu_commands(table: CommandTable, lang: str = "da") -> list[dict[str, str]]:
    """The menu: commands marked for it, in table order, at most 10 (Teams' own limit)."""
    rows = [
        {"title": c.name[:32], "description": t(lang, c.help_key)[:128]} for c in table if c.menu
    ]
    return rows[:MAX_MENU]


def manifest(table: CommandTable, app_id: str, website: str, lang: str = "da") -> dict[str, Any]:
    """The Teams app manifest for the bot registered as `app_id`."""
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": app_version(),
        "id": app_id,
        "developer": {
            "name": "Rampe",
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": "Rampe", "full": "Rampe"},
        "description": {
            "short": t(lang, "teams.app_short")[:80],
            "full": t(lang, "teams.app_full")[:4000],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": True,  # report files via the file-consent flow
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal", "team", "groupChat"], "commands": menu_commands(table)}
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def _ramp(draw: ImageDraw.ImageDraw, size: int, fill: tuple[int, ...]) -> None:
    """A ramp rising to the right: the Rampe mark."""
    m = size // 6
    draw.polygon([(m, size - m), (size - m, size - m), (size - m, m)], fill=fill)


def color_icon() -> bytes:
    """The 192x192 colour icon: a white ramp on the accent colour."""
    image = Image.new("RGB", (192, 192), ACCENT)
    _ramp(ImageDraw.Draw(image), 192, (255, 255, 255))
    return _png(image)


def outline_icon() -> bytes:
    """The 32x32 outline icon: a white ramp on transparency, as Teams requires."""
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    _ramp(ImageDraw.Draw(image), 32, (255, 255, 255, 255))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def write_package(out: Path, table: CommandTable, app_id: str, website: str) -> Path:
    """Write manifest.json, color.png and outline.png into the zip at `out`."""
    files = {
        "manifest.json": json.dumps(
            manifest(table, app_id, website), ensure_ascii=False, indent=2
        ).encode("utf-8"),
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out
