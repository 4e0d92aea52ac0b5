"""A tiny hand-made corpus and index settings in tmp_path (hash embedder, embedded Chroma)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Settings
from index import HybridSearcher, open_searcher
from ingest import Article, ArticleParagraph, Chunk, ChunkKind, Corpus, Programme, Span

LOAN = "間接融資事業"
OVERSEAS = "海外展開支援事業"
TECH = "ものづくり中小企業経営革新等支援事業"

# (kind, programme, article, section, page, fiscal years, text)
_ROWS = [
    ("plan", LOAN, 15, None, 40, (2016,),
     f"{LOAN} ― 事業計画\n市内中小企業の資金調達を支援するため、金融機関を通じて融資を行う。"),
    ("support_menu", LOAN, 15, None, 41, (2016,),
     f"{LOAN} ― 支援メニュー\n経営安定資金：融資限度額 1,500万円、"
     "利率 年1.3%以内、期間 10年以内。"),
    ("budget", LOAN, 15, None, 41, (2016, 2017),
     f"{LOAN} ― 予算\n平成28年度予算 10,220千円、平成29年度予算 9,800千円。"),
    ("plan", OVERSEAS, 17, None, 60, (2016,),
     f"{OVERSEAS} ― 事業計画\n"
     "川崎市海外ビジネス支援センター（KOBS）において海外展開を支援する。"),
    ("activities", OVERSEAS, 17, None, 61, (2016,),
     f"{OVERSEAS} ― 取組実績\nKOBSでのワンストップサービスにより相談件数が増加した。"),
    ("support_menu", TECH, 14, None, 30, (2016,),
     f"{TECH} ― 支援メニュー\n産学共同研究の補助：補助上限 500万円、補助率 2/3。"
     "大学と共同で新材料を研究開発する中小企業を支援。"),
    ("plan", TECH, 14, None, 30, (2017,),
     f"{TECH} ― 事業計画\n製造業の技術開発と経営革新を支援する。"),
    ("article", None, 14, None, 90, (),
     "条例 第14条（研究及び開発の支援）\n"
     "市は、中小企業者が行う研究及び開発を促進するため、必要な施策を講ずるものとする。"),
    ("article", None, 15, None, 90, (),
     "条例 第15条（経営基盤の強化及び小規模企業者の事情の考慮）\n"
     "市は、中小企業者の経営基盤の強化を図るため、"
     "資金の供給の円滑化その他の必要な施策を講ずるものとする。"),
    ("article", None, 1, None, 89, (),
     "条例 第1条（目的）\nこの条例は、中小企業の活性化に関し基本理念を定めることを目的とする。"),
    ("section", None, None, "statistics", 5, (2014,),
     "統計 ― 市内の事業所数\n市内の事業所数は41,028、従業者数は544,782人である。"),
    ("section", None, None, "survey", 8, (2016,),
     "アンケート調査\n4,918社に送付し、有効回答は837件であった。"),
]  # fmt: skip


def make_chunks() -> tuple[Chunk, ...]:
    return tuple(
        Chunk(
            id=f"c{n:03d}",
            kind=ChunkKind(kind),
            text=text,
            lines=Span(n * 10, n * 10 + 3),
            page=page,
            programme=programme,
            article=article,
            section=section,
            fiscal_years=years,
        )
        for n, (kind, programme, article, section, page, years, text) in enumerate(_ROWS, start=1)
    )


def make_corpus() -> Corpus:
    programmes = tuple(
        Programme(id=f"p{i}", name=name, article=art, focus=True, page=None, lines=Span(1, 1))
        for i, (name, art) in enumerate(((LOAN, 15), (OVERSEAS, 17), (TECH, 14)))
    )
    titles = (
        (14, "研究及び開発の支援"),
        (15, "経営基盤の強化及び小規模企業者の事情の考慮"),
        (1, "目的"),
    )
    articles = tuple(
        Article(f"a{n}", n, title, (ArticleParagraph(1, "…"),), 90, Span(1, 1))
        for n, title in titles
    )
    return Corpus("test.txt", "0" * 64, programmes, articles, (), make_chunks())


@pytest.fixture
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, store_dir=tmp_path / "store", embedder="hash")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridSearcher]:
    """One read-only index (hash embedder) shared by the tests of a module that only search."""
    store = tmp_path_factory.mktemp("shared") / "store"
    s = open_searcher(Settings(store_dir=store, embedder="hash"), make_corpus())
    yield s
    s.close()
