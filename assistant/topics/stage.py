"""The Topics stage: the report's topics ranked for a question, with a calibrated confidence."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.aliases import AliasIndex
from assistant.learned import logistic
from assistant.topics.features import TopicFeatures
from assistant.topics.models import ScoredTopic
from assistant.topics.weights import TopicWeights, load_weights
from index import Hit, Retriever
from ingest import Corpus

__all__ = ["TopicStage"]


class TopicStage:
    """Scores every topic with the learned weights; implements :class:`TopicRanking`.

    The confidence is the logistic regression's probability that the topic is a source of
    the answer (fitted and checked for calibration by ``python -m eval.train_topics``)."""

    def __init__(self, features: TopicFeatures, weights: TopicWeights | None = None) -> None:
        self.features = features
        self.weights = weights if weights is not None else load_weights()

    @classmethod
    def for_corpus(
        cls,
        corpus: Corpus,
        searcher: Retriever,
        *,
        aliases: AliasIndex | None = None,
        weights: Path | str | TopicWeights | None = None,
    ) -> TopicStage:
        """A stage over ``corpus`` searching with ``searcher``; ``weights`` a file or the
        weights themselves (default: the bundled file). A bad file raises ConfigError at once,
        before anything is tokenised or embedded."""
        loaded = weights if isinstance(weights, TopicWeights) else load_weights(weights)
        return cls(TopicFeatures(corpus, searcher, aliases=aliases), loaded)

    def rank(self, question: str, hits: Sequence[Hit] | None = None) -> list[ScoredTopic]:
        """Every topic, most likely source first (ties in corpus order); ``hits``: the
        searcher's first hits for ``question`` when the caller has them already."""
        scores = self.weights.scores(self.features.compute(question, hits))
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [
            ScoredTopic(self.features.topics[i], float(scores[i]), logistic(float(scores[i])))
            for i in order
        ]
