"""Report sections: keys, titles, facts and clean text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.sections import SECTION_KEYS, SectionParser
from ingest.sections_parts import opinion_text
from ingest.source import SourceText
from ingest.survey_charts import chart_shares

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"


@pytest.fixture(scope="module")
def sections():
    return SectionParser(SourceText.from_path(REPORT)).parse()


def by_key(sections, key):
    return [s for s in sections if s.key == key]


def test_all_keys_present(sections):
    # "measures" sections come from the table's ※ rows, added by the pipeline (test_pipeline)
    assert {s.key for s in sections} == set(SECTION_KEYS) - {"measures"}
    assert len({s.id for s in sections}) == len(sections)


def test_introduction(sections):
    intro = by_key(sections, "introduction")
    assert len(intro) >= 3
    assert all(s.title.startswith("はじめに") for s in intro)
    assert "99.2%" in intro[0].text and intro[0].lines.first < 10
    assert any("3つの特徴" in s.title for s in intro)
    assert any("第22条" in s.text for s in intro)


def test_statistics_one_section_per_group(sections):
    stats = by_key(sections, "statistics")
    assert len(stats) >= 6
    assert any("41,028" in s.text and "事業所数" in s.title for s in stats)
    assert any("81件" in s.text for s in stats)
    titles = " ".join(s.title for s in stats)
    for number in ("(1)", "(2)", "(3)", "(4)"):
        assert number in titles
    assert "(5)" not in titles


def test_survey_facts_and_table(sections):
    survey = by_key(sections, "survey")
    facts = {k: v for s in survey for k, v in s.facts}
    assert facts["有効回答"] == "837件"
    assert "4,918" in facts["調査対象"]
    overview = next(s for s in survey if s.facts)
    assert "製造業: 回答件数 132, 発送件数 455, 回答率 29.0%" in overview.text
    assert "0.0%" in overview.text and "010.0%" not in overview.text
    bullets = [s for s in survey if s.text.startswith("・")]
    assert len(bullets) >= 5
    assert any("約5割" in s.text and "人材不足" in s.text for s in bullets)
    # chart debris (bare percentages, n=… labels) is dropped
    for s in survey:
        for line in s.text.splitlines():
            assert not re.fullmatch(r"[\d.%\s]+", line), line
        assert "n=837" not in s.text


def test_council_members(sections):
    council = by_key(sections, "council")
    facts = [f for s in council for f in s.facts]
    assert ("川崎市産業振興協議会 会長", "杉浦 章介") in facts
    assert ("中小企業活性化専門部会 部会長代理", "遠山 浩") in facts
    members = [v for k, v in facts if k == "川崎市産業振興協議会 委員"]
    assert len(members) == 16
    assert not any(k.endswith("前会長") for k, _ in facts)
    assert any("定員20人以内" in s.text for s in council)


def test_programme_table_and_overall_opinions(sections):
    (table,) = by_key(sections, "programme_table")
    assert "65" in table.text and "23" in table.text
    opinions = by_key(sections, "overall_opinions")
    assert len(opinions) == 2
    assert "【意見】" in opinions[0].text and "【対応】" in opinions[0].text
    assert "情報発信" in opinions[0].text


def test_columns(sections):
    columns = by_key(sections, "column")
    assert len(columns) == 8
    assert all(c.title.endswith("コラム") for c in columns)
    assert any("コントラスト" in c.text for c in columns)
    for c in columns:
        assert not re.search(r"-\s*\d+\s*-\s*$", c.text)
        assert "H18H19" not in c.text.replace(" ", "")  # chart axis labels are dropped


def test_opinion_columns_by_width():
    rows = [
        (1, "改善等意見 対応"),
        (2, "情報が届いていな"),
        (3, "い。"),
        (4, "・チラシを同封し、これまで情報が届いていなかった企業に情報提供を"),
        (5, "図る。"),
    ]
    text = opinion_text(rows)
    assert "【意見】情報が届いていない。" in text
    assert "【対応】・チラシを同封し、これまで情報が届いていなかった企業に情報提供を図る。" in text


def test_survey_chart_shares_read_and_verified(sections):
    charts = [s for s in by_key(sections, "survey") if "回答内訳" in s.title]
    texts = [c.text for c in charts]
    assert any("好転している: 175件(20.9%)" in t for t in texts)  # printed "17 5" / "2 0 . 9%"
    assert any("入手していない: 621件(74.2%)" in t for t in texts)
    # the two pie charts sharing the same labels stay apart
    assert not any("好転している" in t and "好転する:" in t for t in texts)


def test_chart_shares_reject_unverified_figures():
    rows = [
        (1, "ｎ＝200"),
        (2, "はい"),
        (3, "5 0"),
        (4, "2 5 . 0%"),  # 50 / 200 = 25.0 %
        (5, "いいえ"),
        (6, "150"),
        (7, "75.0%"),
        (8, "その他"),
        (9, "12"),
        (10, "9.9%"),  # 12 / 200 = 6.0 %: not a share of this chart
    ]
    (part,) = chart_shares(rows)
    assert part[3] == "はい: 50件(25.0%)\nいいえ: 150件(75.0%)"
    assert "n=200" in part[0]
