"""The embedding cache: keyed by (model id, content hash), shared across builds and processes."""

from __future__ import annotations

import numpy as np

from index import HashEmbedder
from index.embed_cache import CachingEmbedder, EmbeddingCache


def test_cache_embeds_each_text_once(tmp_path):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    emb = HashEmbedder(32)
    first = cache.embed(emb, ["融資", "補助", "融資"])
    assert first.computed == 2 and first.vectors.shape == (3, 32)
    assert np.allclose(first.vectors[0], first.vectors[2])
    again = EmbeddingCache(tmp_path / "cache.sqlite").embed(emb, ["補助", "融資", "相談"])
    assert again.computed == 1
    assert np.allclose(again.vectors[0], first.vectors[1])
    assert np.allclose(again.vectors[2], emb.embed_documents(["相談"])[0])


def test_cache_is_per_model(tmp_path):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.embed(HashEmbedder(32), ["融資"])
    other = cache.embed(HashEmbedder(16), ["融資"])
    assert other.computed == 1 and other.vectors.shape == (1, 16)
    assert cache.embed(HashEmbedder(16), []).vectors.shape == (0, 16)


def test_caching_embedder_wraps_documents_only(tmp_path):
    inner = HashEmbedder(32)
    wrapped = CachingEmbedder(inner, EmbeddingCache(tmp_path / "c.sqlite"))
    assert wrapped.model_id == inner.model_id and wrapped.dim == 32
    assert np.allclose(wrapped.embed_documents(["a b"])[0], inner.embed_documents(["a b"])[0])
    assert np.allclose(wrapped.embed_query("q"), inner.embed_query("q"))
