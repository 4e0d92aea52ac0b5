"""Ordinance articles rebuilt from the two-column dump (real report + a synthetic layout)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.lines import clean_text
from ingest.ordinance import OrdinanceParser, find_ordinance_start

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"

TITLES = {
    1: "目的",
    2: "定義",
    3: "基本理念",
    4: "市の責務",
    5: "中小企業者の役割",
    6: "中小企業に関する団体の役割",
    7: "大企業者の役割",
    8: "大学等の役割",
    9: "金融機関の役割",
    10: "市民の役割",
    11: "産業の振興に関する計画",
    12: "創業、経営の革新等の促進",
    13: "連携の促進",
    14: "研究及び開発の支援",
    15: "経営基盤の強化及び小規模企業者の事情の考慮",
    16: "地域の活性化の促進",
    17: "人材の確保及び育成",
    18: "海外市場の開拓等の促進",
    19: "受注機会の増大等",
    20: "施策における考慮",
    21: "調査及び研究",
    22: "施策の検証等",
    23: "実施状況の公表",
    24: "財政上の措置",
}
_MARKER = re.compile(r"第\s*([0-9０-９]+)\s*条\s+(\S.*)$")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return REPORT.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def articles(lines):
    return {a.number: a for a in OrdinanceParser("report.txt").parse(lines)}


def test_all_articles_with_titles(articles):
    assert sorted(articles) == list(range(26))
    assert {n: articles[n].title for n in TITLES} == TITLES
    assert articles[0].title == "前文" and articles[0].label == "前文"
    assert articles[25].label == "附則"


def test_each_article_holds_its_own_first_line_and_no_other(lines, articles):
    first_lines = {}
    for raw in lines:
        match = _MARKER.search(raw)
        if match:
            first_lines[int(clean_text(match.group(1)))] = clean_text(match.group(2))
    assert sorted(first_lines) == list(range(1, 25))
    for number, first in first_lines.items():
        assert articles[number].text.startswith(first), number
        others = [a.number for a in articles.values() if a.number != number and first in a.text]
        assert others == [], (number, others)


def test_article_2_definitions_in_order(articles):
    para = articles[2].paragraphs[0]
    assert [item.number for item in para.items] == [1, 2, 3, 4, 5]
    terms = [item.text.split()[0] for item in para.items]
    assert terms == ["中小企業者", "大企業者", "大学等", "金融機関", "関係団体等"]
    assert "市内に施設を有するもの" in para.items[2].text
    assert para.items[2].text.endswith("をいう。")


def test_preamble_is_clean(articles):
    text = articles[0].text
    assert text.startswith("川崎市は")
    assert text.rstrip().endswith("制定する。")
    assert "規定する大学" not in text
    assert "前文" not in text


def test_neighbouring_articles_do_not_leak(articles):
    assert "調査研究を行う" not in articles[14].text
    assert "調査研究を行う" in articles[21].text
    assert "調査及び研究" not in articles[14].text
    assert "施行する" in articles[25].text
    assert "施行する" not in articles[24].text


def test_paragraphs_and_items(articles):
    assert [p.number for p in articles[4].paragraphs] == [1, 2, 3]
    assert [p.number for p in articles[15].paragraphs] == [1, 2]
    assert [i.number for i in articles[15].paragraphs[0].items] == [1, 2]
    assert [i.number for i in articles[17].paragraphs[0].items] == [1, 2]
    # numbers split by spaces in the dump are repaired
    assert "第10条" not in articles[10].text
    assert "昭和38年法律第154号" in articles[2].text


def test_ids_are_stable_and_distinct(lines):
    first = OrdinanceParser("report.txt").parse(lines)
    again = OrdinanceParser("report.txt").parse(lines)
    assert [a.id for a in first] == [a.id for a in again]
    assert len({a.id for a in first}) == len(first)


SYNTHETIC = """\
前のページの本文です。

（参考）架空市観光振興条例

前

文

架空市は、古くから港町として栄えてきた。

この条例を制定する。

規定する施設で、市内にあるものを

いう。

(３) 宿泊施設 旅館その他の施設をいう。

目

的

（目的） （事業者の役割）

第１条 この条例は、観光の振興を目的とする。

第３条 事業者は、観光の振興に努めるものとする。

２ 事業者は、市に協力するものとする。

（市民の役割）

（定義） 第４条 市民は、観光客を歓迎するよう努める。

第２条 この条例において、次に掲げる用語の意義は、次のとおりとする。

(１) 観光客 市を訪れる者をいう。

(２) 観光施設 観光の用に供する施設として

（市の責務）

第５条 市は、施策を実施する。

附 則

この条例は、公布の日から施行する。
"""


def test_synthetic_layout_generic_rules():
    lines = SYNTHETIC.split("\n")
    assert find_ordinance_start(lines) == 2
    arts = {a.number: a for a in OrdinanceParser("fake.txt").parse(lines)}
    assert sorted(arts) == [0, 1, 2, 3, 4, 5, 25]
    assert arts[1].title == "目的"
    assert arts[3].title == "事業者の役割"
    assert arts[4].title == "市民の役割"
    assert arts[2].title == "定義"
    assert arts[5].title == "市の責務"
    items = arts[2].paragraphs[0].items
    assert [i.number for i in items] == [1, 2, 3]
    assert items[1].text.endswith("市内にあるものをいう。")
    assert "規定する施設" not in arts[0].text
    assert arts[0].text.endswith("制定する。")
    assert [p.number for p in arts[3].paragraphs] == [1, 2]
    assert "施行する" in arts[25].text


def test_text_without_ordinance():
    assert find_ordinance_start(["普通の文章です。", "第 三 の段落"]) is None
    assert OrdinanceParser("x").parse(["普通の文章です。"]) == ()
