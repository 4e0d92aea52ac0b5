"""The Rank stage: candidate facts scored by the learned weights, best first."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.facts.features import FactFeatures
from assistant.facts.models import FactCandidate, RankedFact
from assistant.facts.weights import FactWeights, load_fact_weights
from assistant.learned import logistic
from assistant.models import Intent

__all__ = ["FactRanker"]


class FactRanker:
    """Implements :class:`FactRanking` with a logistic regression over :data:`FEATURES`;
    a fact's confidence is the probability that it states the answer's key facts."""

    def __init__(self, features: FactFeatures, weights: FactWeights | None = None) -> None:
        self.features = features
        self.weights = weights if weights is not None else load_fact_weights()

    def rank(
        self,
        question: str,
        candidates: Sequence[FactCandidate],
        focus: str | None = None,
        intent: Intent | None = None,
        ask: str | None = None,
    ) -> list[RankedFact]:
        """``focus``: the latest turn of a follow-up whose ``question`` includes earlier ones;
        ``intent``: the question's, as the Understand stage read it; ``ask``: the latest
        turn as typed."""
        rows = self.features.compute(question, candidates, focus, intent, ask)
        scores = self.weights.scores(rows)
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        return [
            RankedFact(candidates[i], float(scores[i]), logistic(float(scores[i]))) for i in order
        ]
