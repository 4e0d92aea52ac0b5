"""One behaviour for NFKC, era years and kanji numerals, table-driven over every modern era."""

from __future__ import annotations

import time

import pytest

from core import (
    ERA_OFFSETS,
    era_label,
    era_to_western,
    era_years,
    era_years_as_western,
    kanji_to_int,
    nfkc,
    western_to_era,
)

ERA_TABLE = [
    # era, era year, western year
    ("明治", 1, 1868),
    ("明治", 45, 1912),
    ("大正", 1, 1912),
    ("大正", 15, 1926),
    ("昭和", 1, 1926),
    ("昭和", 64, 1989),
    ("平成", 1, 1989),
    ("平成", 28, 2016),
    ("平成", 31, 2019),
    ("令和", 1, 2019),
    ("令和", 2, 2020),
    ("令和", 8, 2026),
]


@pytest.mark.parametrize(("era", "year", "western"), ERA_TABLE)
def test_era_year_converts_to_western(era: str, year: int, western: int) -> None:
    assert era_to_western(era, year) == western


@pytest.mark.parametrize(("era", "year", "western"), ERA_TABLE)
def test_era_years_reads_digits_kanji_and_full_width(era: str, year: int, western: int) -> None:
    kanji = {1: "元", 2: "二", 8: "八", 15: "十五", 28: "二十八", 31: "三十一"}
    kanji |= {45: "四十五", 64: "六十四"}
    assert era_years(f"{era}{year}年度") == (western,)
    assert era_years(f"{era} {year} 年") == (western,)
    assert era_years(nfkc(f"{era}{year}年")) == era_years(f"{era}{str(year).translate(_WIDE)}年")
    assert era_years(f"{era}{kanji[year]}年") == (western,)


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("western", "era", "year"),
    [
        (1868, "明治", 1),
        (1926, "昭和", 1),
        (1988, "昭和", 63),
        (1989, "平成", 1),
        (2016, "平成", 28),
        (2018, "平成", 30),
        (2019, "令和", 1),
        (2020, "令和", 2),
    ],
)
def test_western_year_converts_back_to_the_era_in_force(western: int, era: str, year: int) -> None:
    assert western_to_era(western) == (era, year)
    assert era_to_western(era, year) == western


def test_era_label_writes_the_first_year_as_gannen() -> None:
    assert era_label(2016) == "平成28年"
    assert era_label(2019) == "令和元年"
    assert era_label(2020) == "令和2年"


def test_era_years_reads_initials_and_keeps_order() -> None:
    assert era_years("H28年度とR2年度") == (2016, 2020)
    assert era_years("H28.5.21に開催") == (2016,)
    assert era_years("令和2年度と平成28年度") == (2020, 2016)


@pytest.mark.parametrize("text", ["平成", "HTML5年", "第28年", "平成100年", "2016年", "PH28年"])
def test_era_years_ignores_what_is_not_an_era_year(text: str) -> None:
    assert era_years(text) == ()


def test_unknown_era_and_year_zero_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown era"):
        era_to_western("天保", 3)
    with pytest.raises(ValueError, match="start at 1"):
        era_to_western("平成", 0)
    with pytest.raises(ValueError, match="before"):
        western_to_era(1800)


def test_every_era_has_an_offset_below_the_next() -> None:
    offsets = list(ERA_OFFSETS.values())
    assert offsets == sorted(offsets)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("〇", 0),
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十四", 24),
        ("百", 100),
        ("百二", 102),
        ("三百六十五", 365),
        ("千", 1000),
        ("二千十六", 2016),
        ("二〇一六", 2016),
        ("二三", 23),
        ("一万", 10_000),
        ("三千五百万", 35_000_000),
        ("五百万", 5_000_000),
        ("一億二千万", 120_000_000),
        ("十万五千", 105_000),
    ],
)
def test_kanji_numerals(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十五条", "万", "二x", "億"])
def test_not_a_kanji_numeral(text: str) -> None:
    assert kanji_to_int(text) is None


def test_nfkc_folds_width_compatibility_characters_and_wave_dashes() -> None:
    assert nfkc("１２３％") == "123%"
    assert nfkc("㍿") == "株式会社"
    assert nfkc("4月〜6月") == nfkc("4月～6月") == "4月~6月"


@pytest.mark.parametrize(
    "unit", ["平成", "令和元", "H2", "二十", "年", "㍻", "株式会社", "あ", "ア"]
)
def test_era_years_is_fast_on_long_runs(unit: str) -> None:
    text = unit * (4000 // len(unit))
    started = time.perf_counter()
    era_years(text)
    kanji_to_int(text)
    assert time.perf_counter() - started < 0.5


def test_era_years_as_western_rewrites_era_years_only() -> None:
    assert era_years_as_western("平成28年度予算と令和元年") == "2016年度予算と2019年"
    assert era_years_as_western("平成二十八年度") == "2016年度"
    assert era_years_as_western("H28.5.21開催") == "H28.5.21開催"
    assert era_years_as_western("第28年") == "第28年"


def test_figures_broken_by_spaces_are_joined_within_a_line_only() -> None:
    from core import join_spaced_digits  # noqa: PLC0415 - this test's only

    assert join_spaced_digits("3 42  件") == "342  件"
    assert join_spaced_digits("4 0 . 9%") == "40.9%"
    assert join_spaced_digits("平成28年 3月") == "平成28年 3月"  # a word between: no figure
    assert "\n" in join_spaced_digits("3\n42")  # never glued across a line break


def test_katakana_letters_the_dot_and_the_long_mark_write_a_katakana_word() -> None:
    from core import is_katakana  # noqa: PLC0415 - this test's only

    assert all(is_katakana(c) for c in "ビッグサイト・ー")
    assert not any(is_katakana(c) for c in "ぁ漢Aa1、")
