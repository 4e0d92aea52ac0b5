"""The gold Q&A set: its item type, a strict loader and the fact normalisation.

Gold items live in ``eval/gold/*.jsonl`` (one JSON object a line). :func:`load_gold` turns
them into frozen :class:`GoldItem` records and stops at the first malformed line with a
:class:`GoldFormatError` naming the file, the line number and the reason, so a typo in the
gold set never silently becomes a wrong score.

:func:`normalize_fact`, :func:`contains_fact` (the one definition of "this fact is in that
text", shared with the metrics) and :func:`unit_text` live in :mod:`eval.gold_facts` and are
re-exported here, so callers import everything gold-related from this module.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import ConfigError
from eval.gold_facts import contains_fact, fact_variants, normalize_fact, unit_text
from ingest import SECTION_KEYS as INGEST_SECTION_KEYS

__all__ = [
    "ANSWERABLE_CATEGORIES",
    "CATEGORIES",
    "DEFAULT_GOLD_DIR",
    "SECTION_KEYS",
    "STYLES",
    "GoldFormatError",
    "GoldItem",
    "GoldSource",
    "contains_fact",
    "default_gold_paths",
    "fact_variants",
    "gold_set_problems",
    "load_gold",
    "normalize_fact",
    "unit_text",
]

CATEGORIES = (
    "subsidy",
    "loan",
    "contact",
    "budget",
    "kpi",
    "ordinance",
    "programme",
    "statistics",
    "multi_turn",
    "unanswerable",
)
ANSWERABLE_CATEGORIES = tuple(c for c in CATEGORIES if c != "unanswerable")
STYLES = ("formal", "colloquial")
SECTION_KEYS = INGEST_SECTION_KEYS  # the gold set cites the same section keys ingest produces
DEFAULT_GOLD_DIR = Path(__file__).resolve().parent / "gold"

_KEYS = {"id", "category", "style", "question", "answer", "must_include", "sources", "answerable"}
_MAX_ARTICLE = 25  # 附則
_TURNS = (2, 3)


class GoldFormatError(ConfigError):
    """A gold file is missing or one of its lines is malformed."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"正解データの形式エラー / bad gold item at {where}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class GoldSource:
    """Where a gold fact is in the report: exactly one of programme, article, section."""

    programme: str | None = None
    article: int | None = None
    section: str | None = None

    def matches(
        self, programme: str | None = None, article: int | None = None, section: str | None = None
    ) -> bool:
        """True when a unit with this metadata (e.g. a chunk's) is this source."""
        if self.programme is not None:
            return normalize_fact(self.programme) == normalize_fact(programme or "")
        if self.article is not None:
            return article == self.article
        return self.section is not None and section == self.section

    def as_dict(self) -> dict[str, str | int]:
        if self.programme is not None:
            return {"programme": self.programme}
        if self.article is not None:
            return {"article": self.article}
        return {"section": self.section or ""}


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold question; multi_turn items hold their turns, the rest is about the last turn."""

    id: str
    category: str
    style: str
    question: str | tuple[str, ...]
    answer: str
    must_include: tuple[str, ...]
    sources: tuple[GoldSource, ...]
    answerable: bool
    path: str = ""
    line: int = 0

    @property
    def turns(self) -> tuple[str, ...]:
        """The questions to ask in order (one for single-turn items)."""
        return self.question if isinstance(self.question, tuple) else (self.question,)

    @property
    def last_question(self) -> str:
        return self.turns[-1]


def default_gold_paths() -> list[Path]:
    """The bundled gold files, sorted."""
    return sorted(DEFAULT_GOLD_DIR.glob("*.jsonl"))


def load_gold(paths: Path | str | Iterable[Path | str] | None = None) -> list[GoldItem]:
    """Load and validate gold items from files or folders (default: the bundled set).

    Raises :class:`GoldFormatError` (a ``ConfigError``) on the first bad line, naming it.
    """
    if paths is None:
        files = default_gold_paths()
    elif isinstance(paths, str | Path):
        files = [Path(paths)]
    else:
        files = [Path(p) for p in paths]
    expanded: list[Path] = []
    for f in files:
        expanded.extend(sorted(f.glob("*.jsonl")) if f.is_dir() else [f])
    if not expanded:
        raise GoldFormatError(DEFAULT_GOLD_DIR if paths is None else str(paths), None, "no files")
    items: list[GoldItem] = []
    seen: dict[str, str] = {}
    for path in expanded:
        for item in _load_file(path):
            if item.id in seen:
                raise GoldFormatError(
                    path, item.line, f"duplicate id {item.id!r} (first: {seen[item.id]})"
                )
            seen[item.id] = f"{path}:{item.line}"
            items.append(item)
    return items


def _load_file(path: Path) -> list[GoldItem]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(path, None, f"cannot read: {exc}") from exc
    items = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(path, number, f"invalid JSON: {exc.msg}") from exc
        try:
            items.append(_parse_item(obj, str(path), number))
        except ValueError as exc:
            raise GoldFormatError(path, number, str(exc)) from exc
    return items


def _parse_item(obj: Any, path: str, line: int) -> GoldItem:
    if not isinstance(obj, dict):
        raise ValueError("a line must hold a JSON object")
    missing, extra = _KEYS - obj.keys(), obj.keys() - _KEYS
    if missing or extra:
        raise ValueError(f"missing keys {sorted(missing)}, unknown keys {sorted(extra)}")
    item_id, category, style = obj["id"], obj["category"], obj["style"]
    if not isinstance(item_id, str) or not item_id.strip():
        raise ValueError("id must be a non-empty string")
    if category not in CATEGORIES:
        raise ValueError(f"{item_id}: category {category!r} not in {CATEGORIES}")
    if style not in STYLES:
        raise ValueError(f"{item_id}: style {style!r} not in {STYLES}")
    question = _parse_question(obj["question"], category, item_id)
    if not isinstance(obj["answer"], str) or not obj["answer"].strip():
        raise ValueError(f"{item_id}: answer must be a non-empty string")
    answerable = obj["answerable"]
    if not isinstance(answerable, bool):
        raise ValueError(f"{item_id}: answerable must be true or false")
    if answerable != (category != "unanswerable"):
        raise ValueError(f"{item_id}: answerable must be false exactly for category unanswerable")
    facts = obj["must_include"]
    if not isinstance(facts, list) or not all(isinstance(f, str) and f.strip() for f in facts):
        raise ValueError(f"{item_id}: must_include must be a list of non-empty strings")
    if answerable and not 1 <= len(facts) <= 3:
        raise ValueError(f"{item_id}: an answerable item needs 1-3 must_include facts")
    if not answerable and facts:
        raise ValueError(f"{item_id}: an unanswerable item must have must_include []")
    sources = _parse_sources(obj["sources"], item_id)
    if answerable and not sources:
        raise ValueError(f"{item_id}: an answerable item needs at least one source")
    return GoldItem(
        id=item_id,
        category=category,
        style=style,
        question=question,
        answer=obj["answer"],
        must_include=tuple(facts),
        sources=sources,
        answerable=answerable,
        path=path,
        line=line,
    )


def _parse_question(value: Any, category: str, item_id: str) -> str | tuple[str, ...]:
    if category == "multi_turn":
        if (
            not isinstance(value, list)
            or len(value) not in _TURNS
            or not all(isinstance(t, str) and t.strip() for t in value)
        ):
            raise ValueError(f"{item_id}: a multi_turn question must be a list of 2-3 strings")
        return tuple(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{item_id}: question must be a non-empty string")
    return value


def _parse_sources(value: Any, item_id: str) -> tuple[GoldSource, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{item_id}: sources must be a list")
    out = []
    for src in value:
        if not isinstance(src, Mapping) or len(src) != 1:
            raise ValueError(f"{item_id}: each source is an object with exactly one key")
        ((key, val),) = src.items()
        if key == "programme" and isinstance(val, str) and val.strip():
            out.append(GoldSource(programme=unicodedata.normalize("NFKC", val)))
        elif key == "article" and type(val) is int and 0 <= val <= _MAX_ARTICLE:
            out.append(GoldSource(article=val))
        elif key == "section" and val in SECTION_KEYS:
            out.append(GoldSource(section=val))
        else:
            raise ValueError(f"{item_id}: bad source {dict(src)!r}")
    return tuple(out)


def gold_set_problems(items: list[GoldItem], min_items: int = 120) -> list[str]:
    """Set-level rules (sizes, style mix); an empty list means the set is acceptable."""
    problems = []
    if len(items) < min_items:
        problems.append(f"only {len(items)} items (< {min_items})")
    unanswerable = sum(not i.answerable for i in items)
    if unanswerable < 20:
        problems.append(f"only {unanswerable} unanswerable items (< 20)")
    colloquial = sum(i.style == "colloquial" for i in items)
    if items and colloquial * 3 < len(items):
        problems.append(f"only {colloquial}/{len(items)} colloquial items (< 1/3)")
    for category in ANSWERABLE_CATEGORIES:
        styles = {i.style for i in items if i.category == category}
        if styles and styles != set(STYLES):
            problems.append(f"category {category} lacks one of the styles (has {sorted(styles)})")
    return problems
