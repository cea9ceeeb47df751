"""The import graph: no cycles at all, and every module placed in a layer of the contract.

`lint-imports` (run by `make test`) checks the layers and forbidden imports declared in
pyproject.toml; these tests check what a layers contract cannot see.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "store", "reports", "kernel")


@cache
def graph() -> grimp.ImportGraph:
    """Every import between our modules, also those under TYPE_CHECKING or in a function."""
    return grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(imports.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = [stack.pop()]
            while group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1 or module in imports.get(module, ()):
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def our_imports() -> dict[str, set[str]]:
    g = graph()
    return {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}


def test_no_module_level_import_cycle() -> None:
    imports = our_imports()
    assert len(imports) > 100, "the scan found too few modules to be working"
    assert cycles(imports) == []


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    imports: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(imports) == expected


def layer_modules() -> list[str]:
    """The modules named in the layers contract, in every layer."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    return [name.strip() for layer in layers for name in layer.replace("|", ":").split(":")]


def test_every_module_sits_in_a_layer() -> None:
    """A new module outside every layer would escape the contract: name it in pyproject.toml."""
    named = layer_modules()
    packages = set(PACKAGES)
    outside = sorted(
        m
        for m in graph().modules
        if m not in packages and not any(m == n or m.startswith(n + ".") for n in named)
    )
    assert outside == []
