"""Imports flow one way: core → ingest → index → assistant → api; nothing imports eval/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOW = ("core", "ingest", "index", "assistant", "api")


def _imported_packages(path: Path) -> set[str]:
    """Top-level project packages a file imports, at module level or lazily in a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found & {*FLOW, "eval", "tests"}


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", FLOW)
def test_a_stage_imports_only_stages_below_it(package: str) -> None:
    allowed = set(FLOW[: FLOW.index(package) + 1])
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) - allowed)
        for path in _files(package)
        if _imported_packages(path) - allowed
    }
    assert not wrong


def test_benchmarks_import_neither_eval_nor_tests() -> None:
    wrong = [p.name for p in _files("benchmarks") if _imported_packages(p) & {"eval", "tests"}]
    assert not wrong


def test_core_is_the_bottom() -> None:
    assert all(_imported_packages(p) <= {"core"} for p in _files("core"))


def _module_imports(package: str) -> dict[str, set[str]]:
    """Module → modules of the same package it imports (type-checking imports included)."""
    graph: dict[str, set[str]] = {}
    for path in _files(package):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        deps = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and not node.level
                and node.module.startswith(f"{package}.")
            ):
                deps.add(node.module)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph, or nothing."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> list[str]:
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep] if dep in path else [module, dep]
            if dep not in state and (found := visit(dep, [*path, dep])):
                return found
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module, [module])):
            return found
    return []


@pytest.mark.parametrize("package", FLOW)
def test_no_import_loop_inside_a_stage(package: str) -> None:
    assert _cycle(_module_imports(package)) == []


def test_the_loop_finder_finds_a_loop() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
