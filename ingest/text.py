"""Layout primitives for the report's PDF-to-text dump.

The dump has a few recurring artefacts that every parser must undo in the same way:

* page footers on a line of their own (``- 13 -``);
* vertical sidebar labels printed one character per line (``研`` ``究`` … ``第`` ``14`` ``条``);
* PDF line wraps inside Japanese sentences, often with a leading ideographic indent;
* numbers broken by stray spaces (``1 ,500万円``, ``年1 .3％``, ``2 0 . 9%``, ``平成 28 年``);
* full-width digits and signs (``６``, ``％``).

These helpers are pure functions over strings / line lists; :class:`ingest.source.SourceText`
is the immutable view of one input file built on them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

__all__ = [
    "find_yen",
    "is_ascii_like",
    "is_blank",
    "is_page_footer",
    "join_wrapped",
    "noise_lines",
    "normalize",
    "page_footer_number",
    "parse_yen",
    "repair_numbers",
    "sidebar_lines",
    "strip_footer",
    "trailing_footer_number",
]

# ---------------------------------------------------------------------------------------------
# Line classes
# ---------------------------------------------------------------------------------------------

_FOOTER = re.compile(r"^\s*[-‐－―ー]\s*([0-9０-９]{1,3})\s*[-‐－―ー]\s*$")

SIDEBAR_MAX_DIGITS = 2  # a sidebar line holds one character, or a one/two-digit number
SIDEBAR_MIN_RUN = 3  # fewer short lines in a row are ordinary wrap remnants (``い``, ``営``)
SIDEBAR_MAX_GAP = 1  # blank lines allowed between two members of one run


def is_blank(line: str) -> bool:
    """True for an empty or whitespace-only line (ideographic spaces included)."""
    return not line.strip()


def page_footer_number(line: str) -> int | None:
    """The page number of a footer line like ``- 13 -`` (any dash, optional spaces), else None."""
    m = _FOOTER.match(line)
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


_TRAILING_FOOTER = re.compile(r"(?<=\S)[ \t\u3000]+[-‐－―]\s*([0-9０-９]{1,3})\s*[-‐－―]\s*$")


def trailing_footer_number(line: str) -> int | None:
    """The page of a footer glued to the end of a text line (``検討を行う。 - 48 -``), else None."""
    m = _TRAILING_FOOTER.search(line)
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


def strip_footer(line: str) -> str:
    """``line`` without a footer glued to its end (a whole-line footer becomes ``""``)."""
    if is_page_footer(line):
        return ""
    return _TRAILING_FOOTER.sub("", line)


def is_page_footer(line: str) -> bool:
    """True when the whole line is a page footer (``- 13 -``)."""
    return page_footer_number(line) is not None


def _is_short(visible: str) -> bool:
    folded = unicodedata.normalize("NFKC", visible)
    return len(folded) == 1 or (folded.isdigit() and len(folded) <= SIDEBAR_MAX_DIGITS)


def sidebar_lines(lines: Sequence[str]) -> frozenset[int]:
    """1-based numbers of the lines that belong to a vertical sidebar label.

    Rule: a *short* line holds one visible character or a number of at most two digits
    (two-character words such as chart labels ``台湾`` ``香港`` are not short). A run of at least
    ``SIDEBAR_MIN_RUN`` short lines, where consecutive members are separated by at most
    ``SIDEBAR_MAX_GAP`` blank lines, is a label printed vertically (``学`` ``識`` ``者``,
    ``第`` ``19`` ``条`` …). A lone short line (``い`` ending a wrapped cell, ``40`` as a table's
    page column) is not part of a run and stays text.
    """
    out: set[int] = set()
    run: list[int] = []
    gap = 0

    def flush() -> None:
        if len(run) >= SIDEBAR_MIN_RUN:
            out.update(run)
        run.clear()

    for number, line in enumerate(lines, start=1):
        visible = line.strip()
        if not visible:
            gap += 1
            if gap > SIDEBAR_MAX_GAP:
                flush()
            continue
        if _is_short(visible):
            run.append(number)
        else:
            flush()
        gap = 0
    flush()
    return frozenset(out)


def noise_lines(lines: Sequence[str]) -> frozenset[int]:
    """1-based numbers of lines that are never content: page footers and sidebar labels."""
    footers = {n for n, line in enumerate(lines, start=1) if is_page_footer(line)}
    return frozenset(footers) | sidebar_lines(lines)


# ---------------------------------------------------------------------------------------------
# Character-level cleaning
# ---------------------------------------------------------------------------------------------


def is_ascii_like(ch: str) -> bool:
    """True when ``ch`` is (or NFKC-folds to) printable ASCII, e.g. ``A``, ``６``, ``%``."""
    folded = unicodedata.normalize("NFKC", ch)
    return len(folded) == 1 and "!" <= folded <= "~"


_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def _squeeze_spaces(s: str) -> str:
    """Drop runs of spaces unless both neighbours are ASCII-like (``12 14``, ``KSP Plan``)."""

    def repl(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        if start > 0 and end < len(s) and is_ascii_like(s[start - 1]) and is_ascii_like(s[end]):
            return " "
        return ""

    return _SPACES.sub(repl, s)


def join_wrapped(lines: Iterable[str]) -> str:
    """Join PDF-wrapped lines of one paragraph into one string.

    Rules: each line loses a page footer glued to its end (:func:`strip_footer`), its
    leading indent (ASCII or ideographic spaces) and trailing spaces; blank lines are skipped;
    lines are concatenated WITHOUT a separator (Japanese has no word spaces), except that one
    space is kept between two ASCII-like characters (``IT`` / ``Plan``, or two numbers such as
    ``12`` / ``14``). Inside a line, runs of spaces are removed by the same rule. Noise lines
    (footers, sidebars) must be filtered by the caller (see :meth:`SourceText.clean_text`).
    """
    out = ""
    for raw in lines:
        line = _squeeze_spaces(strip_footer(raw).strip(" \t\u3000\u00a0\r\n"))
        if not line:
            continue
        if out and is_ascii_like(out[-1]) and is_ascii_like(line[0]):
            out += " "
        out += line
    return out


# Digits separated by single spaces and ending in a decimal part + percent: ``2 0 . 9%``.
_SPACED_PERCENT = re.compile(r"(?<![\d.,])(\d(?: \d)*) ?\. ?(\d+) ?%")
# A space inside a thousands group or a decimal point: ``1 ,500`` ``1, 500`` ``1 .3``.
_SPLIT_GROUP = re.compile(r"(\d) ?, ?(\d{3})(?!\d)")
_SPLIT_DECIMAL = re.compile(r"(\d) ?\. ?(\d)")
# An era name followed by its year: ``平成 28`` / ``令和 元``.
_ERA = re.compile(r"(明治|大正|昭和|平成|令和) +(?=[\d元])")
# A number followed by a unit or counter: ``28 年`` ``1,500 万円`` ``12 件``.
_UNITS = (
    "年度|年|か月|ヶ月|カ月|箇月|月|日|時|分|億|万|千|百|円|%|倍|件|人|名|回|社|者|団体|"
    "校|か所|箇所|ヶ所|カ所|所|店|戸|台|枚|部|歳|割|点|号|条|項|期|事業|施設|区|本|冊|時間|週"
)
_NUMBER_UNIT = re.compile(r"(\d) +(?=(?:" + _UNITS + "))")


def repair_numbers(s: str) -> str:
    """Undo spaces the PDF extraction put inside single numbers (expects half-width digits).

    Rules, applied in order; each only fires inside a clearly single token, so two
    separate numbers such as the KPI figures ``12 14`` are never glued:

    1. single digits spaced apart before a decimal percent: ``2 0 . 9%`` → ``20.9%``;
    2. a space around a thousands comma followed by exactly three digits: ``1 ,500`` → ``1,500``;
    3. a space around a decimal point between digits: ``年1 .3%`` → ``年1.3%``;
    4. spaces after an era name: ``平成 28年`` → ``平成28年``;
    5. spaces between a number and a unit/counter: ``28 年`` → ``28年``,
       ``30,873 千円`` → ``30,873千円``.
    """
    s = _SPACED_PERCENT.sub(lambda m: m.group(1).replace(" ", "") + "." + m.group(2) + "%", s)
    s = _SPLIT_GROUP.sub(r"\1,\2", s)
    s = _SPLIT_DECIMAL.sub(r"\1.\2", s)
    s = _ERA.sub(r"\1", s)
    return _NUMBER_UNIT.sub(r"\1", s)


# Circled numbers are list markers in this report; NFKC would turn ``①専門家`` into ``1専門家``.
_CIRCLED = re.compile(r"[\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf]")


def normalize(s: str) -> str:
    """NFKC (``６`` → ``6``, ``％`` → ``%``, ``（`` → ``(``), then :func:`repair_numbers`.

    Circled numbers (``①``) are kept as printed: they are list markers, and NFKC would glue
    them to the following text as plain digits.
    """
    parts: list[str] = []
    last = 0
    for m in _CIRCLED.finditer(s):
        parts.append(unicodedata.normalize("NFKC", s[last : m.start()]))
        parts.append(m.group())
        last = m.end()
    parts.append(unicodedata.normalize("NFKC", s[last:]))
    return repair_numbers("".join(parts))


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------

_NUM = r"\d(?:[\d,]*\d)?(?:\.\d+)?"
_YEN = re.compile(rf"(?:(?P<oku>{_NUM})億)?(?:(?P<num>{_NUM})(?P<unit>千万|百万|万|千)?)?円")
_UNIT_VALUE = {None: 1, "千": 1_000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000}


def _amount(text: str | None, factor: int) -> int:
    if not text:
        return 0
    value = Decimal(text.replace(",", "")) * factor
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number of yen: {text}")
    return int(value)


def find_yen(s: str) -> list[tuple[int, int, int]]:
    """Every yen amount in ``s`` as ``(yen, start, end)`` offsets into ``normalize(s)``.

    Understands ``10,220千円``, ``1,500万円``, ``1億2,000万円``, ``2億円``, ``1.5億円``, ``800円``.
    """
    text = normalize(s)
    out: list[tuple[int, int, int]] = []
    for m in _YEN.finditer(text):
        if not m.group("oku") and not m.group("num"):
            continue
        try:
            yen = _amount(m.group("oku"), 100_000_000) + _amount(
                m.group("num"), _UNIT_VALUE[m.group("unit")]
            )
        except ValueError:
            continue
        out.append((yen, m.start(), m.end()))
    return out


def parse_yen(s: str) -> int | None:
    """The first yen amount in ``s`` as an exact int (``10,220千円`` → 10220000), else None."""
    found = find_yen(s)
    return found[0][0] if found else None
