"""Fitting and checking the Rank stage's logistic regression (used by eval.train_facts).

One :class:`FactExample` per gold item: a feature row per candidate fact and how many of the
item's must_include facts that candidate states. A candidate is labelled an answer when it
states as many of them as any candidate does (and at least one). Folds split items, in a
fixed order, so every figure and the fitted weights are reproducible.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.facts import FEATURES, FactCandidate, FactWeights
from eval.gold_facts import contains_fact
from eval.gold_schema import GoldItem
from eval.linear_training import out_of_fold
from eval.stage_metrics import topic_of

__all__ = ["FactExample", "answer_figures", "cross_validate", "fit", "make_example"]

Matrix = npt.NDArray[np.float64]
SEED = 0  # the negatives sampled for the pairwise fit
POSITIVES = 3
NEGATIVES = 30


@dataclass(frozen=True, slots=True)
class FactExample:
    item: GoldItem
    group: str
    texts: tuple[str, ...]
    rows: Matrix
    covered: tuple[frozenset[int], ...]  # indices of must_include facts each candidate states
    sourced: tuple[bool, ...] = ()  # the candidate's passage is one of the item's gold sources

    @property
    def labels(self) -> npt.NDArray[np.bool_]:
        """The candidates stating the most key facts (at least one); of those, only the ones
        from a gold source when there are any (a bare 「3」 is stated in many places)."""
        best = max((len(c) for c in self.covered), default=0)
        top = np.array([best > 0 and len(c) == best for c in self.covered], dtype=np.bool_)
        sourced = top & np.array(self.sourced or [False] * len(top), dtype=np.bool_)
        return sourced if sourced.any() else top


def make_example(
    item: GoldItem, group: str, candidates: Sequence[FactCandidate], rows: Matrix
) -> FactExample:
    covered = tuple(
        frozenset(i for i, f in enumerate(item.must_include) if contains_fact(c.text, f))
        for c in candidates
    )
    wanted = {t for t in (topic_of(s) for s in item.sources) if t is not None}
    sourced = tuple(topic_of(c.chunk) in wanted for c in candidates)
    return FactExample(item, group, tuple(c.text for c in candidates), rows, covered, sourced)


def fit(examples: Sequence[FactExample], c: float = 1.0) -> FactWeights:
    """Pairwise logistic regression (each answering candidate against the others of its own
    question: what matters is the order within a question), then a one-feature logistic
    fit of that score over every candidate (Platt scaling) so a fact's confidence is a
    probability. Returned on the raw features' scale."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - lazy: training only

    diffs = _pairs(examples)
    if not len(diffs):
        raise ValueError("training needs questions with both answering and other facts")
    x = np.vstack([diffs, -diffs])
    y = np.r_[np.ones(len(diffs)), np.zeros(len(diffs))]
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    ranker = LogisticRegression(C=c, max_iter=5000, tol=1e-8, fit_intercept=False)
    ranker.fit(x / scale, y)
    direction = ranker.coef_[0] / scale
    scores = np.concatenate([e.rows @ direction for e in examples if len(e.texts)])
    labels = np.concatenate([e.labels for e in examples if len(e.texts)])
    platt = LogisticRegression(C=1e6, max_iter=5000, tol=1e-10)
    platt.fit(scores[:, None], labels)
    slope, intercept = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return FactWeights(tuple(float(w) * slope for w in direction), intercept, features=FEATURES)


def _pairs(examples: Sequence[FactExample]) -> Matrix:
    """Feature differences answering − other, up to :data:`NEGATIVES` others per answering
    candidate (sampled with a fixed seed) and :data:`POSITIVES` answering ones per question."""
    out: list[Matrix] = []
    for e in examples:
        labels = e.labels
        pos, neg = np.flatnonzero(labels), np.flatnonzero(~labels)
        if not len(pos) or not len(neg):
            continue
        # Each question samples its own others: a change to one question's candidates
        # (a corpus fix) leaves every other question's pairs as they were.
        rng = np.random.default_rng([SEED, zlib.crc32(e.item.id.encode())])
        for p in pos[:POSITIVES]:
            others = neg if len(neg) <= NEGATIVES else rng.choice(neg, NEGATIVES, replace=False)
            out.extend(e.rows[p] - e.rows[n] for n in others)
    return np.array(out, dtype=np.float64).reshape(-1, len(FEATURES))


def cross_validate(
    examples: Sequence[FactExample], folds: int = 5, c: float = 1.0
) -> list[npt.NDArray[np.float64]]:
    """Out-of-fold log-odds per example: each item scored by weights fitted without it."""
    return out_of_fold(examples, folds, lambda train: fit(train, c))


def answer_figures(
    examples: Sequence[FactExample], scores: Sequence[npt.NDArray[np.float64]]
) -> dict[str, dict[str, float | int]]:
    """Per set and overall (all | casual): the share of items whose every key fact is in the
    top fact, in the top two, and in the top three (the answer composes from these)."""
    groups: dict[str, list[int]] = {"all sets": list(range(len(examples)))}
    for i, e in enumerate(examples):
        groups.setdefault(e.group, []).append(i)
    out: dict[str, dict[str, float | int]] = {}
    for name, members in groups.items():
        casual = [i for i in members if examples[i].item.style == "colloquial"]
        row: dict[str, float | int] = {"items": len(members), "casual": len(casual)}
        for k in (1, 2, 3):
            row[f"facts@{k}"] = _mean(_covers(examples[i], scores[i], k) for i in members)
            row[f"casual facts@{k}"] = _mean(_covers(examples[i], scores[i], k) for i in casual)
        row["reachable"] = _mean(_covers(examples[i], scores[i], 10**6) for i in members)
        out[name] = row
    return out


def _covers(example: FactExample, scores: npt.NDArray[np.float64], k: int) -> float:
    wanted = set(range(len(example.item.must_include)))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    got: set[int] = set()
    for i in order:
        got |= example.covered[i]
    return float(got >= wanted)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(float(sum(items)) / len(items), 3) if items else 0.0
