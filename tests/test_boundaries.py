"""Rules about the shape of the code that a test can hold us to."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from bot.commands import Command, split_command
from bot.registry import build_table
from kernel.errors import UserError
from kernel.i18n import CATALOGUES
from tests.conftest import DEFAULT_NOW

ROOT = Path(__file__).resolve().parent.parent
CORE = ["bot", "store", "reports"]
PLATFORM_SDKS = ("slack_bolt", "slack_sdk", "botbuilder")


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_only_platform_adapters_import_platform_sdks() -> None:
    offenders = []
    for path in python_files(*CORE):
        if (ROOT / "bot" / "platforms") in path.parents:
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in PLATFORM_SDKS:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert python_files("bot", "store"), "the scan found no code"
    assert offenders == []


def test_the_scan_sees_platform_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from slack_sdk.web import WebClient\nimport botbuilder.core\n")
    assert {"slack_sdk.web", "botbuilder.core"} <= imported_modules(sample)


def test_only_settings_read_the_environment() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files(*CORE)
        if re.search(r"os\.environ|os\.getenv", path.read_text(encoding="utf-8"))
        and path != ROOT / "bot" / "settings.py"
    ]
    assert offenders == []


def test_pandas_stays_in_reports() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files("bot", "store")
        if any(m.split(".")[0] == "pandas" for m in imported_modules(path))
    ]
    assert offenders == []


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_danish_and_english_hold_the_same_texts() -> None:
    da, en = CATALOGUES["da"], CATALOGUES["en"]
    assert sorted(set(da) ^ set(en)) == []
    mismatched = [key for key in da if placeholders(da[key]) != placeholders(en[key])]
    assert mismatched == []


TEXT_KEY = re.compile(
    r"""(?:UserError|ctx\.t|\bt)\(\s*(?:lang,\s*|[a-z_.]+,\s*)?["']([a-z_0-9.]+)["']"""
)


def test_english_says_placement_and_keeps_praktik_for_what_is_typed() -> None:
    # The glossary's English word is "placement"; "praktik" stays only in words a person
    # types (had-praktik, cohort:praktik, /praktik) and beside its translation once.
    typed = re.compile(r"had-praktik|cohort:praktik|/praktik|placement \(praktik\)")
    shown = {key: typed.sub("", text) for key, text in CATALOGUES["en"].items()}
    assert [key for key, text in shown.items() if "praktik" in text.casefold()] == []


def test_every_text_key_in_the_code_exists() -> None:
    used = {
        (path.relative_to(ROOT), key)
        for path in python_files(*CORE)
        for key in TEXT_KEY.findall(path.read_text(encoding="utf-8"))
        if "." in key and not key.endswith(".")  # "form." is an f-string's fixed part
    }
    assert len(used) > 50, "the scan found too few keys to be working"
    missing = sorted(f"{path}: {key}" for path, key in used if key not in CATALOGUES["da"])
    assert missing == []


@pytest.mark.parametrize("command", list(build_table()), ids=lambda c: c.name)
def test_every_command_has_help_usage_and_examples(command: object) -> None:
    from bot.commands import Command

    assert isinstance(command, Command)
    assert command.help_key in CATALOGUES["da"]
    assert command.usage_key in CATALOGUES["da"]
    assert command.examples and all(e.startswith("/") for e in command.examples)


@pytest.mark.parametrize("command", list(build_table()), ids=lambda c: c.name)
def test_every_command_has_english_examples_under_its_english_name(command: Command) -> None:
    assert len(command.examples_en) == len(command.examples)
    assert {e.split()[0] for e in command.examples_en} == {f"/{command.english}"}


EXAMPLES = [(c, e) for c in build_table() for lang in ("da", "en") for e in c.examples_for(lang)]


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_example_parses_with_its_commands_parser(command: Command, example: str) -> None:
    name, rest = split_command(example)
    assert build_table().find(name) is command
    try:
        command.parse(rest, DEFAULT_NOW.date())
    except UserError as err:
        pytest.fail(f"{example!r} does not parse: {err.key} {err.params}")


def test_every_setting_is_documented_in_env_example() -> None:
    from kernel.settings import Settings

    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    aliases = [f.alias for f in Settings.model_fields.values() if f.alias]
    assert len(aliases) > 20
    assert [a for a in aliases if f"\n{a}=" not in documented] == []


@pytest.mark.parametrize(
    ("command", "danish", "english"),
    [
        ("borger", "mette startet 2/11", "mette started 2/11"),
        ("borger", "mette fortsæt", "mette continue"),
        ("job", "mette begynd @bilka", "mette begin @bilka"),
        ("job", "mette ansat @bilka", "mette hired @bilka"),
        ("opfølgning", "senere 42 1u", "later 42 1w"),
        ("fravær", "fjern", "remove"),
    ],
)
def test_danish_words_have_english_twins(command: str, danish: str, english: str) -> None:
    found = build_table().find(command)
    assert found is not None
    today = date(2026, 11, 23)
    assert found.parse(english, today) == found.parse(danish, today)


def test_reports_import_nothing_of_the_conversation() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files("reports")
        for module in imported_modules(path)
        if module.split(".")[0] == "bot"
    ]
    assert python_files("reports"), "the scan found no code"
    assert offenders == []
