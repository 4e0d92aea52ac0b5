"""Topics → Facts → Rank for one question: one search feeds the topic ranking, the
candidate facts and the ranking of those facts."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.aliases import AliasIndex
from assistant.corpus_terms import CorpusTerms
from assistant.facts.features import FactFeatures
from assistant.facts.inventory import FactInventory
from assistant.facts.models import FactCandidate, RankedFact
from assistant.facts.ranker import FactRanker
from assistant.facts.records import RecordInventory
from assistant.facts.weights import FactWeights
from assistant.models import Intent
from assistant.records import RecordFacts
from assistant.topics import SEARCH_DEPTH, ScoredTopic, TopicStage
from assistant.words import ContentWords
from index import Hit, Retriever, Similarity
from ingest import Corpus

__all__ = ["FactFinder", "FoundFacts"]


@dataclass(frozen=True, slots=True)
class FoundFacts:
    """What the stages found for a question: its search hits (deepest first read), its
    topics and its candidate facts, best first."""

    hits: tuple[Hit, ...]
    topics: tuple[ScoredTopic, ...]
    ranked: tuple[RankedFact, ...]


class FactFinder:
    """Runs the Topics, Facts and Rank stages for a question."""

    def __init__(
        self,
        corpus: Corpus,
        searcher: Retriever,
        terms: CorpusTerms,
        records: RecordFacts,
        *,
        words: ContentWords,
        aliases: AliasIndex,
        weights: FactWeights | None = None,
    ) -> None:
        self.corpus = corpus
        self.searcher = searcher
        self.aliases = aliases
        self.inventory = FactInventory(corpus, terms, RecordInventory(records))
        self.features = FactFeatures(
            words,
            searcher if isinstance(searcher, Similarity) else None,
            terms.city_words,
            [c.text for c in corpus.chunks],
        )
        self.ranker = FactRanker(self.features, weights)
        self._topics: TopicStage | None = None  # built on first use (tokenises the profiles)
        self._lock = threading.Lock()

    @property
    def topics(self) -> TopicStage:
        with self._lock:
            if self._topics is None:
                self._topics = TopicStage.for_corpus(
                    self.corpus, self.searcher, aliases=self.aliases
                )
            return self._topics

    def warm(self) -> None:
        """Build the Topics stage and embed its profiles now rather than on the first question."""
        self.topics.features.warm()

    def search(self, text: str) -> list[Hit]:
        return self.searcher.search(text, SEARCH_DEPTH)

    def candidates(
        self, text: str, hits: Sequence[Hit] | None = None
    ) -> tuple[list[ScoredTopic], list[FactCandidate]]:
        hits = self.search(text) if hits is None else hits
        topics = self.topics.rank(text, hits)
        return topics, self.inventory.collect(topics, hits)

    def find(
        self,
        text: str,
        focus: str | None = None,
        intent: Intent | None = None,
        ask: str | None = None,
    ) -> FoundFacts:
        """``text``: the question (with the earlier turns of a follow-up); ``focus``: the
        latest turn when ``text`` holds earlier ones; ``intent``: the question's; ``ask``:
        the latest turn as typed (its last clause is the ask)."""
        hits = self.search(text)
        topics, candidates = self.candidates(text, hits)
        ranked = self.ranker.rank(text, candidates, focus, intent, ask)
        return FoundFacts(tuple(hits), tuple(topics), tuple(ranked))
