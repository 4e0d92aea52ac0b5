"""The learned weights of the Rank stage: a logistic regression over :data:`FEATURES`.

They live in ``weights.json`` beside this module, written by ``python -m eval.train_facts``
(fitted on the studied gold sets only); the runtime only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.facts.features import FEATURES
from assistant.learned import LinearWeights, load_linear_weights

__all__ = ["DEFAULT_FACT_WEIGHTS", "FactWeights", "load_fact_weights"]

DEFAULT_FACT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"


@dataclass(frozen=True, slots=True)
class FactWeights(LinearWeights):
    """The Rank stage's weights (in :data:`FEATURES` order)."""

    features: tuple[str, ...] = FEATURES


def load_fact_weights(path: Path | str | None = None) -> FactWeights:
    """The weights in ``path`` (default: the bundled file); a missing or malformed file, or
    one fitted on other features, is a :class:`ConfigError` naming it."""
    path = Path(path) if path is not None else DEFAULT_FACT_WEIGHTS
    weights, intercept, training = load_linear_weights(
        path, FEATURES, "事実の順位付け", "python -m eval.train_facts"
    )
    return FactWeights(weights, intercept, training)
