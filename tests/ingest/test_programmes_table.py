"""The overview table 「図表 中小企業活性化施策一覧」: rows, articles, focus flags, pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import CorpusError, get_settings
from ingest.programme_table import ProgrammeTableParser, TableRow, find_programme_table
from ingest.source import SourceText
from ingest.text import normalize

# (article, focus, page, name) as printed in the report's table (read by hand from the report).
EXPECTED = [
    (12, True, 16, "起業化総合支援事業"),
    (12, True, 18, "新産業創造支援事業"),
    (12, True, 19, "ウェルフェアイノベーション推進事業"),
    (12, True, 21, "コミュニティビジネス振興事業"),
    (12, False, 22, "かわさき基準推進事業"),
    (12, False, 22, "福祉製品創出支援事業"),
    (12, False, 22, "福祉サービス高度化事業"),
    (12, False, 22, "環境調和型まちづくり(エコタウン)推進事業"),
    (12, False, 22, "環境調和型産業振興事業"),
    (12, False, 23, "コンテンツ産業振興事業"),
    (12, False, 23, "産業デザイン振興育成事業"),
    (12, False, 23, "新エネルギー産業創出事業"),
    (13, True, 24, "知的財産戦略の推進"),
    (13, False, 26, "川崎臨海部スマートコンビナートの推進事業"),
    (14, True, 27, "ものづくり中小企業経営革新等支援事業"),
    (14, True, 29, "新川崎・創造のもり推進事業"),
    (14, True, 31, "医工連携等推進事業"),
    (14, True, 32, "科学技術基盤の強化・連携"),
    (14, False, 33, "先端科学技術啓発推進事業"),
    (15, True, 34, "川崎市産業振興財団運営費等補助事業"),
    (15, True, 35, "ものづくり中小企業販路開拓支援事業"),
    (15, True, 36, "かわさきブランド推進事業"),
    (15, True, 38, "間接融資事業"),
    (15, False, 39, "事業承継・事業継続支援事業"),
    (15, False, 39, "商工業従業員永年勤続者表彰事業"),
    (15, False, 39, "建設業振興事業"),
    (15, False, 39, "テクノトランスファー事業"),
    (15, False, 40, "信用保証等促進支援事業"),
    (15, False, 40, "金融対策指導事業"),
    (15, False, 40, "中小企業の経営相談・金融相談事業"),
    (15, False, 40, "中小企業の経営相談・金融相談事業(溝口事務所)"),
    (15, False, 41, "担い手・後継者育成事業"),
    (15, False, 41, "農業経営支援・研究事業"),
    (15, False, 42, "農業生産基盤維持・管理事業"),
    (15, False, 42, "援農ボランティア育成・活用事業"),
    (15, False, 42, "多様な連携推進事業"),
    (16, True, 44, "商店街課題対応事業"),
    (16, True, 46, "商業ネットワーク事業"),
    (16, True, 47, "商業力強化事業"),
    (16, True, 48, "先端産業等立地促進事業"),
    (16, True, 49, "観光振興事業"),
    (16, False, 51, "地域連携事業"),
    (16, False, 51, "まちづくり連動事業"),
    (16, False, 52, "商業バリューアップ事業"),
    (16, False, 52, "内陸部操業環境保全対策事業"),
    (16, False, 52, "経済団体等助成・支援事業"),
    (16, False, 53, "マイコンシティ地区活性化推進事業"),
    (16, False, 53, "水江町地区活性化推進事業"),
    (16, False, 53, "新川崎A地区活性化推進事業"),
    (16, False, 53, "産業振興協議会等推進事業"),
    (17, True, 54, "雇用労働対策・就業支援事業"),
    (17, True, 56, "地域ものづくり等支援事業"),
    (17, False, 57, "産業人材育成事業"),
    (17, False, 57, "かわさきマイスター制度事業"),
    (17, False, 57, "技能奨励事業"),
    (17, False, 58, "生活文化会館の管理運営事業"),
    (17, False, 58, "勤労者福祉共済"),
    (17, False, 58, "勤労者福祉対策事業"),
    (17, False, 59, "労働会館の管理運営事業"),
    (17, False, 59, "労働資料の調査及び刊行業務"),
    (17, False, 59, "住宅相談事業"),
    (18, True, 60, "海外販路開拓事業"),
    (18, True, 61, "国際環境産業推進事業"),
    (18, True, 63, "対内投資促進事業"),
    (18, False, 64, "アジア起業家誘致交流促進事業"),
    (19, False, 65, "本市の調達等の取組として推進するもの(入札制度改革等)"),
]


@pytest.fixture(scope="module")
def report() -> SourceText:
    return SourceText.from_path(get_settings().corpus)


@pytest.fixture(scope="module")
def rows(report: SourceText) -> tuple[TableRow, ...]:
    return ProgrammeTableParser().parse(report)


def test_table_is_found_where_the_report_prints_it(report: SourceText) -> None:
    span = find_programme_table(report)
    assert "施策一覧" in report.line(span.first)
    assert span.last < span.first + 200


def test_row_counts(rows: tuple[TableRow, ...]) -> None:
    # 65 事務事業 (the report's own count, 「全 65の事務事業」) + the article-19 ※ note row.
    assert len(rows) == 66
    assert [r.name for r in rows if r.note] == [
        "本市の調達等の取組として推進するもの(入札制度改革等)"
    ]
    assert sum(not r.note for r in rows) == 65
    assert sum(r.focus for r in rows) == 23


def test_every_row_matches_the_printed_table(rows: tuple[TableRow, ...]) -> None:
    got = [(r.article, r.focus, r.page, r.name) for r in rows]
    assert got == EXPECTED


def test_row_spans_point_at_the_row_text(report: SourceText, rows: tuple[TableRow, ...]) -> None:
    for row in rows:
        text = "".join(report.line(n) for n in range(row.lines.first, row.lines.last + 1))
        assert str(row.page) in text or row.name.startswith("中小企業の経営相談")
        assert row.name[:4] in normalize(text).replace(" ", "")


def test_article_titles_include_wrapped_title(rows: tuple[TableRow, ...]) -> None:
    titles = {r.article: r.article_title for r in rows}
    assert titles[12] == "創業、経営の革新等の促進"
    assert titles[15] == "経営基盤の強化及び小規模企業者の事情の考慮"
    assert titles[19] == "受注機会の増大等"


SYNTHETIC = """\
前の段落です。

図表 施策一覧

条文 施策

事務事業名 頁

１条 第一の目的

○ 甲事業 3

乙事業

4

乙事業(分室)

２条

長い見出しの

続き

○ 丙事業 5

※長い名前の取組

（括弧書き）

9

以上の事業について、説明します。
"""


def test_synthetic_table_rules(tmp_path: Path) -> None:
    src = SourceText.from_text(SYNTHETIC, name="t.txt")
    got = [
        (r.article, r.article_title, r.focus, r.page, r.name)
        for r in ProgrammeTableParser().parse(src)
    ]
    assert got == [
        (1, "第一の目的", True, 3, "甲事業"),
        (1, "第一の目的", False, 4, "乙事業"),
        (1, "第一の目的", False, 4, "乙事業(分室)"),  # merged page cell: inherits 4
        (2, "長い見出しの続き", True, 5, "丙事業"),
        (2, "長い見出しの続き", False, 9, "長い名前の取組(括弧書き)"),
    ]


def test_missing_table_is_a_corpus_error() -> None:
    with pytest.raises(CorpusError):
        ProgrammeTableParser().parse(SourceText.from_text("本文だけです。\n", name="x.txt"))
