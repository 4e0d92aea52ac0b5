"""Dense retrieval: llama-index VectorStoreIndex over a ChromaVectorStore.

Vectors are computed by us (with the embedding cache) and attached to the TextNodes, so
llama-index stores them as given; queries are embedded once by our adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from llama_index.core import StorageContext, VectorStoreIndex
from llama_index.core.schema import QueryBundle

from core import IndexBuildError
from index.caching import LruCache
from index.filters import to_metadata_filters
from index.llama_bridge import EmbedderAdapter, chunk_to_node
from index.models import Hit, SearchFilters
from ingest import Chunk

__all__ = ["QUERY_EMBED_CHARS", "DenseSearch", "fill_collection"]

log = logging.getLogger(__name__)

# Dense candidates passed to fusion: past rank 50 a dense vote adds < 0.5/(60+50) and
# fetching 100 rows through llama-index cost 10 ms vs 6 ms (gold-set quality unchanged).
_WIDE = 50
_RECENT_QUERIES = 256
# Up to this many vectors, ranking is an exact dot product over a matrix read once from
# the collection: for ~500 chunks it takes ~0.2 ms where a llama-index/Chroma round trip
# took 6-12 ms, and it returns the true nearest rows (HNSW's are approximate). Larger
# collections keep querying Chroma through llama-index.
EXACT_MAX_ROWS = 20_000
# A query's meaning is read from its opening characters: embedding time grows with length
# (e5-small on one core: 40 ms at 30 characters, 0.3 s at 200, 2 s at 1,000, under the
# embedder's lock, so one long question held up every other), and real questions are short
# (the longest of the evaluation sets has 67 characters). BM25 still reads all of it.
QUERY_EMBED_CHARS = 200


def fill_collection(
    collection: Any, chunks: Sequence[Chunk], vectors: npt.NDArray[np.float32]
) -> None:
    """Write chunks + their precomputed vectors into a Chroma collection via llama-index."""
    from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: PLC0415 - lazy: heavy or optional

    nodes = []
    for chunk, vector in zip(chunks, vectors, strict=True):
        node = chunk_to_node(chunk)
        node.embedding = [float(x) for x in vector]
        nodes.append(node)
    store = ChromaVectorStore(chroma_collection=collection)
    context = StorageContext.from_defaults(vector_store=store)
    # embed_model is given explicitly; nodes carry embeddings so nothing is re-embedded.
    VectorStoreIndex(nodes, storage_context=context, embed_model=_NoEmbed(), show_progress=False)


class DenseSearch:
    """Nearest chunks by cosine similarity; implements :class:`index.Retriever`."""

    name = "dense"

    def __init__(
        self,
        chunks: Sequence[Chunk],
        collection: Any,
        adapter: EmbedderAdapter,
        query_cache_size: int = _RECENT_QUERIES,
        exact_max_rows: int | None = None,
    ) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: PLC0415 - lazy: heavy or optional

        self.chunks = {c.id: c for c in chunks}
        self.adapter = adapter
        store = ChromaVectorStore(chroma_collection=collection)
        self._index = VectorStoreIndex.from_vector_store(store, embed_model=adapter)
        self._size = len(self.chunks)
        # Query vectors depend only on the text and the embedder (fixed for this object).
        self.query_cache: LruCache[str, list[float]] = LruCache(query_cache_size)
        self._ids: list[str] = []
        self._matrix: npt.NDArray[np.float32] | None = None
        limit = EXACT_MAX_ROWS if exact_max_rows is None else exact_max_rows
        if 0 < self._size <= limit:
            self._load_matrix(collection)

    @property
    def exact(self) -> bool:
        """Whether queries are ranked in memory (exact) rather than through Chroma."""
        return self._matrix is not None

    def _load_matrix(self, collection: Any) -> None:
        try:
            stored = collection.get(include=["embeddings"])
        except Exception as exc:  # chromadb errors are untyped; Chroma queries still work
            log.warning("vectors not loaded for exact search (%s); querying Chroma", exc)
            return
        ids = [i for i in stored["ids"] if i in self.chunks]
        if not ids:
            return
        rows = {i: v for i, v in zip(stored["ids"], stored["embeddings"], strict=True)}
        matrix = np.asarray([rows[i] for i in ids], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        # Unit rows: a dot product is the cosine similarity the collection ranks by.
        self._matrix = (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        self._ids = ids

    def embed_query(self, query: str) -> list[float]:
        """The vector of the query's opening :data:`QUERY_EMBED_CHARS` characters; recent
        ones are remembered (chat retries, eval variants)."""
        opening = query[:QUERY_EMBED_CHARS]
        return self.query_cache.get_or_compute(
            opening, lambda: self.adapter.get_query_embedding(opening)
        )

    def clear_query_cache(self) -> None:
        self.query_cache.clear()

    def rank(
        self,
        query: str,
        filters: SearchFilters | None = None,
        embedding: list[float] | None = None,
        width: int = _WIDE,
    ) -> list[tuple[str, float]]:
        """(chunk id, exp(-cosine distance)), best first (llama-index's Chroma scale)."""
        if self._size == 0:
            return []
        vector = embedding or self.embed_query(query)
        if self._matrix is not None:
            return self._rank_exact(vector, filters, width)
        retriever = self._index.as_retriever(
            similarity_top_k=min(width, self._size),
            filters=to_metadata_filters(filters) if filters else None,
        )
        bundle = QueryBundle(query_str=query, embedding=vector)
        try:
            found = retriever.retrieve(bundle)
        except Exception as exc:  # chromadb errors are untyped
            raise IndexBuildError(f"vector search failed: {exc}") from exc
        out = []
        for item in found:
            chunk = self.chunks.get(item.node.node_id)
            if chunk is None or (filters is not None and not filters.accepts(chunk)):
                continue
            out.append((chunk.id, float(item.score or 0.0)))
        return out

    def _rank_exact(
        self, vector: list[float], filters: SearchFilters | None, width: int
    ) -> list[tuple[str, float]]:
        assert self._matrix is not None
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query)) or 1.0
        scores = self._matrix @ (query / norm)
        if filters is not None:
            allowed = np.fromiter(
                (filters.accepts(self.chunks[i]) for i in self._ids),
                dtype=bool,
                count=len(self._ids),
            )
            scores = np.where(allowed, scores, -np.inf)
        count = min(width, int(np.isfinite(scores).sum()))
        if count <= 0:
            return []
        top = np.argpartition(-scores, count - 1)[:count]
        # Ties broken by chunk id so the order is reproducible.
        order = sorted(top.tolist(), key=lambda j: (-float(scores[j]), self._ids[j]))
        # Same scale as llama-index's Chroma results: exp(-cosine distance).
        return [(self._ids[j], float(np.exp(float(scores[j]) - 1.0))) for j in order]

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        ranked = self.rank(query, filters)[:k]
        return [
            Hit(chunk=self.chunks[cid], score=score, rank=i, ranks=((self.name, i),))
            for i, (cid, score) in enumerate(ranked, start=1)
        ]


class _NoEmbed(EmbedderAdapter):
    """Build-time stand-in: every node already has its vector, so embedding here is a bug."""

    def __init__(self) -> None:
        from index.embedders import HashEmbedder  # noqa: PLC0415 - lazy: heavy or optional

        super().__init__(HashEmbedder(8))

    def _get_text_embedding(self, text: str) -> list[float]:
        raise IndexBuildError("a node reached the index without its precomputed vector")

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        raise IndexBuildError("a node reached the index without its precomputed vector")
