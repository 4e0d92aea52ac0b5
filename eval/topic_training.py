"""Fitting and checking the Topics stage's logistic regression (used by eval.train_topics).

One :class:`Example` per gold item: a feature row per topic of the report and whether that
topic is one of the item's gold sources. Folds split items (never one item's rows), in a
fixed order, so every figure and the fitted weights are reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from assistant.topics import ScoredTopic, Topic, TopicWeights
from eval.gold_schema import GoldItem
from eval.linear_training import out_of_fold
from eval.stage_metrics import TOPIC_KS, topic_of, topic_scores, topics_from_units

__all__ = [
    "Example",
    "calibration",
    "cross_validate",
    "fit",
    "make_example",
    "ranked_topics",
    "topic_figures",
]

Matrix = npt.NDArray[np.float64]
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)  # reliability of the top topic's confidence


@dataclass(frozen=True, slots=True)
class Example:
    """One gold item's candidates: a feature row and a gold flag per topic."""

    item: GoldItem
    group: str  # the gold set it comes from
    topics: tuple[Topic, ...]
    rows: Matrix
    labels: npt.NDArray[np.bool_]
    baseline: tuple[tuple[str, str], ...] = ()  # topics read off the search hits, for comparison


def make_example(
    item: GoldItem,
    group: str,
    topics: Sequence[Topic],
    rows: Matrix,
    baseline: Sequence[tuple[str, str]] = (),
) -> Example:
    """Labels each topic by the item's sources, matched as the evaluation matches them."""
    wanted = {t for t in (topic_of(s) for s in item.sources) if t is not None}
    labels = np.array(
        [topic_of(ScoredTopic(t, 0.0, 0.0)) in wanted for t in topics], dtype=np.bool_
    )
    return Example(item, group, tuple(topics), rows, labels, tuple(baseline))


def fit(examples: Sequence[Example], c: float = 1.0) -> TopicWeights:
    """Logistic regression on standardised features, returned on the raw features' scale."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - lazy: training only

    x = np.vstack([e.rows for e in examples])
    y = np.concatenate([e.labels for e in examples])
    if y.all() or not y.any():
        raise ValueError("training needs both gold and non-gold topics")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-8)
    model.fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    return TopicWeights(tuple(float(w) for w in coef), intercept)


def cross_validate(
    examples: Sequence[Example], folds: int = 5, c: float = 1.0
) -> list[npt.NDArray[np.float64]]:
    """Out-of-fold log-odds per example: each item scored by weights fitted without it."""
    return out_of_fold(examples, folds, lambda train: fit(train, c))


def ranked_topics(example: Example, scores: npt.NDArray[np.float64]) -> list[tuple[str, str]]:
    """The example's topics by descending score, as the evaluation names them."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return topics_from_units(ScoredTopic(example.topics[i], 0.0, 0.0) for i in order)


def topic_figures(
    examples: Sequence[Example],
    ranking: Callable[[int, Example], Sequence[tuple[str, str]]],
) -> dict[str, dict[str, float | int]]:
    """topic@k per gold set and overall, for all items and for casual (colloquial) ones."""
    groups = {"all sets": list(range(len(examples)))}
    for i, e in enumerate(examples):
        groups.setdefault(e.group, []).append(i)
    out: dict[str, dict[str, float | int]] = {}
    for name, members in groups.items():
        hits = {i: topic_scores(ranking(i, examples[i]), examples[i].item.sources) for i in members}
        casual = [i for i in members if examples[i].item.style == "colloquial"]
        row: dict[str, float | int] = {"items": len(members), "casual": len(casual)}
        for k in TOPIC_KS:
            row[f"topic@{k}"] = _mean(hits[i][f"topic@{k}"] for i in members)
            row[f"casual topic@{k}"] = _mean(hits[i][f"topic@{k}"] for i in casual)
        out[name] = row
    return out


def calibration(
    examples: Sequence[Example], scores: Sequence[npt.NDArray[np.float64]]
) -> dict[str, object]:
    """Brier score over every candidate and over each item's top topic, and the top topic's
    reliability: per confidence bin, items, mean confidence and share actually gold."""
    probs = [1.0 / (1.0 + np.exp(-s)) for s in scores]
    every = np.concatenate(probs)
    gold = np.concatenate([e.labels for e in examples]).astype(np.float64)
    tops = [int(np.argmax(s)) for s in scores]
    top_p = np.array([p[t] for p, t in zip(probs, tops, strict=True)])
    top_y = np.array([float(e.labels[t]) for e, t in zip(examples, tops, strict=True)])
    bins = []
    ece = 0.0
    for low, high in pairwise(BINS):
        inside = (top_p >= low) & (top_p < high)
        if inside.any():
            conf, acc = float(top_p[inside].mean()), float(top_y[inside].mean())
            ece += inside.sum() / len(top_p) * abs(conf - acc)
            bins.append((f"{low:.1f}-{min(high, 1.0):.1f}", int(inside.sum()), conf, acc))
    return {
        "brier_all": float(np.mean((every - gold) ** 2)),
        "brier_top1": float(np.mean((top_p - top_y) ** 2)),
        "ece_top1": float(ece),
        "reliability_top1": bins,
    }


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(float(sum(items)) / len(items), 3) if items else 0.0
