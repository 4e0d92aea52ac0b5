"""Report sections: keys, titles, facts and clean text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.sections import SECTION_KEYS, SectionParser
from ingest.sections_parts import opinion_text
from ingest.text import SourceText

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"


@pytest.fixture(scope="module")
def sections():
    return SectionParser(SourceText.from_path(REPORT)).parse()


def by_key(sections, key):
    return [s for s in sections if s.key == key]


def test_all_keys_present(sections):
    assert {s.key for s in sections} == set(SECTION_KEYS)
    assert len({s.id for s in sections}) == len(sections)


def test_introduction(sections):
    (intro,) = by_key(sections, "introduction")
    assert intro.title == "はじめに"
    assert "99.2%" in intro.text
    assert intro.lines.first < 10


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
