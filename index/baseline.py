"""llama-index out of the box, as a baseline for the retrieval benchmark (eval/).

Lives in ``index/`` because llama-index objects stay inside this package (house rule 3);
callers get plain ``search(query, k) -> list[Chunk]`` functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.retrievers.bm25 import BM25Retriever

from core import Settings
from index.embed_cache import CachingEmbedder, EmbeddingCache
from index.embedders import make_embedder
from index.llama_bridge import configure_llama
from ingest import Chunk, Corpus

__all__ = ["ChunkSearch", "llama_default_baseline"]

ChunkSearch = Callable[[str, int], list[Chunk]]
K = 10


def llama_default_baseline(corpus: Corpus, settings: Settings) -> dict[str, ChunkSearch]:
    """llama-index out of the box: SentenceSplitter + VectorStoreIndex + default BM25Retriever.

    Documents are our chunks (so the units and their metadata are comparable); everything
    else — splitting, English-regex BM25 tokenisation, the fusion retriever — is llama-index's
    default. Only the embedding model is shared with our dense retriever.
    """
    cache = EmbeddingCache(settings.store / "embed_cache.sqlite")  # same vectors, embedded once
    adapter = configure_llama(CachingEmbedder(make_embedder(settings.embedder), cache))
    by_id = {c.id: c for c in corpus.chunks}
    docs = [
        Document(
            text=c.text,
            metadata={"chunk_id": c.id},
            excluded_embed_metadata_keys=["chunk_id"],  # bookkeeping only: not embedded
            excluded_llm_metadata_keys=["chunk_id"],
        )
        for c in corpus.chunks
    ]
    nodes = SentenceSplitter().get_nodes_from_documents(docs)
    vector_index = VectorStoreIndex(nodes, embed_model=adapter)

    def to_chunks(found: Sequence[Any], k: int) -> list[Chunk]:
        out: list[Chunk] = []
        for item in found:
            chunk = by_id[item.node.metadata["chunk_id"]]
            if chunk not in out:
                out.append(chunk)
        return out[:k]

    def vector(query: str, k: int) -> list[Chunk]:
        return to_chunks(vector_index.as_retriever(similarity_top_k=k).retrieve(query), k)

    bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=K)

    def lexical(query: str, k: int) -> list[Chunk]:
        return to_chunks(bm25.retrieve(query), k)

    fusion = QueryFusionRetriever(
        [vector_index.as_retriever(similarity_top_k=K), bm25],
        similarity_top_k=K,
        num_queries=1,
        mode="reciprocal_rerank",  # type: ignore[arg-type]
        use_async=False,
    )

    def fused(query: str, k: int) -> list[Chunk]:
        return to_chunks(fusion.retrieve(query), k)

    return {"llamaindex-vector": vector, "llamaindex-bm25": lexical, "llamaindex-fusion": fused}
