"""Every regular expression that may read a question finishes quickly on hostile text.

A question is NFKC-normalised before the rules read it, and NFKC turns one character into
several (㍿ → 株式会社), so a short question can hand them thousands of characters. One
pattern that re-split a long kanji run took minutes on such a question, holding the GIL and
so freezing the whole server. The patterns are collected, not listed: a new one is covered
as soon as it is written, as a module-level pattern, as a literal in a ``re.*`` call or as a
pattern entry of the assistant's rule catalogue.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from assistant.catalogue import Pattern, rules

# Packages whose patterns read questions (or the answers built from them). Of ``ingest``,
# only the Sudachi adapter sees questions; its other modules parse the bundled report.
_PACKAGES = ("assistant", "index", "api")
_MODULES = ("ingest.sudachi",)
_RE_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn"}
_RE_CALLS |= {"split"}

_LENGTH = 4000  # four times the longest question: NFKC can lengthen one that much and more
_BOUND_S = 0.5  # per pattern and input; a linear pattern takes well under 10 ms here

# Long runs of one kind of character, repeated words, and what NFKC makes of compatibility
# characters (㍿ → 株式会社, ㌔ → キロ, ⑳ → 20, ㍻ → 平成, ㏠ → 1日).
_UNITS = (
    *("漢", "あ", "カ", "ー", "a", "A", "1", "2020", "十五", "〇"),
    *("株式会社", "年度", "第1条", "第十", "1年", "1月", "1円", "1万", "1%", "1/", "1:"),
    *("あア漢1a", "テクノー", "1,", "1.", "1 ", "1,,", "漢 ", "(", "(a", "「", "・"),
    *(" ", "\n", "1\n", "、", "0-", "(1)", "○"),
)
_COMPATIBILITY = ("㍿", "㌔", "⑳", "㍻", "㏠", "⒇")


def _hostile_inputs() -> dict[str, str]:
    inputs = {f"{unit!r} run": (unit * _LENGTH)[:_LENGTH] for unit in _UNITS}
    for char in _COMPATIBILITY:
        inputs[f"NFKC {char!r} run"] = unicodedata.normalize("NFKC", char * _LENGTH)[:_LENGTH]
    inputs["kanji run then a year"] = "漢" * _LENGTH + "2017"
    inputs["hiragana run then a year"] = "あ" * _LENGTH + "2017"
    return inputs


def _module_names() -> list[str]:
    names = list(_MODULES)
    for package in _PACKAGES:
        path = importlib.import_module(package).__path__
        names += [info.name for info in pkgutil.walk_packages(path, f"{package}.")]
    return names


def _patterns_in(value: Any, where: str, out: dict[tuple[str, int], str], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        out.setdefault((value.pattern, value.flags), where)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _patterns_in(item, f"{where}[{key!r}]", out, depth + 1)
    elif depth < 3 and isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _patterns_in(item, f"{where}[{index}]", out, depth + 1)


def _literal_patterns(path: Path, module: str, out: dict[tuple[str, int], str]) -> None:
    """Literal patterns passed to ``re.compile``/``re.search``/… inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS
            and node.args
        ):
            continue
        try:
            text = ast.literal_eval(node.args[0])
        except ValueError:
            continue  # built at run time: its parts are module-level patterns
        if isinstance(text, str):
            compiled = re.compile(text)
            out.setdefault((compiled.pattern, compiled.flags), f"{module}:{node.lineno}")


def _catalogue_patterns(out: dict[tuple[str, int], str]) -> None:
    """The rules' patterns kept as data (a corpus term filled with its sample value)."""
    for name, entry in rules().entries.items():
        if isinstance(entry, Pattern):
            compiled = entry.compiled(**entry.sample_terms)
            out.setdefault((compiled.pattern, compiled.flags), f"catalogue:{name}")


def _collect() -> dict[str, re.Pattern[str]]:
    found: dict[tuple[str, int], str] = {}
    _catalogue_patterns(found)
    for name in _module_names():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            _patterns_in(value, f"{name}.{attr}", found)
            if isinstance(value, type) and value.__module__ == name:
                for class_attr, item in vars(value).items():
                    _patterns_in(item, f"{name}.{attr}.{class_attr}", found)
        if module.__file__:
            _literal_patterns(Path(module.__file__), name, found)
    return {where: re.compile(pattern, flags) for (pattern, flags), where in found.items()}


PATTERNS = _collect()
INPUTS = _hostile_inputs()


def test_the_collection_finds_module_level_and_inline_patterns():
    assert len(PATTERNS) > 50
    assert "catalogue:patterns.question.edition" in PATTERNS  # the one that froze the server
    assert any(":" in where for where in PATTERNS)  # literals inside functions
    assert "catalogue:patterns.value.figure" in PATTERNS  # the rules kept as data


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_pattern_scans_hostile_text_in_bounded_time(where):
    pattern = PATTERNS[where]
    for name, text in INPUTS.items():
        started = time.thread_time()  # CPU time: other load on the machine does not count
        for _ in pattern.finditer(text):
            pass
        elapsed = time.thread_time() - started
        # Stop at the first slow input: a catastrophic pattern can take minutes per input.
        assert elapsed < _BOUND_S, f"{where} /{pattern.pattern}/: {elapsed:.2f} s on {name}"
