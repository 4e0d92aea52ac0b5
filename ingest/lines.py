"""Line-level layout helpers used by the ordinance, section and page parsers.

The report is a PDF-to-text dump: every printed line is followed by a blank line, pages
end with a footer such as ``- 13 -`` (only a few survive), and vertical sidebar labels
appear as runs of one- or two-character lines (``各`` ``主`` ``体`` … or ``第`` ``19`` ``条``).
These helpers classify lines and join wrapped lines; they know nothing about the content.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "FOOTER_RE",
    "clean_text",
    "footer_page",
    "is_footer",
    "join_lines",
    "sidebar_lines",
]

FOOTER_RE = re.compile(r"^\s*[-‐−－]\s*(\d{1,3})\s*[-‐−－]\s*$")
_SIDEBAR_MAX_CHARS = 2
_SIDEBAR_MIN_RUN = 2
_DIGIT = r"0-9０-９"
# A number printed inside Japanese text is often padded with stray spaces ("平成 28 年",
# "第 154 号"): glue it when both neighbours are non-ASCII, so separate figures
# ("12 14") stay apart; "1 ,500" → "1,500" and "1 .3" → "1.3" are glued too.
_PADDED_NUMBER = re.compile(
    rf"(?<=[^\s\x00-\x7f])[ \u3000]*([{_DIGIT}][{_DIGIT},.]*)[ \u3000]*(?=[^\s\x00-\x7f])"
)
_SPACE_IN_NUMBER = re.compile(rf"(?<=[{_DIGIT}])[ \u3000]*([,.，．])[ \u3000]*(?=[{_DIGIT}])")
_MULTI_SPACE = re.compile(r"[ \u3000]{2,}")
_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


def footer_page(line: str) -> int | None:
    """The page number of a footer line like ``- 13 -``, else None."""
    match = FOOTER_RE.match(line)
    return int(match.group(1)) if match else None


def is_footer(line: str) -> bool:
    return footer_page(line) is not None


def sidebar_lines(lines: Sequence[str]) -> frozenset[int]:
    """0-based indexes of vertical sidebar labels.

    A sidebar label is printed one glyph per line: a run of at least two non-blank lines of
    at most two characters each (blank lines between them do not break the run). Short
    table cells do not form such runs because real text lines around them are longer.
    """
    marked: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        if len(run) >= _SIDEBAR_MIN_RUN:
            marked.update(run)
        run.clear()

    for index, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        if len(text) <= _SIDEBAR_MAX_CHARS and not FOOTER_RE.match(text):
            run.append(index)
        else:
            flush()
    flush()
    return frozenset(marked)


def clean_text(text: str) -> str:
    """NFKC, drop stray spaces inside numbers and around digits, collapse runs of spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE_IN_NUMBER.sub(r"\1", text)
    text = _PADDED_NUMBER.sub(r"\1", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def join_lines(lines: Sequence[str]) -> str:
    """Join PDF-wrapped lines: no space, except between two Latin words; then clean."""
    out = ""
    for raw in lines:
        piece = raw.strip().strip("\u3000")
        if not piece:
            continue
        if out and _ASCII_END.search(out) and _ASCII_START.match(piece):
            out += " "
        out += piece
    return clean_text(out)
