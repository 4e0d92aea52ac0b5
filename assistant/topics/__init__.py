"""Topics: which programmes, ordinance articles and report sections a question is about."""

from assistant.topics.features import FEATURES, SEARCH_DEPTH, TopicFeatures
from assistant.topics.models import CERTAIN, SURE, ScoredTopic, Topic, TopicKind, TopicRanking
from assistant.topics.profiles import TopicProfile, build_profiles
from assistant.topics.stage import TopicStage
from assistant.topics.weights import DEFAULT_WEIGHTS, TopicWeights, load_weights

__all__ = [
    "CERTAIN",
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "SEARCH_DEPTH",
    "SURE",
    "ScoredTopic",
    "Topic",
    "TopicFeatures",
    "TopicKind",
    "TopicProfile",
    "TopicRanking",
    "TopicStage",
    "TopicWeights",
    "build_profiles",
    "load_weights",
]
