"""Rebuild the ordinance's articles from a two-column page dump.

The dump interleaves the columns of each page, so an article's heading, its text and even
the end of one of its items can sit far apart. The rules here are generic for Japanese
ordinances printed in this layout:

* the ordinance starts at the last line ending in 「条例」 before the first article marker;
* an article's text is what follows its ``第N条`` marker up to the next marker, heading,
  sidebar label, footer or 「附則」; the text before the first marker is the preamble;
* headings ``（…）`` queue up in reading order and each marker takes the oldest waiting one
  (two headings on one line belong to the next two markers, left column first);
* an article that ends mid-sentence continues in the fragment that starts with its next
  item number out of sequence (or, failing that, in a marker-less fragment), from the line
  after the last sentence end before that item.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest.ids import stable_id
from ingest.lines import FOOTER_RE, clean_text, join_lines, sidebar_lines
from ingest.models import (
    SUPPLEMENTARY_ARTICLE,
    Article,
    ArticleItem,
    ArticleParagraph,
    Span,
)

__all__ = ["OrdinanceParser", "find_ordinance_start"]

log = logging.getLogger(__name__)

_DIGITS = "0-9０-９"
_HEADING = re.compile(r"^\s*（([^（）。]+)）")
_MARKER = re.compile(rf"^\s*第\s*([{_DIGITS}]+)\s*条\s+(\S.*)$")
_MARKER_ANYWHERE = re.compile(rf"^\s*(?:（[^（）。]+）\s*)*第\s*[{_DIGITS}]+\s*条\s+\S")
_SUPPLEMENTARY = re.compile(r"^\s*附\s*則\s*$")
_ITEM = re.compile(rf"^\s*[(（]\s*([{_DIGITS}]+)\s*[)）]\s*(.*)$")
_PARAGRAPH = re.compile(rf"^\s*([{_DIGITS}]+)[ \u3000]+(\S.*)$")
_TITLE_LINE = re.compile(r"条例\s*$")
_SENTENCE_END = re.compile(r"[。」）)]\s*$")

PageLookup = Callable[[int], "int | None"]


def _number(text: str) -> int:
    return int(clean_text(text))


def find_ordinance_start(lines: Sequence[str]) -> int | None:
    """0-based index of the ordinance's title line, or None when the text has no ordinance."""
    first_marker = next((i for i, line in enumerate(lines) if _MARKER_ANYWHERE.match(line)), None)
    if first_marker is None:
        return None
    for index in range(first_marker - 1, -1, -1):
        if _TITLE_LINE.search(lines[index]):
            return index
    return None


@dataclass
class _Run:
    """Lines that belong to one article (or the preamble) in reading order."""

    number: int  # 0 = preamble, -1 = no owner yet
    lines: list[tuple[int, str]] = field(default_factory=list)  # (0-based index, raw text)


def _split_headings(text: str) -> tuple[list[str], str]:
    """Leading ``（見出し）`` groups of a line and the rest, when the rest is empty or a marker."""
    headings: list[str] = []
    rest = text
    while match := _HEADING.match(rest):
        headings.append(clean_text(match.group(1)))
        rest = rest[match.end() :]
    if headings and (not rest.strip() or _MARKER.match(rest)):
        return headings, rest
    return [], text


class OrdinanceParser:
    """Parse the ordinance at the end of the report into :class:`Article` records."""

    def __init__(self, source_name: str, page_of: PageLookup | None = None) -> None:
        self.source_name = source_name
        self.page_of = page_of

    def parse(self, lines: Sequence[str]) -> tuple[Article, ...]:
        start = find_ordinance_start(lines)
        if start is None:
            return ()
        runs, titles = self._runs(lines, start + 1)
        self._join_unfinished(runs)
        merged: dict[int, list[tuple[int, str]]] = {}
        for run in runs:
            if run.number >= 0:
                merged.setdefault(run.number, []).extend(run.lines)
        articles = [
            self._article(number, body, titles.get(number))
            for number, body in sorted(merged.items())
            if body
        ]
        log.info("parsed %d ordinance articles", len(articles))
        return tuple(articles)

    def _runs(self, lines: Sequence[str], begin: int) -> tuple[list[_Run], dict[int, str]]:
        skip = sidebar_lines(lines[begin:])
        runs: list[_Run] = [_Run(number=-1)]
        pending: list[str] = []
        titles: dict[int, str] = {}
        for offset, raw in enumerate(lines[begin:]):
            index = begin + offset
            if not raw.strip():
                continue
            if offset in skip or FOOTER_RE.match(raw):
                runs.append(_Run(number=-1))
                continue
            if _SUPPLEMENTARY.match(raw):
                runs.append(_Run(number=SUPPLEMENTARY_ARTICLE))
                continue
            headings, rest = _split_headings(raw)
            if headings:
                pending.extend(headings)
                runs.append(_Run(number=-1))
                if not rest.strip():
                    continue
            marker = _MARKER.match(rest)
            if marker:
                number = _number(marker.group(1))
                if pending:
                    titles.setdefault(number, pending.pop(0))
                runs.append(_Run(number=number, lines=[(index, marker.group(2))]))
                continue
            runs[-1].lines.append((index, rest))
        kept = [run for run in runs if run.lines]
        # Text before the first article marker (after the title) is the preamble.
        for run in kept:
            if run.number != -1:
                break
            run.number = 0
        return kept, titles

    def _join_unfinished(self, runs: list[_Run]) -> None:
        for run in list(runs):
            if run.number <= 0 or not run.lines or not self._unfinished(run):
                continue
            tail = self._continuation(runs, run)
            if tail:
                run.lines.extend(tail)

    @staticmethod
    def _unfinished(run: _Run) -> bool:
        """True when the run stops mid-sentence.

        Items of a list may legitimately end without 「。」 (noun phrases), so a last item
        is unfinished only when its sibling items do end with one.
        """
        if _SENTENCE_END.search(run.lines[-1][1]):
            return False
        starts = [pos for pos, (_, text) in enumerate(run.lines) if _ITEM.match(text)]
        paragraphs = [pos for pos, (_, text) in enumerate(run.lines) if _PARAGRAPH.match(text)]
        if not starts or (paragraphs and paragraphs[-1] > starts[-1]):
            return True
        ends = [starts[i + 1] - 1 for i in range(len(starts) - 1)]
        return bool(ends) and all(_SENTENCE_END.search(run.lines[end][1]) for end in ends)

    def _continuation(self, runs: list[_Run], target: _Run) -> list[tuple[int, str]]:
        items = [_number(m.group(1)) for _, text in target.lines if (m := _ITEM.match(text))]
        wanted = (items[-1] + 1) if items else None
        for run in runs:
            if run is target or wanted is None:
                continue
            seen: int | None = None
            for pos, (_, text) in enumerate(run.lines):
                item = _ITEM.match(text)
                if not item:
                    continue
                number = _number(item.group(1))
                if number == wanted and seen != wanted - 1:
                    # The line before the item ends the continued sentence; its start
                    # is right after the previous sentence end.
                    cut = max(pos - 1, 0)
                    while cut > 0 and not _SENTENCE_END.search(run.lines[cut - 1][1]):
                        cut -= 1
                    tail = run.lines[cut:]
                    del run.lines[cut:]
                    return tail
                seen = number
        for run in runs:
            if run.number == -1 and run.lines:
                tail = list(run.lines)
                run.lines.clear()
                return tail
        return []

    def _article(self, number: int, body: list[tuple[int, str]], title: str | None) -> Article:
        paragraphs: list[tuple[int, list[str], list[tuple[int, list[str]]]]] = [(1, [], [])]
        for _, text in body:
            item = _ITEM.match(text)
            para = _PARAGRAPH.match(text) if number > 0 else None
            if item:
                paragraphs[-1][2].append((_number(item.group(1)), [item.group(2)]))
            elif para and paragraphs[-1][1]:
                paragraphs.append((_number(para.group(1)), [para.group(2)], []))
            elif paragraphs[-1][2]:
                paragraphs[-1][2][-1][1].append(text)
            else:
                paragraphs[-1][1].append(text)
        built = tuple(
            ArticleParagraph(
                number=para_number,
                text=join_lines(para_lines),
                items=tuple(ArticleItem(n, join_lines(item_lines)) for n, item_lines in items),
            )
            for para_number, para_lines, items in paragraphs
        )
        if number == 0:
            built = self._split_preamble(body)
        indexes = [index for index, _ in body]
        span = Span(min(indexes) + 1, max(indexes) + 1)
        default_title = {0: "前文", SUPPLEMENTARY_ARTICLE: "附則"}.get(number, "")
        return Article(
            id=stable_id(self.source_name, "article", number),
            number=number,
            title=title or default_title,
            paragraphs=built,
            page=self.page_of(span.first) if self.page_of else None,
            lines=span,
        )

    @staticmethod
    def _split_preamble(body: list[tuple[int, str]]) -> tuple[ArticleParagraph, ...]:
        # The preamble has no paragraph numbers: a line ending a sentence ends a paragraph,
        # and every paragraph keeps number 1 so that ``Article.text`` prints no number.
        paragraphs: list[ArticleParagraph] = []
        current: list[str] = []
        for _, text in body:
            current.append(text)
            if _SENTENCE_END.search(text):
                paragraphs.append(ArticleParagraph(1, join_lines(current)))
                current = []
        if current:
            paragraphs.append(ArticleParagraph(1, join_lines(current)))
        return tuple(paragraphs)
