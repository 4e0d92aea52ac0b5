"""Where our records meet llama-index: embedding adapter, nodes, and safe global settings.

llama-index nodes never leave the index package (house rule 3): chunks go in, chunk ids
come out.
"""

from __future__ import annotations

import threading
from typing import Any

from llama_index.core import Settings as LlamaSettings
from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.llms import MockLLM
from llama_index.core.schema import TextNode
from pydantic import PrivateAttr

from index.models import Embedder
from ingest import Chunk

__all__ = ["EmbedderAdapter", "chunk_metadata", "chunk_to_node", "configure_llama"]

_configure_lock = threading.Lock()


class EmbedderAdapter(BaseEmbedding):
    """Our :class:`Embedder` as a llama-index embedding model (query vs document prefixes kept)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_id, embed_batch_size=64, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "SmeEmbedderAdapter"

    def _get_query_embedding(self, query: str) -> Embedding:
        return [float(x) for x in self._embedder.embed_query(query)]

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Embedding:
        return [float(x) for x in self._embedder.embed_documents([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return [[float(x) for x in row] for row in self._embedder.embed_documents(texts)]


def configure_llama(embedder: Embedder) -> EmbedderAdapter:
    """Point llama-index's globals at our embedder and a mock LLM (never a hosted API)."""
    adapter = EmbedderAdapter(embedder)
    with _configure_lock:
        # Keep an LLM someone configured on purpose (the assistant's); replace only the unset
        # default, which would otherwise resolve to a hosted API.
        if getattr(LlamaSettings, "_llm", None) is None:
            LlamaSettings.llm = MockLLM()
        LlamaSettings.embed_model = adapter
    return adapter


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    """Flat metadata Chroma can store and filter on (no None, no lists)."""
    meta: dict[str, str | int | float | bool] = {
        "kind": str(chunk.kind),
        "line_first": chunk.lines.first,
        "line_last": chunk.lines.last,
        "fiscal_years": ",".join(str(y) for y in chunk.fiscal_years),
    }
    for key, value in (
        ("page", chunk.page),
        ("programme", chunk.programme),
        ("article", chunk.article),
        ("section", chunk.section),
        ("title", chunk.title),
    ):
        if value is not None:
            meta[key] = value
    for year in chunk.fiscal_years:
        meta[f"fy{year}"] = 1
    return meta


def chunk_to_node(chunk: Chunk, text: str | None = None) -> TextNode:
    """A TextNode whose id is the chunk id; metadata is kept out of the embedded text."""
    meta = chunk_metadata(chunk)
    return TextNode(
        id_=chunk.id,
        text=chunk.text if text is None else text,
        metadata=meta,
        excluded_embed_metadata_keys=list(meta),
        excluded_llm_metadata_keys=list(meta),
    )
