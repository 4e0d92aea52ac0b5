"""Acceptance thresholds (eval/thresholds.toml) and the check of a summary against them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import ConfigError

__all__ = ["DEFAULT_THRESHOLDS", "ThresholdMiss", "Thresholds", "load_thresholds"]

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


@dataclass(frozen=True, slots=True)
class ThresholdMiss:
    metric: str
    value: float | None
    bound: float
    kind: str  # "min" | "max"

    def __str__(self) -> str:
        op = "≥" if self.kind == "min" else "≤"
        shown = "n/a" if self.value is None else f"{self.value:.3f}"
        return f"{self.metric} = {shown}, needs {op} {self.bound:g}"


@dataclass(frozen=True, slots=True)
class Thresholds:
    minimum: dict[str, float]
    maximum: dict[str, float]

    def check(self, overall: dict[str, Any]) -> list[ThresholdMiss]:
        """Metrics that miss their bound; a metric with no value (no items) is not judged."""
        misses = []
        for kind, bounds in (("min", self.minimum), ("max", self.maximum)):
            for metric, bound in bounds.items():
                value = overall.get(metric)
                if value is None:
                    continue
                if (kind == "min" and value < bound) or (kind == "max" and value > bound):
                    misses.append(ThresholdMiss(metric, float(value), bound, kind))
        return misses


def load_thresholds(path: Path | str | None = None) -> Thresholds:
    """Read a thresholds TOML with ``[min]`` and ``[max]`` tables of metric → number."""
    path = Path(path) if path is not None else DEFAULT_THRESHOLDS
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"閾値ファイルを読めません / cannot read thresholds {path}: {exc}"
        ) from exc
    tables = {}
    for kind in ("min", "max"):
        table = data.get(kind, {})
        if not isinstance(table, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
        ):
            raise ConfigError(f"{path}: [{kind}] must map metric names to numbers")
        tables[kind] = {str(k): float(v) for k, v in table.items()}
    unknown = set(data) - {"min", "max"}
    if unknown:
        raise ConfigError(f"{path}: unknown tables {sorted(unknown)}")
    return Thresholds(tables["min"], tables["max"])
