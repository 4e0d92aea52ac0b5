"""Lexical retrieval: llama-index's BM25Retriever (bm25s) over Sudachi tokens.

The retriever is fed pre-tokenised text (tokens joined by spaces, ``\\S+`` as token pattern,
no stemming, no English stop words), so BM25 sees exactly our Japanese tokens.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np
from llama_index.core.schema import BaseNode

from index.llama_bridge import chunk_to_node
from index.models import Hit, SearchFilters
from index.sudachi_tokens import SudachiTokenizer
from ingest import Chunk

__all__ = ["BM25Search"]

log = logging.getLogger(__name__)

_TOKEN_PATTERN = r"\S+"
_WORDS = re.compile(_TOKEN_PATTERN)
_WIDE = 200  # candidates returned for fusion


class BM25Search:
    """BM25 over Sudachi tokens through llama-index; implements :class:`index.Retriever`."""

    name = "bm25"

    def __init__(
        self,
        chunks: Sequence[Chunk],
        tokenizer: SudachiTokenizer,
        tokens: dict[str, list[str]] | None = None,
    ) -> None:
        from llama_index.retrievers.bm25 import BM25Retriever  # noqa: PLC0415 - lazy: heavy or optional

        # bm25s sets its own logger to DEBUG on import, which prints a line on every build
        # whatever the entry point configured; hand the level back to the application.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        self.tokenizer = tokenizer
        self.chunks = {c.id: c for c in chunks}
        self.tokens = tokens if tokens is not None else tokenize_chunks(chunks, tokenizer)
        nodes: list[BaseNode] = [
            chunk_to_node(c, " ".join(self.tokens[c.id]) or "∅") for c in chunks
        ]
        self._size = len(nodes)
        self._retriever = BM25Retriever(
            nodes=nodes,
            similarity_top_k=min(_WIDE, self._size),
            skip_stemming=True,
            token_pattern=_TOKEN_PATTERN,
            language=None,  # type: ignore[arg-type]  # no English stop words
        )
        self._ids = [node.node_id for node in nodes]  # bm25s document index → chunk id

    def rank(self, query: str, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) for chunks sharing a token with the query, best first.

        Scores every chunk with the fitted bm25s model directly: the retriever's own
        ``retrieve`` would rebuild up to 200 llama-index nodes from JSON per query (most of
        its cost), while scoring a few hundred chunks takes well under a millisecond."""
        tokens = self.tokenizer.tokenize(query)
        # As the retriever's own query tokenizer does: lower case, split on whitespace.
        words = _WORDS.findall(" ".join(tokens).lower())
        if not words:
            return []
        scores = self._retriever.bm25.get_scores(words)
        out: list[tuple[str, float]] = []
        for i in np.argsort(-scores, kind="stable"):
            score = float(scores[i])
            if score <= 0 or len(out) >= _WIDE:
                break
            cid = self._ids[i]
            if filters is None or filters.accepts(self.chunks[cid]):
                out.append((cid, score))
        return out

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        ranked = self.rank(query, filters)[:k]
        return [
            Hit(chunk=self.chunks[cid], score=score, rank=i, ranks=((self.name, i),))
            for i, (cid, score) in enumerate(ranked, start=1)
        ]


def tokenize_chunks(chunks: Sequence[Chunk], tokenizer: SudachiTokenizer) -> dict[str, list[str]]:
    """BM25 tokens of each chunk: its title (context label) and text."""
    return {c.id: tokenizer.tokenize(_lexical_text(c)) for c in chunks}


def _lexical_text(chunk: Chunk) -> str:
    parts = [chunk.title or "", chunk.programme or "", chunk.text]
    seen: list[str] = []
    for part in parts:
        if part and not any(part in s for s in seen):
            seen.append(part)
    return "\n".join(seen)
