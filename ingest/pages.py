"""Best-effort page number for every line of the dump.

Only a few page footers (``- 13 -``, sometimes glued to the end of a text line) survive
the PDF conversion, but the programme table
gives the page each programme's record starts on. Both become anchors; pages of lines
between anchors are interpolated. Beyond the outermost anchors a page is given only
within one typical page length (the median spacing of the anchors); further out the page
is unknowable and reported as None.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.models import Programme
from ingest.text import page_footer_number, trailing_footer_number

__all__ = ["PageMap"]

_DEFAULT_PAGE_LINES = 100


@dataclass(frozen=True, slots=True)
class PageMap:
    """Sorted (line, page) anchors, 1-based lines; :meth:`page` answers any line."""

    anchors: tuple[tuple[int, int], ...]
    line_count: int
    page_lines: int = _DEFAULT_PAGE_LINES

    @classmethod
    def build(cls, lines: Sequence[str], programmes: Iterable[Programme] = ()) -> PageMap:
        points: list[tuple[int, int]] = []
        for index, line in enumerate(lines):
            page = page_footer_number(line)
            if page is None:
                page = trailing_footer_number(line)
            if page is not None:
                # The footer closes its page: the next line opens the following one.
                points += [(index + 1, page), (index + 2, page + 1)]
        for programme in programmes:
            if programme.page is not None and programme.record_lines is not None:
                points.append((programme.record_lines.first, programme.page))
        anchors = _monotonic(sorted(set(points)))
        return cls(anchors=tuple(anchors), line_count=len(lines), page_lines=_spacing(anchors))

    def page(self, line: int) -> int | None:
        """The best page for a 1-based line number, or None when it cannot be told."""
        if not self.anchors:
            return None
        lines = [anchor[0] for anchor in self.anchors]
        pos = bisect.bisect_right(lines, line)
        if pos == 0:
            first_line, first_page = self.anchors[0]
            return first_page if first_line - line < self.page_lines else None
        prev_line, prev_page = self.anchors[pos - 1]
        if pos == len(self.anchors):
            return prev_page if line - prev_line < self.page_lines else None
        next_line, next_page = self.anchors[pos]
        if next_page == prev_page:
            return prev_page
        fraction = (line - prev_line) / (next_line - prev_line)
        return prev_page + int(fraction * (next_page - prev_page))


def _monotonic(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop anchors whose page goes backwards (a mis-read table page must not fold the map)."""
    kept: list[tuple[int, int]] = []
    for line, page in points:
        if kept and page < kept[-1][1]:
            continue
        if kept and kept[-1][0] == line:
            kept[-1] = (line, max(page, kept[-1][1]))
            continue
        kept.append((line, page))
    return kept


def _spacing(anchors: list[tuple[int, int]]) -> int:
    rates = [
        (b_line - a_line) / (b_page - a_page)
        for (a_line, a_page), (b_line, b_page) in itertools.pairwise(anchors)
        if b_page > a_page and b_line - a_line > 1
    ]
    return int(statistics.median(rates)) if rates else _DEFAULT_PAGE_LINES
