"""Fiscal years as the report prints them (平成28年度, 28年度, 2016(28)年度) and back.

Japanese fiscal years run April–March and the report names them by era year; the records keep
western years so that the assistant can compare and label them for any edition of the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.models import Section

__all__ = ["HEISEI_BASE", "fiscal_year_label", "fiscal_years", "report_years"]

HEISEI_BASE = 1988  # 平成1年 = 1989
_REIWA_BASE = 2018  # 令和1年 = 2019
_ERA_YEAR = re.compile(r"平成\s*(\d{1,2})\s*年")
_SHORT_YEAR = re.compile(r"(?<![\d.,])(\d{2})\s*年度")
_WESTERN_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)\s*(?:\(\d{1,2}\))?\s*年")
_FY_MIN, _FY_MAX = 2000, 2049
_RELATIVE = {-1: "前年度", 0: "当年度", 1: "翌年度"}


def fiscal_years(text: str) -> tuple[int, ...]:
    """Western years a text speaks of: 平成28年(度) → 2016, 28年度 → 2016, 2016(28)年度 → 2016."""
    years = {HEISEI_BASE + int(m.group(1)) for m in _ERA_YEAR.finditer(text)}
    years |= {HEISEI_BASE + int(m.group(1)) for m in _SHORT_YEAR.finditer(text)}
    years |= {int(m.group(1)) for m in _WESTERN_YEAR.finditer(text)}
    return tuple(sorted(year for year in years if _FY_MIN <= year <= _FY_MAX))


def fiscal_year_label(year: int | None, offset: int = 0) -> str:
    """The era name of western fiscal year ``year + offset`` as the report writes it
    (2016 → 平成28年度); relative words (前年度/当年度/翌年度) when the year is unknown."""
    if year is None:
        return _RELATIVE.get(offset, "")
    year += offset
    if year > _REIWA_BASE:
        n = year - _REIWA_BASE
        return f"令和{'元' if n == 1 else n}年度"
    return f"平成{year - HEISEI_BASE}年度"


def report_years(sections: Iterable[Section]) -> tuple[int, ...]:
    """The fiscal year the report covers: the year in its programme chapter's title."""
    for section in sections:
        if section.key == "programme_table":
            return fiscal_years(section.title)[:1]
    return ()
