"""Find where each programme's own record starts and ends in the report.

A record starts with a heading line (sometimes wrapped over two lines) that names a programme of
the overview table, or, for an article group with a single row, the group's title. The heading is
confirmed by what follows it:

* focus record: ``事業計画 Plan`` within a few lines, with only budget lines in between;
* short record: the next line is ``平成Y年度の実績 （…千円） 平成Y+1年度の概要 （…千円）``.

A record ends before the next record's heading, a column heading (``〈…コラム〉``) or a
``（参考）`` part, whichever comes first; a focus record also ends before a write-up printed
after its side labels (:func:`ingest.record_parts.write_up_start`), which the section parser
reads as one of the programme's columns. Mentions of a programme name inside other text are not
headings because they are not followed by either confirmation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.budget_kpi import is_short_header
from ingest.programme_table import TableRow
from ingest.record_layout import BUDGET_LINE, COLUMN_HEAD, PART_HEAD, PLAN_HEAD, Line, key
from ingest.record_parts import write_up_start

__all__ = ["RecordSpan", "locate_records"]

log = logging.getLogger(__name__)

FOCUS = "focus"
SHORT = "short"
_LOOKAHEAD = 6  # content lines between a focus heading and its 事業計画 Plan (budget lines)


@dataclass(frozen=True, slots=True)
class RecordSpan:
    """Where one programme's record is: ``lines[start:end]`` of the cleaned record area."""

    row: TableRow
    kind: str  # "focus" | "short"
    start: int  # index of the heading's first line
    body: int  # index of the first line after the heading
    end: int  # exclusive index


def _names(rows: Sequence[TableRow]) -> dict[str, TableRow]:
    names = {key(r.name): r for r in rows}
    per_article: dict[int, list[TableRow]] = {}
    for r in rows:
        per_article.setdefault(r.article, []).append(r)
    for group in per_article.values():
        title = key(group[0].article_title)
        if len(group) == 1 and title and title not in names:
            names[title] = group[0]
    return names


def _confirm(lines: Sequence[Line], body: int) -> str | None:
    if body < len(lines) and is_short_header(lines[body].text):
        return SHORT
    for x in lines[body : body + _LOOKAHEAD]:
        if PLAN_HEAD.match(x.text):
            return FOCUS
        if not BUDGET_LINE.search(x.text):
            return None
    return None


def locate_records(lines: Sequence[Line], rows: Sequence[TableRow]) -> list[RecordSpan]:
    """Records in report order (each table row at most once)."""
    names = _names(rows)
    found: list[tuple[int, int, TableRow, str]] = []
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        hit = None
        for width in (1, 2):
            if i + width > len(lines):
                break
            row = names.get(key("".join(x.text for x in lines[i : i + width])))
            if row is not None and row.name not in seen:
                kind = _confirm(lines, i + width)
                if kind:
                    hit = (i, i + width, row, kind)
                    break
        if hit:
            found.append(hit)
            seen.add(hit[2].name)
            i = hit[1]
        else:
            i += 1
    stops = [i for i, x in enumerate(lines) if COLUMN_HEAD.match(x.text) or PART_HEAD.match(x.text)]
    out = []
    for k, (start, body, row, kind) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        end = min([end, *(s for s in stops if s > start)])
        if kind == FOCUS:  # a write-up after the record's pages is not part of the record
            cut = write_up_start(lines[body:end])
            end = body + cut if cut is not None else end
        out.append(RecordSpan(row=row, kind=kind, start=start, body=body, end=end))
    log.info("located %d programme records", len(out))
    return out
