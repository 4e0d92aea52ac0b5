"""Fiscal years: era ↔ western, and labels for any edition of the report."""

from __future__ import annotations

import pytest

from ingest import fiscal_year_label
from ingest.years import fiscal_years


@pytest.mark.parametrize(
    ("year", "offset", "label"),
    [
        (2016, 0, "平成28年度"),
        (2016, 1, "平成29年度"),
        (2017, -1, "平成28年度"),
        (2018, 1, "令和元年度"),
        (2020, 0, "令和2年度"),
        (None, 0, "当年度"),
        (None, 1, "翌年度"),
        (None, -1, "前年度"),
    ],
)
def test_fiscal_year_label(year: int | None, offset: int, label: str) -> None:
    assert fiscal_year_label(year, offset) == label


def test_fiscal_years_reads_era_short_and_western_forms() -> None:
    assert fiscal_years("平成28年度の実績と29年度予算、2015(27)年度") == (2015, 2016, 2017)
    assert fiscal_years("1,500万円") == ()
