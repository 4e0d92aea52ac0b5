"""TextSimilarity: cosine of a query to given texts, document vectors embedded once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index import HashEmbedder, HybridSearcher, Similarity, TextSimilarity
from index.embed_cache import EmbeddingCache


class _Counting(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.documents = 0

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.documents += len(texts)
        return super().embed_documents(texts)


def test_closest_text_scores_highest(tmp_path: Path) -> None:
    similarity = TextSimilarity(HashEmbedder(64), EmbeddingCache(tmp_path / "cache.sqlite"))
    assert isinstance(similarity, Similarity)
    texts = ["市民の相互の連携が促進されること。", "創業しやすい環境の整備", ""]
    scores = similarity.similarity("相互の連携が促進される", texts)
    assert len(scores) == 3 and scores[0] == max(scores) and scores[0] > scores[1]
    assert similarity.similarity("連携", []) == []


def test_documents_are_embedded_once(tmp_path: Path) -> None:
    embedder = _Counting()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = ["金融機関の役割", "大学等の役割"]
    TextSimilarity(embedder, cache).similarity("銀行", texts)
    TextSimilarity(embedder, cache).similarity("大学", texts)  # a new searcher: from the cache
    same = TextSimilarity(embedder, None)
    same.similarity("銀行", texts)
    same.similarity("大学", texts)  # the same searcher: from memory
    assert embedder.documents == 4


def test_an_opened_searcher_offers_similarity(searcher: HybridSearcher) -> None:
    assert isinstance(searcher, Similarity)
    scores = searcher.similarity("融資の利率", ["融資の利率は年1.3%以内", "展示会の出展"])
    assert scores[0] > scores[1]
