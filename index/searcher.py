"""HybridSearcher: BM25 + dense, fused, with boosts for what the query names."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from index.caching import LruCache
from index.fusion import FusionConfig, fuse
from index.models import Hit, SearchFilters
from index.names import NameIndex, QueryTargets
from index.normalize import normalize_text
from ingest import Chunk, ChunkKind

if TYPE_CHECKING:
    from index.dense import DenseSearch
    from index.lexical import BM25Search
    from index.semantic import TextSimilarity

__all__ = ["HybridSearcher"]

log = logging.getLogger(__name__)


class HybridSearcher:
    """Thread-safe hybrid search over one index build; implements :class:`index.Retriever`."""

    name = "hybrid"

    def __init__(
        self,
        chunks: Sequence[Chunk],
        bm25: BM25Search,
        dense: DenseSearch | None,
        names: NameIndex,
        *,
        config: FusionConfig | None = None,
        lease: Any = None,
        build_id: str | None = None,
        cache_size: int = 1024,
        semantic: TextSimilarity | None = None,
    ) -> None:
        self.chunks = {c.id: c for c in chunks}
        self.bm25 = bm25
        self.dense = dense
        self.names = names
        self.config = config or FusionConfig()
        self.build_id = build_id
        self.semantic = semantic
        self._lease = lease
        self._pool_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        # One searcher reads one immutable build, so its results stay valid for its whole
        # life; a rebuild opens a new searcher with an empty cache (the build id is in the
        # key as well, should a caller swap builds under one object).
        self.cache: LruCache[tuple[Any, ...], tuple[Hit, ...]] = LruCache(cache_size)

    def similarity(self, query: str, texts: Sequence[str]) -> list[float]:
        """Meaning-level closeness of ``query`` to each text (zeros without an embedder);
        implements :class:`index.Similarity`."""
        if self.semantic is None:
            return [0.0] * len(texts)
        return self.semantic.similarity(normalize_text(query).strip(), texts)

    def analyze(self, query: str) -> QueryTargets:
        return self.names.analyze(query)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The ``k`` best chunks for ``query`` (empty for a blank query)."""
        query = normalize_text(query).strip()
        if not query or k <= 0:
            return []
        key = (self.build_id, query, k, filters)
        cached = self.cache.get(key)
        if cached is None:
            cached = tuple(self._search(query, k, filters))
            self.cache.put(key, cached)
        return list(cached)

    def clear_caches(self) -> None:
        """Forget cached results and query vectors (benchmarks time the cold path)."""
        self.cache.clear()
        if self.dense is not None:
            self.dense.clear_query_cache()

    def cache_stats(self) -> dict[str, dict[str, float]]:
        stats = {"search": self.cache.stats()}
        if self.dense is not None:
            stats["query_embedding"] = self.dense.query_cache.stats()
        return stats

    def _search(self, query: str, k: int, filters: SearchFilters | None) -> list[Hit]:
        # The query embedding (a C call that releases the GIL) runs while BM25 ranks.
        pending = self._pool().submit(self.dense.embed_query, query) if self.dense else None
        lists: dict[str, list[tuple[str, float]]] = {"bm25": self.bm25.rank(query, filters)}
        if self.dense is not None and pending is not None:
            lists["dense"] = self.dense.rank(query, filters, embedding=pending.result())
        scores = fuse(lists, self.config)
        targets = self.names.analyze(query)
        self._boost(scores, targets, filters)
        order = sorted(scores, key=lambda cid: (-scores[cid], cid))[:k]
        ranks = {
            name: {cid: i for i, (cid, _) in enumerate(ranked, start=1)}
            for name, ranked in lists.items()
        }
        return [
            Hit(
                chunk=self.chunks[cid],
                score=scores[cid],
                rank=i,
                ranks=tuple((name, r[cid]) for name, r in ranks.items() if cid in r),
            )
            for i, cid in enumerate(order, start=1)
        ]

    def _boost(
        self, scores: dict[str, float], targets: QueryTargets, filters: SearchFilters | None
    ) -> None:
        if not (targets.programmes or targets.articles or targets.ordinance):
            return
        cfg = self.config
        for chunk in self.chunks.values():
            if filters is not None and not filters.accepts(chunk):
                continue
            bonus = 0.0
            if chunk.programme is not None and chunk.programme in targets.programmes:
                bonus += cfg.name_boost * _recency(targets.programmes.index(chunk.programme))
            if chunk.kind == ChunkKind.ARTICLE:
                if chunk.article in targets.articles:
                    bonus += cfg.article_boost * _recency(targets.articles.index(chunk.article))
                elif targets.ordinance:
                    bonus += cfg.ordinance_boost
            if bonus:
                scores[chunk.id] = scores.get(chunk.id, 0.0) + bonus

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="embed")
            return self._executor

    def close(self) -> None:
        """Let the build this searcher reads be removed by a later rebuild."""
        with self._pool_lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        if self._lease is not None:
            self._lease.release()
            self._lease = None


def _recency(order: int) -> float:
    """Boost multiplier of the ``order``-th named target (later mentions rank higher)."""
    return 1.0 + 0.1 * order
