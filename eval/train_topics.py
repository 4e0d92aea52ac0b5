"""Fit the Topics stage's weights on the studied gold sets and report how well they rank.

    SME_STORE_DIR=… python -m eval.train_topics [--out assistant/topics/weights.json]

Studied sets only: eval/gold, eval/heldout, eval/dev_v3, eval/dev_v4, eval/dev_v5 and the inspected
(even-numbered, :func:`eval.halves.half_of`) items of eval/heldout_v2; the blind half and the
later held-out sets are never loaded for training. Prints k-fold (grouped by item) topic@1/3/5
per set next to the search-hit ranking the evaluation otherwise uses, the in-sample figures of
the final fit and the calibration of its confidence, then writes the weights (the same data
gives the same file, byte for byte).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.topics import DEFAULT_WEIGHTS, SEARCH_DEPTH, TopicFeatures, TopicWeights
from eval.gold_schema import GoldItem, load_gold
from eval.halves import half_of
from eval.linear_training import trainer_arguments, write_weights
from eval.stage_metrics import TOPIC_KS, topics_from_units
from eval.topic_training import (
    Example,
    calibration,
    cross_validate,
    fit,
    make_example,
    ranked_topics,
    topic_figures,
)

__all__ = ["STUDIED_SETS", "collect", "main", "studied_items", "train"]

log = logging.getLogger(__name__)

EVAL_DIR = Path(__file__).resolve().parent
STUDIED_SETS = ("gold", "heldout", "dev_v3", "dev_v4", "dev_v5")
HALF_STUDIED_SETS = ("heldout_v2",)  # only the inspected half
FOLDS = 5
C = 1.0


def studied_items(root: Path = EVAL_DIR) -> list[tuple[str, GoldItem]]:
    """(set name, item) for every answerable item with sources of the studied sets."""
    out: list[tuple[str, GoldItem]] = []
    for name in (*STUDIED_SETS, *HALF_STUDIED_SETS):
        items = load_gold(root / name)
        group = name
        if name in HALF_STUDIED_SETS:  # the blind half is dropped before anything reads it
            items = [i for i in items if half_of(i.id) == "inspected"]
            group = f"{name} (even)"
        out.extend((group, i) for i in items if i.answerable and i.sources)
    return out


def collect(features: TopicFeatures, items: Sequence[tuple[str, GoldItem]]) -> list[Example]:
    """Feature rows of every item's question (all turns, as the evaluation ranks them)."""
    examples = []
    for group, item in items:
        question = " ".join(item.turns)
        rows = features.compute(question)
        hits = features.searcher.search(question, SEARCH_DEPTH)
        baseline = topics_from_units(h.chunk for h in hits)
        examples.append(make_example(item, group, features.topics, rows, baseline))
    return examples


def train(
    examples: Sequence[Example], folds: int = FOLDS, c: float = C, embedder: str | None = None
) -> tuple[TopicWeights, dict[str, Any]]:
    """Final weights (fitted on every example) and the figures describing them."""
    oof = cross_validate(examples, folds, c)
    weights = fit(examples, c)
    inside = [weights.scores(e.rows) for e in examples]
    figures: dict[str, Any] = {
        "kfold": topic_figures(examples, lambda i, e: ranked_topics(e, oof[i])),
        "in_sample": topic_figures(examples, lambda i, e: ranked_topics(e, inside[i])),
        "search_hits": topic_figures(examples, lambda i, e: e.baseline),
        "calibration_kfold": calibration(examples, oof),
    }
    overall = figures["kfold"]["all sets"]
    training = {
        "C": c,
        "embedder": embedder,  # the meaning features' scale is this embedder's
        "folds": folds,
        "items": len(examples),
        "sets": sorted({e.group for e in examples}),
        "kfold": {f"topic@{k}": overall[f"topic@{k}"] for k in TOPIC_KS},
        "kfold_brier_top1": round(figures["calibration_kfold"]["brier_top1"], 4),
    }
    return TopicWeights(weights.weights, weights.intercept, training), figures


def report(weights: TopicWeights, figures: dict[str, Any]) -> str:
    lines = ["topic@1/3/5 (all | casual):"]
    for name in figures["kfold"]:
        lines.append(f"  {name} ({figures['kfold'][name]['items']} items)")
        for label in ("kfold", "in_sample", "search_hits"):
            lines.append(f"    {label:<12} {_at_k(figures[label][name])}")
    cal = figures["calibration_kfold"]
    lines.append(
        f"calibration (k-fold): Brier {cal['brier_all']:.4f} over all candidates, "
        f"{cal['brier_top1']:.4f} for the top topic, ECE {cal['ece_top1']:.3f}"
    )
    lines.append("  top topic's confidence → items, mean confidence, share gold:")
    lines.extend(
        f"    {b} → {n}, {conf:.3f}, {acc:.3f}" for b, n, conf, acc in cal["reliability_top1"]
    )
    lines.append("weights (log-odds per unit of feature):")
    from assistant.topics import FEATURES  # noqa: PLC0415 - kept beside its only use

    lines.extend(f"  {f:<10} {w:+.4f}" for f, w in zip(FEATURES, weights.weights, strict=True))
    lines.append(f"  intercept  {weights.intercept:+.4f}")
    return "\n".join(lines)


def _at_k(row: dict[str, float | int]) -> str:
    overall = "/".join(f"{row[f'topic@{k}']:.3f}" for k in TOPIC_KS)
    casual = "/".join(f"{row[f'casual topic@{k}']:.3f}" for k in TOPIC_KS)
    return f"{overall} | {casual}"


def main(argv: list[str] | None = None) -> int:
    args = trainer_arguments(
        argv, "python -m eval.train_topics", __doc__, out=DEFAULT_WEIGHTS, folds=FOLDS, c=C
    )

    from assistant import build_assistant  # noqa: PLC0415 - loads the corpus, index and models
    from core import get_settings  # noqa: PLC0415

    assistant = build_assistant(get_settings())
    features = TopicFeatures(assistant.corpus, assistant.searcher, aliases=assistant.parser.aliases)
    features.warm()
    examples = collect(features, studied_items())
    weights, figures = train(examples, args.folds, args.c, assistant.settings.embedder)
    return write_weights(args.out, weights.as_json(), report(weights, figures))


if __name__ == "__main__":
    sys.exit(main())
