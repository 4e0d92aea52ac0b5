"""Write-ups printed in a programme's pages without a ``〈…コラム〉`` heading.

A focus record's own pages close with the side labels (``… Check`` ``… Action``); a page
that follows them before the next record (a story with a headline, photo captions) is about
that programme just like its columns, so it becomes a column of that programme. The record
locator already ends the record before it (:func:`ingest.record_parts.write_up_start`): a
write-up is the text between a record's last line and the next record, column or appended part.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.models import Programme
from ingest.record_layout import COLUMN_HEAD, PART_HEAD, clean_lines
from ingest.source import SourceText

__all__ = ["WriteUp", "write_ups"]

_HEADLINE_MAX_CHARS = 40

WriteUp = tuple[str, list[tuple[int, str]]]  # (title, raw content rows without the headline)


def write_ups(source: SourceText, records: Sequence[Programme], end: int) -> list[WriteUp]:
    """The write-ups after the records (``end``: the first line past the report body).

    A write-up's title is the programme's name followed by its headline (the first indented
    short line before any sentence), so the column links to its programme like
    ``〈間接融資事業コラム〉`` does.
    """
    starts = sorted(p.record_lines.first for p in records if p.record_lines is not None)
    out: list[WriteUp] = []
    for programme in records:
        if programme.record_lines is None:
            continue
        last = programme.record_lines.last
        stop = min((s for s in starts if s > last), default=end)
        lines = []
        for line in clean_lines(source, last + 1, stop - 1):
            if COLUMN_HEAD.match(line.text) or PART_HEAD.match(line.text):
                break
            lines.append(line)
        if not lines:
            continue
        headline = None
        for line in lines:
            if line.text.endswith("。"):
                break
            if line.indented and len(line.text) <= _HEADLINE_MAX_CHARS and "。" not in line.text:
                headline = line
                break
        title = f"{programme.name} {headline.text}" if headline else programme.name
        rows = [(x.n, source.line(x.n)) for x in lines if x is not headline]
        out.append((title, rows))
    return out
