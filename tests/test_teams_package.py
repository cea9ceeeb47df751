"""`rampe teams-package`: manifest from the command table, icons, a deterministic zip."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from bot.cli import main
from bot.commands import CommandTable
from bot.platforms.teams_package import MAX_MENU, menu_commands
from bot.registry import build_table


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the CLI reads `.env` from the working directory: none here


APP_ID = "00000000-0000-0000-0000-0000000000c3"


def package(tmp_path: Path, name: str, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / name
    result = CliRunner().invoke(
        main, ["teams-package", "--out", str(out), *args], env={"MICROSOFT_APP_ID": APP_ID}
    )
    return result.exit_code, result.output, out


def test_the_package_holds_a_manifest_from_the_command_table_and_two_icons(
    tmp_path: Path,
) -> None:
    code, output, out = package(tmp_path, "rampe-teams.zip")
    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["manifest.json", "color.png", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["supportsFiles"] is True  # or Teams shows no file cards
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    menu = [c.name for c in build_table() if c.menu]
    assert [c["title"] for c in commands] == menu[:MAX_MENU]
    assert "sprog" not in [c["title"] for c in commands]  # not a menu command
    assert commands[0] == {
        "title": "log",
        "description": "Log en kontakt med en borger eller virksomhed",
    }
    assert all(len(c["description"]) <= 128 for c in commands)
    assert len(manifest["description"]["short"]) <= 80
    assert (color.size, color.mode) == ((192, 192), "RGB")
    assert (outline.size, outline.mode) == ((32, 32), "RGBA")
    assert outline.getpixel((0, 0)) == (0, 0, 0, 0)  # transparent background
    assert outline.getpixel((24, 24)) == (255, 255, 255, 255)  # white mark


def test_the_package_is_deterministic(tmp_path: Path) -> None:
    first = package(tmp_path, "a.zip")[2].read_bytes()
    assert first == package(tmp_path, "b.zip")[2].read_bytes()
    assert (
        first != package(tmp_path, "c.zip", "--website", "https://kommune.example")[2].read_bytes()
    )


def test_at_most_ten_commands_reach_the_menu() -> None:
    every = [replace(c, menu=True) for c in build_table()]  # 11 commands, all for the menu
    assert len(every) > MAX_MENU == 10
    titles = [r["title"] for r in menu_commands(CommandTable(every))]
    assert titles == [c.name for c in every][:10]


def test_without_an_app_id_it_says_what_to_set(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["teams-package", "--out", str(tmp_path / "x.zip")], env={"MICROSOFT_APP_ID": ""}
    )
    assert result.exit_code == 2 and "MICROSOFT_APP_ID" in result.output
    assert not (tmp_path / "x.zip").exists()
