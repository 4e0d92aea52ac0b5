"""A learned linear scorer's weights: the shape every fitted stage (topics, facts) reads.

Weights files are written by training scripts in ``eval/`` (fitted on the studied gold sets
only); the runtime only reads them. A file fitted on other features is refused at start.
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

from core import ConfigError

__all__ = ["FORMAT", "LinearWeights", "load_linear_weights", "logistic"]

FORMAT = 1


@dataclass(frozen=True, slots=True)
class LinearWeights:
    """Log-odds = ``intercept + Σ weight × feature``; probability = its logistic.

    A stage subclasses it with its own ``features`` as the default."""

    weights: tuple[float, ...]  # in ``features`` order
    intercept: float
    training: Mapping[str, Any] | None = None  # what the weights were fitted on (informative)
    features: tuple[str, ...] = ()

    def scores(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(rows @ np.asarray(self.weights) + self.intercept, dtype=np.float64)

    def as_json(self) -> str:
        """Stable text (sorted keys, rounded figures): refitting on the same data gives the
        same file."""
        body: dict[str, Any] = {
            "format": FORMAT,
            "intercept": round(self.intercept, 6),
            "weights": {f: round(w, 6) for f, w in zip(self.features, self.weights, strict=True)},
        }
        if self.training is not None:
            body["training"] = self.training
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_linear_weights(
    path: Path, features: Sequence[str], what: str, trainer: str
) -> tuple[tuple[float, ...], float, Mapping[str, Any] | None]:
    """Weights (in ``features`` order), intercept and training notes read from ``path``; a
    missing or malformed file, or one fitted on other features, is a :class:`ConfigError`
    naming it (``what``: the stage, in the message; ``trainer``: the command that writes it)."""

    def bad(reason: str) -> ConfigError:
        return ConfigError(f"{what}の重みファイルが不正です / bad weights {path}: {reason}")

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise bad(f"the file is missing (run `{trainer}`)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise bad(f"cannot read it: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad(f"expected a JSON object of format {FORMAT}")
    weights, intercept = data.get("weights"), data.get("intercept")
    if not isinstance(weights, dict) or not _finite([intercept, *weights.values()]):
        raise bad("weights and intercept must be finite numbers")
    if set(weights) != set(features):
        missing, unknown = set(features) - set(weights), set(weights) - set(features)
        raise bad(f"missing features {sorted(missing)}, unknown {sorted(unknown)}")
    training = data.get("training")
    return (
        tuple(float(weights[f]) for f in features),
        float(intercept),  # type: ignore[arg-type]  # checked finite above
        training if isinstance(training, dict) else None,
    )


def logistic(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)
    return e / (1.0 + e)


def _finite(values: Sequence[Any]) -> bool:
    return all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )
