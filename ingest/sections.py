"""The report's non-programme parts as :class:`Section` records.

Headings are found by layout, not by wording: chapters ``１ はじめに`` (a full-width number,
a space and a short title, numbered in sequence), subsections ``（２）…``, circled paragraph
groups ``①…``, figure captions ``図表 …`` and columns ``〈…コラム〉``. Region boundaries come
from the other parsers (programme table, programme records, ordinance start).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterable, Sequence

from core import CorpusError
from ingest.ids import stable_id
from ingest.models import Programme, Section, Span
from ingest.ordinance import find_ordinance_start
from ingest.programme_table import ProgrammeTableParser, find_programme_table
from ingest.record_layout import is_chart_debris
from ingest.sections_parts import council_facts, opinion_text, survey_parts
from ingest.source import SourceText
from ingest.text import join_wrapped, normalize
from ingest.write_ups import write_ups

__all__ = ["SECTION_KEYS", "SectionParser"]

log = logging.getLogger(__name__)

SECTION_KEYS = (
    "introduction",
    "statistics",
    "survey",
    "council",
    "programme_table",
    "overall_opinions",
    "measures",
    "column",
)
_CHAPTER = re.compile(r"^\s*([１-９])[ \u3000]+([^、。\s][^、。]{0,38})$")
_SUBSECTION = re.compile(r"^\s*（([１-９])）\s*([^。]{1,40})$")
_CIRCLED = re.compile(r"^\s*([\u2460-\u2473])\s*([^。]{1,30})$")
_CAPTION = re.compile(r"^\s*図表\s*(.+)$")
_COLUMN = re.compile(r"^\s*〈(.+?)〉\s*$")
_HEADLINE = re.compile(r"^\s*[○◯]\s*([^。]{4,60})$")
_BULLET_HEAD = re.compile(r"^\s*[○◯]\s*(\S.{0,60})$")
_SAMPLE_SIZE = re.compile(r"(?<![A-Za-z])n\s*=\s*\d")
_FULLWIDTH_DIGITS = str.maketrans("１２３４５６７８９", "123456789")

PageLookup = Callable[[int], "int | None"]


class SectionParser:
    """Find the report's sections in one source text."""

    def __init__(self, source: SourceText, page_of: PageLookup | None = None) -> None:
        self.source = source
        self.page_of = page_of

    def parse(self, programmes: Sequence[Programme] = ()) -> tuple[Section, ...]:
        # Chapters are taken in the report's fixed order: 1 introduction, 2 current state
        # (statistics + survey), 3 council, 4 programmes (table, overall opinions, records).
        lines = self.source.lines
        ordinance = find_ordinance_start(lines)
        end = ordinance + 1 if ordinance is not None else len(lines) + 1
        chapters = self._chapters(end)
        table = self._table_span()
        records = self._record_starts(programmes, table, end)
        sections: list[Section] = []
        for index, (number, title, first) in enumerate(chapters):
            last = chapters[index + 1][2] - 1 if index + 1 < len(chapters) else end - 1
            if number == 1:
                sections += self._headed("introduction", title, self._content(first + 1, last))
            elif number == 2:
                sections += self._current_state(title, first, last)
            elif number == 3:
                sections += self._council(title, first, last)
            elif number == 4:
                stop = table.first - 1 if table else last
                sections += self._plain("programme_table", title, first, stop)
                if table is not None:
                    opinions_end = records[0] - 1 if records else table.last
                    sections += self._opinions(table.last + 1, opinions_end)
        sections += self._columns(records, end)
        for title, rows in write_ups(self.source, programmes, end):
            sections += self._section("column", title, rows)
        log.info("parsed %d sections", len(sections))
        return tuple(section for section in sections if section.text)

    def note_sections(self, notes: Sequence[Programme]) -> tuple[Section, ...]:
        """A "measures" section per ※ table row that has a record (not a 事務事業)."""
        out: list[Section] = []
        for note in notes:
            if note.record_lines is None:
                continue
            blocks = [note.plan, *note.activities, *note.council_opinions, *note.responses]
            text = "\n".join(block.text for block in blocks if block is not None)
            out.append(
                Section(
                    id=stable_id(self.source.name, "section", "measures", note.name),
                    key="measures",
                    title=f"第{note.article}条 {note.name}",
                    text=text,
                    page=note.page,
                    lines=note.record_lines,
                )
            )
        return tuple(section for section in out if section.text)

    # -- helpers -------------------------------------------------------------------------

    def _content(self, first: int, last: int) -> list[tuple[int, str]]:
        return self.source.content(first, last)

    def _section(
        self,
        key: str,
        title: str,
        rows: Sequence[tuple[int, str]],
        facts: Iterable[tuple[str, str]] = (),
        text: str | None = None,
    ) -> list[Section]:
        if not rows:
            return []
        body = text if text is not None else normalize(join_wrapped(line for _, line in rows))
        span = Span(rows[0][0], rows[-1][0])
        return [
            Section(
                id=stable_id(self.source.name, "section", key, span.first),
                key=key,
                title=normalize(title).strip(),
                text=body.strip(),
                page=self.page_of(span.first) if self.page_of else None,
                lines=span,
                facts=tuple(facts),
            )
        ]

    def _chapters(self, end: int) -> list[tuple[int, str, int]]:
        found: list[tuple[int, str, int]] = []
        expected = 1
        for number, line in self._content(1, end - 1):
            match = _CHAPTER.match(line)
            if match and int(match.group(1).translate(_FULLWIDTH_DIGITS)) == expected:
                found.append((expected, match.group(2).strip(), number))
                expected += 1
        return found

    def _table_span(self) -> Span | None:
        try:
            return find_programme_table(self.source)
        except CorpusError:  # a report without the table has no programme_table section
            return None

    def _record_starts(
        self, programmes: Sequence[Programme], table: Span | None, end: int
    ) -> list[int]:
        """First lines of the programme records: from the records when parsed, else the
        lines after the table that repeat a table row's name on their own."""
        starts = sorted(p.record_lines.first for p in programmes if p.record_lines is not None)
        if starts or table is None:
            return starts
        names = {row.name.replace(" ", "") for row in ProgrammeTableParser().parse(self.source)}
        return [
            number
            for number, line in self._content(table.last + 1, end - 1)
            if normalize(line).replace(" ", "") in names
        ]

    def _plain(self, key: str, title: str, first: int, last: int) -> list[Section]:
        return self._section(key, title, self._content(first + 1, last))

    def _headed(self, key: str, title: str, rows: list[tuple[int, str]]) -> list[Section]:
        """One section per ``○見出し`` group (a short line without 「。」), plus the lead text."""
        heads = [i for i, (_, line) in enumerate(rows) if _HEADLINE.match(line)]
        bounds = [0, *heads, len(rows)]
        sections: list[Section] = []
        for start, stop in itertools.pairwise(bounds):
            head = _HEADLINE.match(rows[start][1]) if start in heads else None
            name = f"{title} {normalize(head.group(1)).strip()}" if head else title
            sections += self._section(key, name, rows[start + 1 if head else start : stop])
        return sections

    # -- chapter 2: statistics + survey ---------------------------------------------------

    def _current_state(self, chapter: str, first: int, last: int) -> list[Section]:
        rows = self._content(first + 1, last)
        heads = [i for i, (_, line) in enumerate(rows) if _SUBSECTION.match(line)]
        sections: list[Section] = []
        for pos, start in enumerate(heads):
            stop = heads[pos + 1] if pos + 1 < len(heads) else len(rows)
            match = _SUBSECTION.match(rows[start][1])
            assert match is not None
            number = match.group(1).translate(_FULLWIDTH_DIGITS)
            title = f"{chapter} ({number}) {match.group(2).strip()}"
            body = rows[start + 1 : stop]
            # The questionnaire is the subsection that states sample sizes (n=837).
            if any(_SAMPLE_SIZE.search(normalize(line)) for _, line in body):
                sections += self._survey(title, body)
            else:
                sections += self._groups("statistics", title, body)
        return sections

    def _groups(self, key: str, title: str, rows: list[tuple[int, str]]) -> list[Section]:
        """One section per circled paragraph group (①…), or one for the whole subsection."""
        heads = [i for i, (_, line) in enumerate(rows) if _CIRCLED.match(line)]
        if not heads:
            return self._section(key, title, rows)
        sections = self._section(key, title, rows[: heads[0]])
        for pos, start in enumerate(heads):
            stop = heads[pos + 1] if pos + 1 < len(heads) else len(rows)
            group = _CIRCLED.match(rows[start][1])
            assert group is not None
            sections += self._section(
                key, f"{title} {group.group(1)}{group.group(2).strip()}", rows[start + 1 : stop]
            )
        return sections

    def _survey(self, title: str, rows: list[tuple[int, str]]) -> list[Section]:
        sections: list[Section] = []
        for part_title, part_rows, facts, text in survey_parts(self.source, rows):
            name = f"{title} {part_title}".strip()
            sections += self._section("survey", name, part_rows, facts, text)
        return sections

    # -- chapter 3: council ----------------------------------------------------------------

    def _council(self, chapter: str, first: int, last: int) -> list[Section]:
        rows = self._content(first + 1, last)
        heads = [i for i, (_, line) in enumerate(rows) if _CAPTION.match(line)]
        bounds = [0, *heads, len(rows)]
        sections: list[Section] = []
        for start, stop in itertools.pairwise(bounds):
            part = rows[start:stop]
            if not part:
                continue
            caption = _CAPTION.match(part[0][1]) if start in heads else None
            title = f"{chapter} {caption.group(1)}" if caption else chapter
            facts, text = council_facts(caption.group(1) if caption else "", part)
            sections += self._section("council", title, part, facts, text)
        return sections

    # -- after the table: overall opinions -------------------------------------------------

    def _opinions(self, first: int, last: int) -> list[Section]:
        rows = self._content(first, last)
        heads = [i for i, (_, line) in enumerate(rows) if _BULLET_HEAD.match(line)]
        if not heads:
            return []
        intro = normalize(join_wrapped(line for _, line in rows[: heads[0]]))
        sections: list[Section] = []
        for pos, start in enumerate(heads):
            stop = heads[pos + 1] if pos + 1 < len(heads) else len(rows)
            head = _BULLET_HEAD.match(rows[start][1])
            assert head is not None
            title = normalize(head.group(1))
            body = rows[start + 1 : stop]
            text = f"{intro}\n{opinion_text(body)}" if intro else opinion_text(body)
            sections += self._section("overall_opinions", title, rows[start:stop], text=text)
        return sections

    # -- columns ---------------------------------------------------------------------------

    def _columns(self, records: Sequence[int], end: int) -> list[Section]:
        lines = self.source.lines
        starts = [n for n, line in self._content(1, end - 1) if _COLUMN.match(line)]
        stops = sorted({*records, *starts, end, *self._breaks(end)})
        sections: list[Section] = []
        for first in starts:
            last = next(stop for stop in stops if stop > first) - 1
            match = _COLUMN.match(lines[first - 1])
            assert match is not None
            rows = [
                (n, line) for n, line in self._content(first + 1, last) if not is_chart_debris(line)
            ]
            sections += self._section("column", match.group(1).strip(), rows)
        return sections

    def _breaks(self, end: int) -> list[int]:
        """Lines that end a column: page footers and sidebar labels (a new page's margin)."""
        return sorted(n for n in self.source.noise if n < end)
