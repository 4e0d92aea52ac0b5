"""Facts and Rank: the report's sentences a question reaches, typed, then scored by learned
weights (the answer is composed from the best of them)."""

from assistant.facts.answer import RankedComposer
from assistant.facts.features import FEATURES, FactFeatures, QuestionView
from assistant.facts.inventory import FactInventory
from assistant.facts.models import FactCandidate, FactRanking, RankedFact
from assistant.facts.ranker import FactRanker
from assistant.facts.records import RecordInventory
from assistant.facts.stage import FactFinder, FoundFacts
from assistant.facts.weights import DEFAULT_FACT_WEIGHTS, FactWeights, load_fact_weights

__all__ = [
    "DEFAULT_FACT_WEIGHTS",
    "FEATURES",
    "FactCandidate",
    "FactFeatures",
    "FactFinder",
    "FactInventory",
    "FactRanker",
    "FactRanking",
    "FactWeights",
    "FoundFacts",
    "QuestionView",
    "RankedComposer",
    "RankedFact",
    "RecordInventory",
    "load_fact_weights",
]
