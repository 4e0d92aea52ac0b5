"""Dense retrieval: llama-index VectorStoreIndex over a ChromaVectorStore.

Vectors are computed by us (with the embedding cache) and attached to the TextNodes, so
llama-index stores them as given; queries are embedded once by our adapter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from llama_index.core import StorageContext, VectorStoreIndex
from llama_index.core.schema import QueryBundle

from index.filters import to_metadata_filters
from index.llama_bridge import EmbedderAdapter, chunk_to_node
from index.models import Hit, SearchFilters
from ingest import Chunk, IndexBuildError

__all__ = ["DenseSearch", "fill_collection"]

log = logging.getLogger(__name__)

# Dense candidates passed to fusion: past rank 50 a dense vote adds < 0.5/(60+50) and
# fetching 100 rows through llama-index cost 10 ms vs 6 ms (gold-set quality unchanged).
_WIDE = 50
_RECENT_QUERIES = 256


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

    def __init__(self, chunks: Sequence[Chunk], collection: Any, adapter: EmbedderAdapter) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: PLC0415 - lazy: heavy or optional

        self.chunks = {c.id: c for c in chunks}
        self.adapter = adapter
        store = ChromaVectorStore(chroma_collection=collection)
        self._index = VectorStoreIndex.from_vector_store(store, embed_model=adapter)
        self._size = len(self.chunks)
        self._lock = threading.Lock()
        self._recent: dict[str, list[float]] = {}

    def embed_query(self, query: str) -> list[float]:
        """The query vector; recent ones are remembered (chat retries, eval variants)."""
        with self._lock:
            cached = self._recent.get(query)
        if cached is not None:
            return cached
        vector = self.adapter.get_query_embedding(query)
        with self._lock:
            self._recent[query] = vector
            while len(self._recent) > _RECENT_QUERIES:
                self._recent.pop(next(iter(self._recent)))
        return vector

    def clear_query_cache(self) -> None:
        with self._lock:
            self._recent.clear()

    def rank(
        self,
        query: str,
        filters: SearchFilters | None = None,
        embedding: list[float] | None = None,
        width: int = _WIDE,
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        if self._size == 0:
            return []
        retriever = self._index.as_retriever(
            similarity_top_k=min(width, self._size),
            filters=to_metadata_filters(filters) if filters else None,
        )
        bundle = QueryBundle(query_str=query, embedding=embedding or self.embed_query(query))
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
