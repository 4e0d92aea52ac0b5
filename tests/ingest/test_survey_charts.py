"""Survey pie charts: figures read back and named after the question they answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sections import SectionParser
from ingest.source import SourceText
from ingest.survey_charts import chart_shares, heading_lines

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"

# Two questions side by side: their titles share a line, the bullets follow, then both
# charts' figures in reading order (the second chart's first label glued to the first
# chart's last share, as the PDF extraction prints it).
TWO_CHARTS = [
    "【昨年と比べた売上】 【来年の売上見通し】",
    "",
    "【力を入れたいこと（複数回答）】",
    "・売上が増えたとみる事業者が約６割",
    "ｎ＝200",
    "",
    "増えた",
    "12 0",
    "6 0 . 0%",
    "",
    "減った",
    "80",
    "40.0% 増える",
    "50",
    "25.0%",
    "減る",
    "150",
    "75.0%",
    "",
    "ｎ＝200",
    "30.5%",
    "12.0%",
    "設備投資",
    "人材育成",
]


def rows_of(lines: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=1))


def test_charts_side_by_side_take_their_titles_in_reading_order():
    first, second = chart_shares(rows_of(TWO_CHARTS))
    assert (
        first[3]
        == "【昨年と比べた売上】増えた: 120件(60.0%)\n【昨年と比べた売上】減った: 80件(40.0%)"
    )
    assert (
        second[3]
        == "【来年の売上見通し】増える: 50件(25.0%)\n【来年の売上見通し】減る: 150件(75.0%)"
    )
    assert first[0].startswith("【昨年と比べた売上】")
    # each part spans its own chart's lines, for citation
    assert (first[1][0][0], first[1][-1][0]) == (7, 13)
    assert (second[1][0][0], second[1][-1][0]) == (13, 18)


def named(lines: list[str]) -> list[bool]:
    """Whether each chart read from ``lines`` carries a question title (title and rows)."""
    parts = chart_shares(rows_of(lines))
    for title, _, _, text in parts:
        assert ("【" in title) == all(line.startswith("【") for line in text.splitlines())
    return ["【" in title for title, *_ in parts]


CHARTS_ONLY = TWO_CHARTS[6:18]


def test_charts_stay_unnamed_when_titles_and_charts_do_not_pair_up():
    # A second page after the first: its charts are not named when the counts differ.
    three_titles = ["【売上】 【利益】 【従業員数】", "・売上が増えた事業者が約６割", "ｎ＝200"]
    assert named([*TWO_CHARTS, *three_titles, *CHARTS_ONLY]) == [True, True, False, False]
    one_chart = ["【売上】 【利益】", "ｎ＝200", *TWO_CHARTS[6:12], "40.0%"]
    assert named([*TWO_CHARTS, *one_chart]) == [True, True, False]


def test_charts_after_other_charts_figures_stay_unnamed():
    # The titles' first charts print bare shares: pie charts read after them cannot be
    # told apart from their neighbours' questions.
    bare_first = ["【売上】 【利益】", "ｎ＝200", "30.5%", "12.0%", "設備投資", "人材育成"]
    assert named([*TWO_CHARTS, *bare_first, *CHARTS_ONLY]) == [True, True, False, False]


def test_wrapped_titles_are_joined():
    lines = [
        "【機器の導入効果（導入予定の企業のみ",
        "回答、複数回答）】",
        "【今後の方針】 【課題】（複数回答）",
    ]
    assert heading_lines(rows_of(lines)) == [
        (1, 2, ["【機器の導入効果(導入予定の企業のみ回答、複数回答)】"]),
        (3, 3, ["【今後の方針】", "【課題】"]),
    ]


def test_a_title_that_never_closes_does_not_swallow_the_next_titles():
    lines = ["【閉じない見出し", "本文の行", "続きの行", "次の行", "【今後の方針】 【課題】"]
    found = heading_lines(rows_of(lines))
    assert found[-1] == (5, 5, ["【今後の方針】", "【課題】"])


@pytest.fixture(scope="module")
def survey():
    sections = SectionParser(SourceText.from_path(REPORT)).parse()
    return [s for s in sections if s.key == "survey"]


def test_report_outlook_rows_carry_their_question(survey):
    texts = "\n".join(s.text for s in survey)
    assert "【今後5年間の経営展望】悪化する: 340件(40.6%)" in texts
    assert "【3年前と比較した現在の経営状況】悪化している: 342件(40.9%)" in texts
    outlook = next(s for s in survey if "悪化する:" in s.text)
    assert "【今後5年間の経営展望】 図表の回答内訳" in outlook.title
    assert 300 <= outlook.lines.first <= outlook.lines.last <= 330
    for line in outlook.text.splitlines():
        assert line.startswith("【今後5年間の経営展望】")


def test_report_overview_reads_label_then_value(survey):
    overview = next(s for s in survey if s.facts)
    assert "調査対象: 市内の事業所4,918件(無作為抽出)" in overview.text
    assert "回答状況: 有効回答837件(平成29年8月10日時点)" in overview.text
    assert "合計: 回答件数 837, 発送件数 4,918, 回答率 17.0%" in overview.text
    # the table's column names are not a fact
    assert "産業大分類" not in dict(overview.facts)


def test_a_rebuilt_rows_question_is_read_back_and_nothing_else_is() -> None:
    from ingest import chart_row_title  # noqa: PLC0415 - this test's only

    assert chart_row_title("【今後5年間の経営展望】好転する: 147件(17.6%)") == "今後5年間の経営展望"
    assert chart_row_title("好転する: 147件(17.6%)") is None
    assert chart_row_title("【意見】施策の情報が届いていない。") is None
