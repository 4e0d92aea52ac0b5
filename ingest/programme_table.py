"""Parse the programme overview table (「図表 中小企業活性化施策一覧」).

Layout in the dump (one table row per line, blank lines between):

* a caption line ``図表 …施策一覧``, then column headers (``条文`` ``事務事業名 頁`` …);
* group headers ``１２条 創業、経営の革新等の促進``: the article number, then its title,
  which may be missing from the header line and wrapped over the following lines instead
  (the lines up to the first ``○`` row or row with a page; a lone page line right after them
  turns the last of them into the group's first row);
* rows ``○ 起業化総合支援事業 16``: ``○`` marks a focus programme (重点事業), the trailing number is
  the page. A long name wraps onto a line starting with a bracket (``（入札制度改革等）``); a page
  may stand alone on the next line; a row printed without any page shares the page cell of the row
  above (a merged cell), so it inherits that page;
* the table ends at the first prose sentence (a line ending in ``。``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from core import CorpusError
from ingest.models import Span
from ingest.source import SourceText
from ingest.text import join_wrapped, normalize

__all__ = ["ProgrammeTableParser", "TableRow", "find_programme_table"]

log = logging.getLogger(__name__)

_CAPTION = re.compile(r"^\s*図表\s*.*施策一覧")
_GROUP = re.compile(r"^\s*(\d{1,2})\s*条\s*(.*)$")
_PAGE_ONLY = re.compile(r"^\s*(\d{1,3})\s*$")
_TRAILING_PAGE = re.compile(r"^(.*\S)\s+(\d{1,3})\s*$")
_FOCUS = re.compile(r"^\s*[○◯〇]\s*")
_NOTE_MARK = re.compile(r"^\s*[※＊*]\s*")
_OPENING = ("(", "（", "[", "［", "「", "〔")


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the overview table."""

    name: str  # NFKC-normalised, no spaces, without the ○ / ※ markers
    article: int
    article_title: str
    focus: bool
    page: int | None
    lines: Span
    note: bool = False  # a ※ row: a note on the article's measures, not a 事務事業


def find_programme_table(source: SourceText) -> Span:
    """Lines of the table: from its caption to the line before the first prose sentence."""
    start = next(
        (n for n, line in source.numbered() if _CAPTION.match(normalize(line))),
        None,
    )
    if start is None:
        raise CorpusError(f"{source.name}: no programme table (図表 …施策一覧) found")
    last = start
    seen_group = False
    for n, line in source.content(start + 1):
        text = normalize(line).strip()
        if _GROUP.match(text):
            seen_group = True
        if seen_group and text.endswith("。"):
            break
        last = n
    return Span(start, last)


@dataclass
class _Pending:
    text: list[str]
    first: int
    last: int
    focus: bool


class ProgrammeTableParser:
    """Parse the overview table into :class:`TableRow` records, in table order."""

    def parse(self, source: SourceText) -> tuple[TableRow, ...]:
        span = find_programme_table(source)
        rows: list[TableRow] = []
        article: int | None = None
        title_parts: list[str] = []
        title_lines: list[int] = []
        title_open = False  # header printed without its title: following lines are the title
        pending: _Pending | None = None

        def close(page: int | None, last: int) -> None:
            nonlocal pending
            if pending is None or article is None:
                return
            joined = normalize(join_wrapped(pending.text))
            name = _NOTE_MARK.sub("", joined)
            inherited = page if page is not None else (rows[-1].page if rows else None)
            rows.append(
                TableRow(
                    name=name,
                    article=article,
                    article_title=normalize(join_wrapped(title_parts)),
                    focus=pending.focus,
                    page=inherited,
                    lines=Span(pending.first, last),
                    note=name != joined,
                )
            )
            pending = None

        for n, raw in source.content(span.first + 1, span.last):
            text = normalize(raw).strip()
            group = _GROUP.match(text)
            if group:
                if pending is not None:
                    close(None, pending.last)
                article = int(group.group(1))
                title_parts = [group.group(2)] if group.group(2).strip() else []
                title_lines = [n] if title_parts else []
                title_open = not title_parts
                continue
            if article is None:
                continue  # column headers before the first group
            page_only = _PAGE_ONLY.match(text)
            if page_only:
                if pending is None and title_open and len(title_parts) > 1:
                    # a page closes a row: the last "title" line was the group's first row
                    pending = _Pending([title_parts.pop()], title_lines.pop(), n, False)
                    title_open = False
                if pending is not None:
                    close(int(page_only.group(1)), n)
                continue
            focus = bool(_FOCUS.match(text))
            body = _FOCUS.sub("", text)
            trailing = _TRAILING_PAGE.match(body)
            starts_row = focus or trailing is not None
            if title_open and not starts_row and pending is None:
                title_parts.append(body)
                title_lines.append(n)
                continue
            title_open = False
            if pending is not None and not focus and body.startswith(_OPENING):
                pending.text.append(trailing.group(1) if trailing else body)
                pending.last = n
                if trailing:
                    close(int(trailing.group(2)), n)
                continue
            if pending is not None:
                close(None, pending.last)
            pending = _Pending([trailing.group(1) if trailing else body], n, n, focus)
            if trailing:
                close(int(trailing.group(2)), n)
        if pending is not None:
            close(None, pending.last)
        log.info("parsed %d programme table rows (%d focus)", len(rows), sum(r.focus for r in rows))
        return tuple(rows)
