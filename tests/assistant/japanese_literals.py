"""Test helper: the Japanese string literals of a Python file, outside docstrings.

A literal counts when it holds kana or kanji (an f-string counts once per literal part).
Docstrings (the first statement of a module, class or function) are documentation, not rules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

__all__ = ["japanese_literals"]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, _DOCUMENTED) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def japanese_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant holding kana or kanji, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _JAPANESE.search(node.value)
    ]
