"""The learned weights of the Topics stage: a logistic regression over :data:`FEATURES`.

They live in ``weights.json`` beside this module, written by ``python -m eval.train_topics``
(which fits them on the studied gold sets); the runtime only reads them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.topics.features import FEATURES
from core import ConfigError

__all__ = ["DEFAULT_WEIGHTS", "FORMAT", "TopicWeights", "load_weights"]

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class TopicWeights:
    """Log-odds = ``intercept + Σ weight × feature``; probability = its logistic."""

    weights: tuple[float, ...]  # in FEATURES order
    intercept: float
    training: Mapping[str, Any] | None = None  # what the weights were fitted on (informative)

    def scores(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(rows @ np.asarray(self.weights) + self.intercept, dtype=np.float64)

    def as_json(self) -> str:
        """Stable text (sorted keys, rounded figures): refitting on the same data gives the
        same file."""
        body: dict[str, Any] = {
            "format": FORMAT,
            "intercept": round(self.intercept, 6),
            "weights": {f: round(w, 6) for f, w in zip(FEATURES, self.weights, strict=True)},
        }
        if self.training is not None:
            body["training"] = self.training
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_weights(path: Path | str | None = None) -> TopicWeights:
    """The weights in ``path`` (default: the bundled file); a missing or malformed file, or
    one fitted on other features, is a :class:`ConfigError` naming it."""
    path = Path(path) if path is not None else DEFAULT_WEIGHTS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _bad(path, "the file is missing (run `python -m eval.train_topics`)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _bad(path, f"cannot read it: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, f"expected a JSON object of format {FORMAT}")
    weights, intercept = data.get("weights"), data.get("intercept")
    if not isinstance(weights, dict) or not _finite([intercept, *weights.values()]):
        raise _bad(path, "weights and intercept must be finite numbers")
    if set(weights) != set(FEATURES):
        missing, unknown = set(FEATURES) - set(weights), set(weights) - set(FEATURES)
        raise _bad(path, f"missing features {sorted(missing)}, unknown {sorted(unknown)}")
    training = data.get("training")
    return TopicWeights(
        tuple(float(weights[f]) for f in FEATURES),
        float(intercept),  # type: ignore[arg-type]  # checked finite above
        training if isinstance(training, dict) else None,
    )


def _finite(values: Sequence[Any]) -> bool:
    return all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )


def _bad(path: Path, reason: str) -> ConfigError:
    return ConfigError(f"話題の重みファイルが不正です / bad topic weights {path}: {reason}")
