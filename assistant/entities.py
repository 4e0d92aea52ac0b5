"""Entity extraction: the ordinance articles, fiscal years and attributes a question names.

The cue words and patterns are the catalogue's (``cues.asked.*``, ``patterns.question.*``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from assistant.catalogue import rules
from assistant.text import final_clause, kanji_to_int
from core import era_years_as_western, find_era_years
from ingest import short_year

__all__ = [
    "ATTRIBUTES",
    "article_numbers",
    "asked_attributes",
    "asked_meanings",
    "asks_making",
    "fiscal_years",
    "relative_years",
]

_QUOTED_TERM = re.compile(r"「([^」]{2,20})」")

# The attributes a question may ask for, in the order they are reported.
ATTRIBUTES = (
    *("phone", "hours", "deadline", "address", "rate", "cap", "term", "count_cap", "count"),
    "fee",
    *("documents", "penalty", "next_date", "booking", "requirements"),
)


def asked_meanings(text: str) -> tuple[str, ...]:
    """The quoted terms whose meaning the question asks (条例でいう「大学等」って…)."""
    if not rules().words("cues.ordinance.asks_meaning").found_in(text):
        return ()
    return tuple(_QUOTED_TERM.findall(text))


def asks_making(text: str) -> bool:
    """Whether an ordinance question asks how it came to be (制定の経緯, いつ作られた) or
    its full name."""
    return rules().words("cues.ordinance.making").found_in(text)


def article_numbers(text: str, unnumbered: Mapping[str, int] | None = None) -> list[int]:
    """Ordinance articles the text cites, in order, repeats kept; then the articles without a
    number it names by label (``unnumbered``: the corpus's 前文 → 0, 附則 → its number)."""
    catalogue = rules()
    other_law = tuple(catalogue.words("marks.other_law"))
    articles: list[int] = []
    for m in catalogue.pattern("patterns.question.article_number").finditer(text):
        if text[: m.start()].endswith(other_law):
            continue  # 〇〇法第2条 cites another law, not the ordinance
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else kanji_to_int(raw)
        if n is not None and 1 <= n <= 99:
            articles.append(n)
    articles.extend(n for label, n in (unnumbered or {}).items() if label in text)
    return articles


def relative_years(text: str, report_year: int | None) -> tuple[int, ...]:
    """Fiscal years named relative to the report's year (来年度 → the year after it)."""
    if report_year is None:
        return ()
    offsets = rules().numbers("years.relative")
    return tuple(dict.fromkeys(report_year + d for w, d in offsets.items() if w in text))


@lru_cache(maxsize=65536)
def fiscal_years(text: str) -> tuple[int, ...]:
    """Western fiscal years the text names (平成28年度, H28, 28年度, 2016年度 → 2016;
    cached: report sentences are read for every question)."""
    catalogue = rules()
    early_month = catalogue.pattern("patterns.question.early_month")
    western = catalogue.pattern("patterns.question.western_fiscal_year")
    # 平成29年3月 lies in fiscal year 平成28年度 (April to March).
    years = [f.year - bool(early_month.match(text, f.end)) for f in find_era_years(text)]
    years.extend(int(m.group(1)) for m in western.finditer(text))
    # What is left once every dated year is gone: years written without an era (28年度).
    stripped = western.sub("", era_years_as_western(text))
    short = catalogue.pattern("patterns.question.short_fiscal_year")
    years.extend(short_year(int(m.group(1))) for m in short.finditer(stripped))
    return tuple(dict.fromkeys(years))


def _asks_existence(text: str) -> bool:
    """A site or page asked about by whether it exists, without asking where it is."""
    catalogue = rules()
    return bool(
        catalogue.pattern("patterns.question.asks_existence").search(text)
    ) and not catalogue.words("cues.asks_where").found_in(text)


def asked_attributes(text: str) -> tuple[str, ...]:
    """The attributes (phone, cap, deadline…) the question asks for, in :data:`ATTRIBUTES`
    order."""
    catalogue = rules()
    attributes = tuple(a for a in ATTRIBUTES if catalogue.words(f"cues.asked.{a}").found_in(text))
    if "address" in attributes and (
        _asks_existence(text)
        or not catalogue.words("cues.asked.address").found_in(final_clause(text))
    ):
        # 「…が見られるサイトってある？」 asks which site, not its address; 「…サイトがあるって
        # 聞いたけど、何て名前？」 asks its name (the ask is the last clause).
        attributes = tuple(a for a in attributes if a != "address")
    return attributes
