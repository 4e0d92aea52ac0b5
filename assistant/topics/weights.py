"""The learned weights of the Topics stage: a logistic regression over :data:`FEATURES`.

They live in ``weights.json`` beside this module, written by ``python -m eval.train_topics``
(which fits them on the studied gold sets); the runtime only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.learned import FORMAT, LinearWeights, load_linear_weights
from assistant.topics.features import FEATURES

__all__ = ["DEFAULT_WEIGHTS", "FORMAT", "TopicWeights", "load_weights"]

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"


@dataclass(frozen=True, slots=True)
class TopicWeights(LinearWeights):
    """The Topics stage's weights (in :data:`FEATURES` order)."""

    features: tuple[str, ...] = FEATURES


def load_weights(path: Path | str | None = None) -> TopicWeights:
    """The weights in ``path`` (default: the bundled file); a missing or malformed file, or
    one fitted on other features, is a :class:`ConfigError` naming it."""
    path = Path(path) if path is not None else DEFAULT_WEIGHTS
    weights, intercept, training = load_linear_weights(
        path, FEATURES, "話題", "python -m eval.train_topics"
    )
    return TopicWeights(weights, intercept, training)
