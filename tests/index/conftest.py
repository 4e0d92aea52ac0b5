"""A tiny hand-made corpus and index settings in tmp_path (hash embedder, embedded Chroma)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Article, ArticleParagraph, Chunk, ChunkKind, Corpus, Programme, Settings, Span


def _chunk(n: int, kind: ChunkKind, text: str, **kw) -> Chunk:
    return Chunk(id=f"c{n:03d}", kind=kind, text=text, lines=Span(n * 10, n * 10 + 3), **kw)


LOAN = "間接融資事業"
OVERSEAS = "海外展開支援事業"
TECH = "ものづくり中小企業経営革新等支援事業"


def make_chunks() -> tuple[Chunk, ...]:
    P, A, S = ChunkKind.PLAN, ChunkKind.ARTICLE, ChunkKind.SECTION
    return (
        _chunk(1, P, f"{LOAN} ― 事業計画\n市内中小企業の資金調達を支援するため、金融機関を通じて融資を行う。",
               programme=LOAN, article=15, page=40, fiscal_years=(2016,)),
        _chunk(2, ChunkKind.SUPPORT_MENU,
               f"{LOAN} ― 支援メニュー\n経営安定資金：融資限度額 1,500万円、利率 年1.3%以内、期間 10年以内。",
               programme=LOAN, article=15, page=41, fiscal_years=(2016,)),
        _chunk(3, ChunkKind.BUDGET, f"{LOAN} ― 予算\n平成28年度予算 10,220千円、平成29年度予算 9,800千円。",
               programme=LOAN, article=15, page=41, fiscal_years=(2016, 2017)),
        _chunk(4, P, f"{OVERSEAS} ― 事業計画\n川崎市海外ビジネス支援センター（KOBS）において海外展開を支援する。",
               programme=OVERSEAS, article=17, page=60, fiscal_years=(2016,)),
        _chunk(5, ChunkKind.ACTIVITIES, f"{OVERSEAS} ― 取組実績\nKOBSでのワンストップサービスにより相談件数が増加した。",
               programme=OVERSEAS, article=17, page=61, fiscal_years=(2016,)),
        _chunk(6, ChunkKind.SUPPORT_MENU,
               f"{TECH} ― 支援メニュー\n産学共同研究の補助：補助上限 500万円、補助率 2/3。大学と共同で新材料を研究開発する中小企業を支援。",
               programme=TECH, article=14, page=30, fiscal_years=(2016,)),
        _chunk(7, P, f"{TECH} ― 事業計画\n製造業の技術開発と経営革新を支援する。",
               programme=TECH, article=14, page=30, fiscal_years=(2017,)),
        _chunk(8, A, "条例 第14条（研究及び開発の支援）\n市は、中小企業者が行う研究及び開発を促進するため、必要な施策を講ずるものとする。",
               article=14, page=90),
        _chunk(9, A, "条例 第15条（経営基盤の強化及び小規模企業者の事情の考慮）\n市は、中小企業者の経営基盤の強化を図るため、資金の供給の円滑化その他の必要な施策を講ずるものとする。",
               article=15, page=90),
        _chunk(10, A, "条例 第1条（目的）\nこの条例は、中小企業の活性化に関し基本理念を定めることを目的とする。",
               article=1, page=89),
        _chunk(11, S, "統計 ― 市内の事業所数\n市内の事業所数は41,028、従業者数は544,782人である。",
               section="statistics", page=5, fiscal_years=(2014,)),
        _chunk(12, S, "アンケート調査\n4,918社に送付し、有効回答は837件であった。",
               section="survey", page=8, fiscal_years=(2016,)),
    )


def make_corpus() -> Corpus:
    chunks = make_chunks()
    programmes = tuple(
        Programme(id=f"p{i}", name=name, article=art, focus=True, page=None, lines=Span(1, 1))
        for i, (name, art) in enumerate(((LOAN, 15), (OVERSEAS, 17), (TECH, 14)))
    )
    articles = (
        Article("a14", 14, "研究及び開発の支援", (ArticleParagraph(1, "…"),), 90, Span(1, 1)),
        Article("a15", 15, "経営基盤の強化及び小規模企業者の事情の考慮",
                (ArticleParagraph(1, "…"),), 90, Span(1, 1)),
        Article("a1", 1, "目的", (ArticleParagraph(1, "…"),), 89, Span(1, 1)),
    )
    return Corpus("test.txt", "0" * 64, programmes, articles, (), chunks)


@pytest.fixture
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, store_dir=tmp_path / "store", embedder="hash")
