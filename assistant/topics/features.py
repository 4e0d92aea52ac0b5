"""The evidence the Topics stage weighs, one row of features per topic for a question.

A small, generic set: whether the question names the topic (the alias index and the
index's name matcher), how the hybrid search ranks the topic's chunks (summed reciprocal
ranks), how close the question is to the topic's profile in meaning (the searcher's
embedder) and in words (Sudachi BM25 over the profile). No cue words, no per-question rules:
how much each counts is learned (eval/train_topics.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.aliases import AliasIndex
from assistant.topics.models import Topic
from assistant.topics.profiles import SUMMARY_CHARS, TopicProfile, build_profiles
from index import Hit, NameIndex, Retriever, Similarity, SudachiTokenizer
from ingest import Chunk, ChunkKind, Corpus

__all__ = ["FEATURES", "SEARCH_DEPTH", "TopicFeatures"]

log = logging.getLogger(__name__)

FEATURES = (
    "alias",  # the alias index finds the programme in the question
    "named",  # the index's name matcher finds the programme or article
    "ordinance",  # an article, and the question is about the ordinance (条例, 第N条, a title)
    "hit_rr",  # summed reciprocal ranks of the topic's chunks among the search hits
    "hit_top",  # reciprocal rank of the topic's best chunk
    "hit_bm25",  # of those chunks, the best reciprocal rank in the searcher's BM25 list
    "hit_dense",  # … and in its dense list
    "dense",  # best cosine of the question with one of the topic's profile passages
    "dense_gap",  # that cosine minus the best topic's (0 for the closest topic)
    "bm25",  # log(1 + BM25 of the question over the topic's profile)
    "bm25_rel",  # BM25 over the best topic's BM25 (1 for the best topic)
    "article",  # the topic is an ordinance article
    "section",  # the topic is a report section
)
_COL = {name: j for j, name in enumerate(FEATURES)}
SEARCH_DEPTH = 30  # hits read per question: several chunks of one programme usually lead

Matrix = npt.NDArray[np.float64]


class TopicFeatures:
    """Feature rows for every topic of ``corpus`` (rows in :attr:`topics` order).

    ``searcher`` ranks chunks (its ``similarity``, when it offers one, compares the question
    with the profiles; without it the meaning features are 0)."""

    def __init__(
        self,
        corpus: Corpus,
        searcher: Retriever,
        *,
        aliases: AliasIndex | None = None,
        tokenizer: SudachiTokenizer | None = None,
        depth: int = SEARCH_DEPTH,
        summary_chars: int = SUMMARY_CHARS,
    ) -> None:
        self.searcher = searcher
        self.similarity = searcher if isinstance(searcher, Similarity) else None
        self.aliases = aliases or AliasIndex(corpus)
        self.names = NameIndex.from_corpus(corpus, corpus.chunks)
        self.tokenizer = tokenizer or SudachiTokenizer()
        self.depth = depth
        self.profiles: tuple[TopicProfile, ...] = build_profiles(
            corpus, self.aliases.aliases_of, summary_chars
        )
        self.topics: tuple[Topic, ...] = tuple(p.topic for p in self.profiles)
        self.passages = [text for p in self.profiles for text in p.passages]
        self._owner = np.array(
            [i for i, p in enumerate(self.profiles) for _ in p.passages], dtype=np.intp
        )
        self._programmes: dict[str, int] = {}
        for i, topic in enumerate(self.topics):
            if topic.kind == "programme":  # chunks name programmes by name, records by id
                self._programmes[topic.key] = i
                self._programmes.setdefault(topic.name, i)
        self._articles = {int(t.key): i for i, t in enumerate(self.topics) if t.kind == "article"}
        self._sections = {t.key: i for i, t in enumerate(self.topics) if t.kind == "section"}
        self._kinds = np.array([t.kind for t in self.topics])
        self._bm25: Any = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Tokenise the profiles and embed their passages (once per model: the embeddings
        go through the store's cache), so the first question pays nothing extra."""
        self._lexicon()
        if self.similarity is not None and self.passages:
            self.similarity.similarity(self.passages[0], self.passages)

    def compute(self, question: str, hits: Sequence[Hit] | None = None) -> Matrix:
        """One row of :data:`FEATURES` per topic (``hits``: the searcher's first
        :data:`SEARCH_DEPTH` hits for ``question`` when the caller has them already)."""
        x = np.zeros((len(self.topics), len(FEATURES)), dtype=np.float64)
        if not self.topics:
            return x
        self._named(question, x)
        self._hits(question, x, hits)
        dense = self._dense(question)
        x[:, _COL["dense"]] = dense
        x[:, _COL["dense_gap"]] = dense - dense.max()
        lexical = self._lexical(question)
        top = float(lexical.max())
        x[:, _COL["bm25"]] = np.log1p(lexical)
        x[:, _COL["bm25_rel"]] = lexical / top if top > 0 else 0.0
        x[:, _COL["article"]] = self._kinds == "article"
        x[:, _COL["section"]] = self._kinds == "section"
        return x

    def _named(self, question: str, x: Matrix) -> None:
        for pid in self.aliases.find(question):
            if pid in self._programmes:
                x[self._programmes[pid], _COL["alias"]] = 1.0
        targets = self.names.analyze(question)
        for name in targets.programmes:
            if name in self._programmes:
                x[self._programmes[name], _COL["named"]] = 1.0
        for number in targets.articles:
            if number in self._articles:
                x[self._articles[number], _COL["named"]] = 1.0
        if targets.ordinance:
            x[self._kinds == "article", _COL["ordinance"]] = 1.0

    def _hits(self, question: str, x: Matrix, hits: Sequence[Hit] | None) -> None:
        if hits is None:
            hits = self.searcher.search(question, self.depth)
        for hit in hits[: self.depth]:
            ranks = dict(hit.ranks)
            for i in self.topics_of(hit.chunk):
                x[i, _COL["hit_rr"]] += 1.0 / hit.rank
                x[i, _COL["hit_top"]] = max(x[i, _COL["hit_top"]], 1.0 / hit.rank)
                for name in ("bm25", "dense"):
                    if ranks.get(name):
                        column = _COL[f"hit_{name}"]
                        x[i, column] = max(x[i, column], 1.0 / ranks[name])

    def topics_of(self, chunk: Chunk) -> list[int]:
        """The topics a chunk belongs to: its programme, its article (an ordinance chunk:
        a programme's chunks carry the article the programme serves), its section key."""
        out = []
        if chunk.programme is not None and chunk.programme in self._programmes:
            out.append(self._programmes[chunk.programme])
        elif chunk.kind == ChunkKind.ARTICLE and chunk.article in self._articles:
            out.append(self._articles[chunk.article])
        if chunk.section is not None and chunk.section in self._sections:
            out.append(self._sections[chunk.section])
        return out

    def _dense(self, question: str) -> npt.NDArray[np.float64]:
        best = np.zeros(len(self.topics), dtype=np.float64)
        if self.similarity is None or not self.passages:
            return best
        cosines = np.asarray(self.similarity.similarity(question, self.passages), dtype=np.float64)
        best[:] = -1.0
        np.maximum.at(best, self._owner, cosines)
        return best

    def _lexical(self, question: str) -> npt.NDArray[np.float64]:
        words = [w for w in self.tokenizer.tokenize(question) if w.strip()]
        if not words or not self.topics:
            return np.zeros(len(self.topics), dtype=np.float64)
        return np.asarray(self._lexicon().get_scores(words), dtype=np.float64)

    def _lexicon(self) -> Any:
        with self._lock:
            if self._bm25 is None:
                self._bm25 = _fit_bm25(
                    [self.tokenizer.tokenize("\n".join(p.passages)) for p in self.profiles]
                )
            return self._bm25


def _fit_bm25(documents: Sequence[list[str]]) -> Any:
    import bm25s  # noqa: PLC0415 - lazy: heavy or optional

    # bm25s sets its own logger to DEBUG on import (see index/lexical.py): hand it back.
    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    model = bm25s.BM25()
    model.index([doc or ["∅"] for doc in documents], show_progress=False)
    log.debug("topic profiles indexed: %d documents", len(documents))
    return model
