"""Unit tests of the layout primitives (ingest/text.py) on small synthetic snippets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import CorpusError, get_settings
from ingest.source import SourceText
from ingest.text import (
    find_yen,
    is_page_footer,
    join_wrapped,
    noise_lines,
    normalize,
    page_footer_number,
    parse_yen,
    repair_numbers,
    sidebar_lines,
    strip_footer,
    trailing_footer_number,
)


@pytest.mark.parametrize(
    ("line", "page"),
    [("- 13 -", 13), ("  - 66 -  ", 66), ("－ １２ －", 12), ("-13-", 13)],
)
def test_page_footer_detected(line: str, page: int) -> None:
    assert page_footer_number(line) == page
    assert is_page_footer(line)


@pytest.mark.parametrize("line", ["13", "- 13 - 14", "第13条", "", "ー"])
def test_non_footers(line: str) -> None:
    assert not is_page_footer(line)


def test_sidebar_runs_are_detected_with_single_blank_gaps() -> None:
    lines = ["本文の行です。", "研", "究", "の", "", "第", "14", "条", "", "", "次の本文。"]
    assert sidebar_lines(lines) == frozenset({2, 3, 4, 6, 7, 8})


def test_lone_short_lines_and_two_char_words_are_not_sidebars() -> None:
    lines = [
        "企業が集積し、取引や連携がしやす",
        "い",
        "研究開発機関",
        "40 ",
        "台湾",
        "香港",
        "韓国",
    ]
    assert sidebar_lines(lines) == frozenset()


def test_two_short_lines_are_not_a_run() -> None:
    assert sidebar_lines(["本文", "学", "識", "", "", "者"]) == frozenset()


def test_noise_lines_combines_footers_and_sidebars() -> None:
    lines = ["本文", "- 3 -", "学", "識", "者", "本文"]
    assert noise_lines(lines) == frozenset({2, 3, 4, 5})


def test_join_wrapped_joins_without_spaces_and_strips_indent() -> None:
    lines = [
        "\u3000 川崎市の中小企業は、事業所数の",
        "",
        "大半を占め、 ",
        "地域社会に欠かせない。 ",
    ]
    assert join_wrapped(lines) == "川崎市の中小企業は、事業所数の大半を占め、地域社会に欠かせない。"


def test_join_wrapped_keeps_space_between_ascii_words() -> None:
    assert join_wrapped(["市内には IT", "Venture と農業"]) == "市内にはIT Ventureと農業"
    assert join_wrapped(["実 績（人） 12 14"]) == "実績（人） 12 14"
    assert join_wrapped(["実 績（回） ６ ６"]) == "実績（回） ６ ６"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("1 ,500万円", "1,500万円"),
        ("2 ,000万円に拡充", "2,000万円に拡充"),
        ("年1 .3%以内", "年1.3%以内"),
        ("2 0 . 9%", "20.9%"),
        ("0 . 7%", "0.7%"),
        ("平成 28 年", "平成28年"),
        ("(30,873 千円)", "(30,873千円)"),
        ("約 5,000 事業所", "約 5,000事業所"),
    ],
)
def test_repair_numbers_fixes_split_numbers(raw: str, fixed: str) -> None:
    assert repair_numbers(raw) == fixed


@pytest.mark.parametrize(
    "kept",
    ["実績(人) 12 14", "農業、林業 3 12 25.0%", "17 5", "合計 837 4,918 17.0%", "1,300 1,300"],
)
def test_repair_numbers_does_not_glue_separate_numbers(kept: str) -> None:
    assert repair_numbers(kept) == kept


def test_normalize_folds_width_and_repairs() -> None:
    assert normalize("年１ .３％以内・返済期間４年以内") == "年1.3%以内・返済期間4年以内"
    assert normalize("目 標（件） ７４") == "目 標(件) 74"


def test_normalize_keeps_circled_list_markers() -> None:
    assert normalize("①専門家による助言、②資金調達") == "①専門家による助言、②資金調達"


@pytest.mark.parametrize(
    ("text", "yen"),
    [
        ("10,220千円", 10_220_000),
        ("1,500万円", 15_000_000),
        ("1億2,000万円", 120_000_000),
        ("500万円", 5_000_000),
        ("15万円", 150_000),
        ("2億円", 200_000_000),
        ("（見込） 9,676 千円", 9_676_000),
        ("上限１００万円", 1_000_000),
        ("1 ,500万円", 15_000_000),
    ],
)
def test_parse_yen(text: str, yen: int) -> None:
    assert parse_yen(text) == yen


@pytest.mark.parametrize("text", ["増減なし", "円滑な供給", "12 14", ""])
def test_parse_yen_none(text: str) -> None:
    assert parse_yen(text) is None


def test_find_yen_returns_all_amounts_in_order() -> None:
    assert [y for y, _, _ in find_yen("限度額を1,500万円から2,000万円に拡充")] == [
        15_000_000,
        20_000_000,
    ]


def test_source_text_lines_are_one_based(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_text("一行目\n- 1 -\n三行目 \n\n五行目\n", encoding="utf-8")
    src = SourceText.from_path(p)
    assert src.name == "r.txt"
    assert len(src) == 5
    assert src.line(1) == "一行目"
    assert src.line(5) == "五行目"
    assert len(src.sha256) == 64
    assert src.noise == frozenset({2})
    assert [n for n, _ in src.content()] == [1, 3, 5]
    assert src.clean_text(1, 5) == "一行目三行目五行目"
    with pytest.raises(IndexError):
        src.line(0)


def test_source_text_rejects_bad_files(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        SourceText.from_path(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(CorpusError):
        SourceText.from_path(empty)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(CorpusError):
        SourceText.from_path(latin)


def test_footer_glued_to_a_text_line_is_stripped() -> None:
    assert trailing_footer_number("検討を行う。 - 48 -") == 48
    assert strip_footer("検討を行う。 - 48 -") == "検討を行う。"
    assert strip_footer("- 13 -") == ""
    assert trailing_footer_number("- 13 -") is None
    assert strip_footer("期間 2 - 3 年") == "期間 2 - 3 年"
    assert join_wrapped(["推進について", "検討を行う。 - 48 -"]) == "推進について検討を行う。"


def test_report_lines_normalise_idempotently_without_split_numbers() -> None:
    report = SourceText.from_path(get_settings().corpus)
    assert report.noise  # the bundled dump has footers and sidebars
    for _, line in report.content():
        once = normalize(join_wrapped([line]))
        assert normalize(once) == once
        assert not re.search(r"\d [,.]\d|\d[,.] \d", once), once
