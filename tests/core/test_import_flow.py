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
