"""Hybrid search on a tiny corpus: boosting, filters, persistence, threads, no network."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest
from llama_index.core import Settings as LlamaSettings
from llama_index.core.llms import MockLLM

from core import IndexBuildError
from index import (
    HashEmbedder,
    HybridSearcher,
    SearchFilters,
    build_index,
    open_searcher,
)
from index.llama_bridge import EmbedderAdapter
from index.store import IndexLayout
from ingest import ChunkKind

LOAN = "間接融資事業"  # programme names of the conftest corpus
OVERSEAS = "海外展開支援事業"
TECH = "ものづくり中小企業経営革新等支援事業"


class CountingEmbedder(HashEmbedder):
    """Hash embedder that counts the documents it embeds."""

    def __init__(self) -> None:
        super().__init__(128)
        self.documents = 0

    def embed_documents(self, texts):
        self.documents += len(texts)
        return super().embed_documents(texts)


def test_build_then_search_returns_ranked_hits(searcher):
    hits = searcher.search("融資の限度額と利率", k=3)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].chunk.programme == LOAN
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert {name for name, _ in hits[0].ranks} <= {"bm25", "dense"}
    assert searcher.search("   ", k=3) == []


@pytest.mark.parametrize(
    ("query", "programme"),
    [
        ("KOBSって何をしてくれるところ？", OVERSEAS),
        ("間接融資事業について教えて", LOAN),
        ("間接融資の予算", LOAN),  # generic suffix 事業 dropped
        ("ものづくり中小企業経営革新等支援事業の計画", TECH),
    ],
)
def test_named_programme_comes_first(searcher, query, programme):
    hits = searcher.search(query, k=5)
    assert hits[0].chunk.programme == programme
    named = [h for h in hits if h.chunk.programme == programme]
    assert hits[: len(named)] == named  # all of its chunks ahead of the others


@pytest.mark.parametrize("query", ["第15条は何を定めている？", "条例の第十五条", "第１５条"])
def test_article_number_boost(searcher, query):
    top = searcher.search(query, k=3)[0].chunk
    assert top.kind == ChunkKind.ARTICLE and top.article == 15


def test_article_title_routes_to_article(searcher):
    top = searcher.search("研究及び開発の支援について条例ではどう書いてある？", k=3)[0].chunk
    assert top.kind == ChunkKind.ARTICLE and top.article == 14


def test_ordinance_question_prefers_articles(searcher):
    hits = searcher.search("条例の目的は？", k=3)
    assert hits[0].chunk.kind == ChunkKind.ARTICLE and hits[0].chunk.article == 1


def test_era_year_query_matches_western(searcher):
    for query in ("平成29年度の予算はいくら？", "2017年度の予算はいくら？"):
        assert searcher.search(query, k=1)[0].chunk.id == "c003"


def test_filters_restrict_every_hit(searcher):
    cases = [
        SearchFilters(programme=LOAN),
        SearchFilters(kinds=(ChunkKind.ARTICLE,)),
        SearchFilters(kinds=(ChunkKind.PLAN, ChunkKind.BUDGET)),
        SearchFilters(article=14),
        SearchFilters(fiscal_year=2017),
    ]
    for filters in cases:
        hits = searcher.search("支援 予算 KOBS 第15条", k=10, filters=filters)
        assert hits, filters
        assert all(filters.accepts(h.chunk) for h in hits), filters
    # a named programme outside the filter is not pulled back in by boosting
    hits = searcher.search("KOBS", k=10, filters=SearchFilters(programme=LOAN))
    assert all(h.chunk.programme == LOAN for h in hits)
    assert searcher.search("支援", k=5, filters=SearchFilters(fiscal_year=1999)) == []


def test_individual_retrievers(searcher):
    assert searcher.bm25.search("KOBS", k=2)[0].chunk.programme == OVERSEAS
    dense = searcher.dense.search("海外ビジネス支援センター", k=2)
    assert len(dense) == 2 and dense[0].ranks == (("dense", 1),)


def test_persistence_and_reload_without_reembedding(settings, corpus):
    embedder = CountingEmbedder()
    first = build_index(settings, corpus, progress=False, embedder=embedder)
    assert first.embedded == len(corpus.chunks) and not first.unchanged
    again = build_index(settings, corpus, progress=False, embedder=embedder)
    assert again.unchanged and again.embedded == 0 and again.build_id == first.build_id
    s1 = open_searcher(settings, corpus, embedder=embedder)
    before = [h.chunk.id for h in s1.search("融資の利率", k=5)]
    s1.close()
    # a fresh process-like reopen: new embedder instance, nothing re-embedded
    fresh = CountingEmbedder()
    s2 = open_searcher(settings, corpus, embedder=fresh, build_if_needed=False)
    assert [h.chunk.id for h in s2.search("融資の利率", k=5)] == before
    assert fresh.documents == 0
    s2.close()


def test_changed_chunk_reembeds_only_that_chunk(settings, corpus):
    embedder = CountingEmbedder()
    first = build_index(settings, corpus, progress=False, embedder=embedder)
    chunks = list(corpus.chunks)
    chunks[0] = replace(chunks[0], text=chunks[0].text + "追記。")
    changed = replace(corpus, chunks=tuple(chunks))
    stats = build_index(settings, changed, progress=False, embedder=embedder)
    assert stats.embedded == 1 and stats.reused == len(chunks) - 1
    assert stats.build_id != first.build_id
    layout = IndexLayout(settings)
    assert layout.current() == stats.build_id
    assert not layout.build_dir(first.build_id).exists()  # old build removed after the swap


def test_old_build_kept_while_a_searcher_reads_it(settings, corpus):
    old = open_searcher(settings, corpus)
    chunks = list(corpus.chunks)
    chunks[1] = replace(chunks[1], text=chunks[1].text + "改訂。")
    build_index(settings, replace(corpus, chunks=tuple(chunks)), progress=False)
    assert IndexLayout(settings).build_dir(old.build_id).exists()
    assert old.search("融資", k=1)  # still usable
    old.close()


def test_open_without_index_and_without_building_fails(settings, corpus):
    with pytest.raises(IndexBuildError):
        open_searcher(settings, corpus, build_if_needed=False)


def test_threads_match_sequential(searcher):
    queries = [
        "融資の限度額",
        "KOBS",
        "第十五条",
        "平成28年度予算",
        "大学と共同研究したい",
        "事業所数は？",
        "アンケートの回答数",
        "条例の目的",
    ] * 4
    sequential = [[(h.chunk.id, round(h.score, 9)) for h in searcher.search(q, 5)] for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(
            pool.map(
                lambda q: [(h.chunk.id, round(h.score, 9)) for h in searcher.search(q, 5)], queries
            )
        )
    assert parallel == sequential


def test_no_socket_is_opened(settings, corpus, monkeypatch):
    """Embedded mode touches no network at all, not even loopback (telemetry off)."""
    attempts = []
    real = socket.socket.connect

    def spy(self, address):
        attempts.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    s = open_searcher(settings, corpus)
    s.search("融資", k=3)
    s.close()
    assert [a for a in attempts if isinstance(a, tuple)] == []


def test_hash_embedder_is_normalised_and_deterministic():
    emb = HashEmbedder(64)
    a = emb.embed_documents(["融資限度額", "補助率"])
    assert a.shape == (2, 64) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.allclose(emb.embed_query("融資限度額"), a[0])


def test_searcher_is_a_retriever(searcher):
    assert isinstance(searcher, HybridSearcher)
    assert searcher.name == "hybrid"


def test_latest_mentioned_article_comes_first(searcher):
    # a multi-turn query (turns joined): the follow-up's article is the subject
    top = searcher.search("条例第14条は何を定めていますか。 では第15条の見出しは？", k=2)
    assert [h.chunk.article for h in top] == [15, 14]
    top = searcher.search("第15条と、あと第14条について", k=2)
    assert [h.chunk.article for h in top] == [14, 15]


def test_llama_settings_are_local_only(searcher):
    assert isinstance(LlamaSettings.llm, MockLLM)
    assert isinstance(LlamaSettings.embed_model, EmbedderAdapter)


def test_a_long_query_is_embedded_from_its_opening_only(searcher, monkeypatch):
    # Embedding time grows with length (seconds at 1,000 characters, under the embedder's
    # lock): the meaning of a question is read from its opening characters.
    from index.dense import QUERY_EMBED_CHARS  # noqa: PLC0415

    inner = searcher.dense.adapter._embedder
    seen: list[str] = []

    class Recording:
        model_id = inner.model_id

        def embed_query(self, text):
            seen.append(text)
            return inner.embed_query(text)

    monkeypatch.setattr(searcher.dense.adapter, "_embedder", Recording())
    question = "海外ビジネス支援センターの相談内容は" + "漢" * 1000  # as normalised
    hits = searcher.search(question, k=3)
    assert hits and seen == [question[:QUERY_EMBED_CHARS]]
