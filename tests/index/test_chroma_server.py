"""Against a real `chroma run` server (CI starts one and sets SME_TEST_CHROMA_URL)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from core import Settings
from index import build_index, open_searcher

URL = os.environ.get("SME_TEST_CHROMA_URL")

pytestmark = pytest.mark.skipif(not URL, reason="set SME_TEST_CHROMA_URL=http://127.0.0.1:PORT")


def test_build_and_search_on_server(tmp_path, corpus):
    parsed = urlparse(URL or "")
    settings = Settings(
        store_dir=tmp_path / "store",
        embedder="hash",
        chroma_host=parsed.hostname,
        chroma_port=parsed.port or 8000,
    )
    stats = build_index(settings, corpus, progress=False)
    assert stats.remote and stats.embedded == len(corpus.chunks)
    searcher = open_searcher(settings, corpus, build_if_needed=False)
    try:
        hits = searcher.search("KOBSって何？", k=3)
        assert hits[0].chunk.programme == "海外展開支援事業"
        assert {name for name, _ in hits[0].ranks} == {"bm25", "dense"}
    finally:
        searcher.close()
    # a rebuild with changed content replaces the collection on the server
    again = build_index(settings, corpus, progress=False, force=True)
    assert again.build_id != stats.build_id and again.embedded == 0
    client = chromadb.HttpClient(
        host=settings.chroma_host,
        port=settings.chroma_port,
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    names = {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}
    assert any(n.endswith(again.build_id[:16]) for n in names)  # the live one
    assert not any(n.endswith(stats.build_id[:16]) for n in names)  # the old one is dropped
