"""Shared vocabulary for reading programme records: cleaned lines, headings, paragraphs.

A record's lines are read once into :class:`Line` (line number + cleaned text: noise removed,
spaces squeezed, NFKC + number repairs), so every rule below works on the same form.
The heading patterns describe the report's record layout (事業計画 Plan / 主な取組 /
主な成果・活動指標 / KPI figure tables / 事業の実施状況 Do / 【…検証意見】 / 【…以降の対応】 /
the ``… Check`` ``… Action`` side labels), not any one programme.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.models import Span, TextBlock
from ingest.source import SourceText
from ingest.text import join_wrapped, normalize

__all__ = [
    "ACTION_HEAD",
    "ACTUAL_ROW",
    "BUDGET_LINE",
    "BULLET",
    "CHECK_HEAD",
    "COLUMN_HEAD",
    "DO_HEAD",
    "INDICATORS_HEAD",
    "KPI_HEAD",
    "PART_HEAD",
    "PLAN_HEAD",
    "SIDE_LABEL",
    "TARGET_ROW",
    "TORIKUMI_HEAD",
    "Line",
    "block",
    "bullets",
    "clean_lines",
    "is_chart_debris",
    "is_heading",
    "key",
    "paragraphs",
]

PLAN_HEAD = re.compile(r"^事業計画 ?Plan$")
DO_HEAD = re.compile(r"^(事業の)?実施状況 ?Do$")
TORIKUMI_HEAD = re.compile(r"^主な取組")
INDICATORS_HEAD = re.compile(r"主な成果・活動指標$")
KPI_HEAD = re.compile(r"^\d{4}\(\d+\)年度 ?\d{4}\(\d+\)年度$")
TARGET_ROW = re.compile(r"^目標\((?P<unit>[^)]+)\) ?(?P<rest>.*)$")
ACTUAL_ROW = re.compile(r"^実績\((?P<unit>[^)]+)\) ?(?P<rest>.*)$")
CHECK_HEAD = re.compile(r"^【[^】]*検証意見】?$")
ACTION_HEAD = re.compile(r"^【[^】]*以降の対応】?$")
SIDE_LABEL = re.compile(r"(検証意見 ?Check|対応 ?Action)$")
BUDGET_LINE = re.compile(r"^\d+年度予算|年度決算$|^\(見込\)")
COLUMN_HEAD = re.compile(r"^〈.*コラム〉$")
BULLET = re.compile(r"^[○〇◯●◎]")
_NUMBERS_ONLY = re.compile(r"^[\s\d,.%％()（）\-－ー年度*＊]+$")
_AMOUNTS_ONLY = re.compile(r"^(\s*[\d,.]+(億|万|千|百万)円?)+\s*$")  # a chart's value labels
_AXIS_TOKENS = 3
_AXIS_TOKEN_CHARS = 6
PART_HEAD = re.compile(r"^\(参考\)")  # an appended part (the ordinance's text)

_HEADINGS = (
    PLAN_HEAD,
    DO_HEAD,
    TORIKUMI_HEAD,
    INDICATORS_HEAD,
    KPI_HEAD,
    TARGET_ROW,
    ACTUAL_ROW,
    CHECK_HEAD,
    ACTION_HEAD,
    SIDE_LABEL,
    BUDGET_LINE,
    COLUMN_HEAD,
)


@dataclass(frozen=True, slots=True)
class Line:
    """One content line of the report: 1-based number and cleaned text."""

    n: int
    text: str
    indented: bool = False  # the raw line starts with a space: a new paragraph in prose columns


def clean_lines(source: SourceText, first: int, last: int) -> list[Line]:
    """Content lines ``first..last``: no blanks, footers or sidebars; text cleaned per line."""
    out = []
    for n, raw in source.content(first, last):
        text = normalize(join_wrapped([raw])).strip()
        if text:
            out.append(Line(n, text, raw[:1] in (" ", "\u3000")))
    return out


def key(text: str) -> str:
    """Comparison key for names: normalised, without spaces and note marks (＊ ※)."""
    return re.sub(r"[\s*※＊]", "", normalize(text))


def is_heading(text: str) -> bool:
    """True for any structural line of a record (never part of a text block)."""
    return any(p.search(text) for p in _HEADINGS)


def block(lines: Sequence[Line], sep: str = "") -> TextBlock | None:
    """Lines joined into one :class:`TextBlock` (``sep`` between lines), or None if empty."""
    if not lines:
        return None
    text = sep.join(x.text for x in lines) if sep else join_wrapped(x.text for x in lines)
    return TextBlock(text=text, lines=Span(lines[0].n, lines[-1].n))


def bullets(lines: Iterable[Line]) -> list[list[Line]]:
    """Group lines into items: a bullet (○) line starts an item, other lines continue it.

    Lines before the first bullet form an item of their own.
    """
    items: list[list[Line]] = []
    for line in lines:
        if BULLET.match(line.text) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return items


_FIGURE_END = re.compile(r"\d[\d,.]* ?[^\d\s、。]{0,3}( ?等)?$")


def paragraphs(lines: Iterable[Line]) -> list[list[Line]]:
    """Group wrapped lines into paragraphs.

    A paragraph ends after a line ending in ``。``, and a ``・`` figure bullet ends at its
    first line that ends with a figure and its counter (``・相談件数`` / ``883 件``). A line
    starting with a list mark (○ ・ ※ ＊ ①…) starts a new paragraph, and so does an indented
    line, except below an open ``・`` label without figures (``・貸付事業`` / ``  100万円…``).
    """
    out: list[list[Line]] = []
    closed = True
    for line in lines:
        starts = bool(re.match(r"^[○〇◯●◎・※*＊\u2460-\u2473]", line.text))
        bullet = bool(out) and out[-1][0].text.startswith("・")
        label = bullet and not any(re.search(r"\d", x.text) for x in out[-1])
        if closed or starts or (line.indented and not label) or not out:
            out.append([line])
        else:
            out[-1].append(line)
        figure = out[-1][0].text.startswith("・") and _FIGURE_END.search(line.text) is not None
        closed = line.text.endswith(("。", "。)")) or figure
    return out


def is_chart_debris(line: str) -> bool:
    """Chart axis labels and values: bare figures or amounts (``322億``), or a row of short
    tokens that all hold a digit (``H18 H19 H20``, ``30 34歳 25 29歳``)."""
    text = normalize(line)
    if _NUMBERS_ONLY.match(text) or _AMOUNTS_ONLY.match(text):
        return True
    tokens = unicodedata.normalize("NFKC", line).split()
    return len(tokens) >= _AXIS_TOKENS and all(
        len(token) <= _AXIS_TOKEN_CHARS and any(ch.isdigit() for ch in token) for token in tokens
    )
