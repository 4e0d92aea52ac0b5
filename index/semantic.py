"""Meaning-level similarity of a question to a few given texts, with the index's embedder.

The assistant uses it where words alone mislead: a casual question about the ordinance
(「お互いに協力しようって書いてある?」) shares few words with the provision that answers it
(「相互の連携が促進されること」). Document vectors go through the store's persistent
embedding cache, so a provision is embedded once per model; the query vector is the one the
dense search computed (and cached) for the same question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from index.embed_cache import CachingEmbedder, EmbeddingCache
from index.models import Embedder

__all__ = ["TextSimilarity"]

Vector = npt.NDArray[np.float32]


class TextSimilarity:
    """Cosine similarity between a query and texts; implements :class:`index.Similarity`."""

    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        query_vector: Callable[[str], Sequence[float]] | None = None,
    ) -> None:
        self.documents: Embedder = CachingEmbedder(embedder, cache) if cache else embedder
        self.query_vector = query_vector or (lambda q: embedder.embed_query(q).reshape(-1).tolist())
        self._vectors: dict[str, Vector] = {}  # text → unit row, for the searcher's life
        self._lock = threading.Lock()

    def similarity(self, query: str, texts: Sequence[str]) -> list[float]:
        """Cosine of ``query`` with each text (order kept); empty texts score 0."""
        if not texts:
            return []
        rows = self._rows(texts)
        q = np.asarray(self.query_vector(query), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(q)) or 1.0
        return [float(v) for v in rows @ (q / norm)]

    def _rows(self, texts: Sequence[str]) -> Vector:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if missing:
                vectors = self.documents.embed_documents(missing)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                for text, row in zip(
                    missing, vectors / np.where(norms == 0, 1.0, norms), strict=True
                ):
                    self._vectors[text] = row.astype(np.float32)
            return np.stack([self._vectors[t] for t in texts])
