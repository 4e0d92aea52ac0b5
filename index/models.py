"""What the index stage hands to the assistant: typed search hits and their contracts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ingest import Chunk, ChunkKind

__all__ = ["Embedder", "Hit", "Retriever", "SearchFilters", "Similarity"]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Metadata restrictions; None means no restriction."""

    kinds: tuple[ChunkKind, ...] | None = None
    programme: str | None = None
    article: int | None = None
    fiscal_year: int | None = None  # western year, e.g. 2016

    def accepts(self, chunk: Chunk) -> bool:
        if self.kinds is not None and chunk.kind not in self.kinds:
            return False
        if self.programme is not None and chunk.programme != self.programme:
            return False
        if self.article is not None and chunk.article != self.article:
            return False
        return self.fiscal_year is None or self.fiscal_year in chunk.fiscal_years


@dataclass(frozen=True, slots=True)
class Hit:
    """A chunk found for a query, with its fused score and each retriever's rank."""

    chunk: Chunk
    score: float
    rank: int  # 1-based
    ranks: tuple[tuple[str, int], ...] = field(default=())  # (retriever name, 1-based rank)


class Retriever(Protocol):
    """Anything that ranks chunks for a query."""

    name: str

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]: ...


@runtime_checkable
class Similarity(Protocol):
    """Scores how close in meaning a query is to each of some texts (cosine, -1..1)."""

    def similarity(self, query: str, texts: Sequence[str]) -> list[float]: ...


class Embedder(Protocol):
    """Dense text embedder; vectors are L2-normalised float32 rows."""

    model_id: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def embed_query(self, text: str) -> npt.NDArray[np.float32]: ...
