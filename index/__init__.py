"""Index: hybrid Japanese search (Sudachi BM25 + dense vectors in Chroma) via llama-index."""

from index.models import Embedder, Hit, Retriever, SearchFilters

__all__ = ["Embedder", "Hit", "Retriever", "SearchFilters"]
