"""Every stage reads era years the same way (core's converter): 令和 and kanji numerals too."""

from __future__ import annotations

import pytest

from core import era_years
from index import western_years
from ingest import fiscal_year_label
from ingest.years import fiscal_years


@pytest.mark.parametrize(
    ("text", "year"),
    [("令和2年度", 2020), ("平成28年度", 2016), ("平成二十八年度", 2016), ("令和元年度", 2019)],
)
def test_ingest_and_index_agree_with_core(text: str, year: int) -> None:
    assert era_years(text) == (year,)
    assert fiscal_years(text) == (year,)
    assert western_years(text) == (year,)


@pytest.mark.parametrize(
    ("year", "label"),
    [(2016, "平成28年度"), (2018, "平成30年度"), (2019, "令和元年度"), (2020, "令和2年度")],
)
def test_fiscal_year_label_round_trips(year: int, label: str) -> None:
    assert fiscal_year_label(year) == label
    assert fiscal_years(label) == (year,)
