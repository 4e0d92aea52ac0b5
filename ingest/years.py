"""Fiscal years as the report prints them (平成28年度, 28年度, 2016(28)年度) and back.

Japanese fiscal years run April–March and the report names them by era year; the records keep
western years so that the assistant can compare and label them for any edition of the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core import era_label, era_to_western, era_years
from ingest.models import Section

__all__ = ["SHORT_YEAR_ERA", "fiscal_year_label", "fiscal_years", "report_years", "short_year"]

# The era of the years the report writes without one (28年度, 29年度): its own edition's.
SHORT_YEAR_ERA = "平成"
_SHORT_YEAR = re.compile(r"(?<![\d.,])(\d{2})\s*年度")
_WESTERN_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)\s*(?:\(\d{1,2}\))?\s*年")
_FY_MIN, _FY_MAX = 2000, 2049
_RELATIVE = {-1: "前年度", 0: "当年度", 1: "翌年度"}


def fiscal_years(text: str) -> tuple[int, ...]:
    """Western years a text speaks of: 平成28年(度) → 2016, 28年度 → 2016, 2016(28)年度 → 2016."""
    years = set(era_years(text))
    years |= {short_year(int(m.group(1))) for m in _SHORT_YEAR.finditer(text) if m.group(1) != "00"}
    years |= {int(m.group(1)) for m in _WESTERN_YEAR.finditer(text)}
    return tuple(sorted(year for year in years if _FY_MIN <= year <= _FY_MAX))


def fiscal_year_label(year: int | None, offset: int = 0) -> str:
    """The era name of western fiscal year ``year + offset`` as the report writes it
    (2016 → 平成28年度); relative words (前年度/当年度/翌年度) when the year is unknown."""
    if year is None:
        return _RELATIVE.get(offset, "")
    return f"{era_label(year + offset)}度"


def short_year(year: int) -> int:
    """Western year of a year the report writes without its era (28 → 2016)."""
    return era_to_western(SHORT_YEAR_ERA, year)


def report_years(sections: Iterable[Section]) -> tuple[int, ...]:
    """The fiscal year the report covers: the year in its programme chapter's title."""
    for section in sections:
        if section.key == "programme_table":
            return fiscal_years(section.title)[:1]
    return ()
