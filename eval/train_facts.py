"""Fit the Rank stage's weights on the studied gold sets and report how well facts rank.

    SME_STORE_DIR=… python -m eval.train_facts [--out assistant/facts/weights.json]

Studied sets only (see :mod:`eval.train_topics`): the blind sets are never loaded. Each
item's candidates are the ones the assistant itself gathers (Topics, then Facts); prints
k-fold (grouped by item) facts@1/2/3 per set — the share of items whose every must_include
fact is stated by the top 1, 2 or 3 candidates — then writes the weights (the same data gives
the same file, byte for byte).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

from assistant.facts import DEFAULT_FACT_WEIGHTS, FEATURES, FactWeights
from eval.fact_training import FactExample, answer_figures, cross_validate, fit, make_example
from eval.linear_training import trainer_arguments, write_weights
from eval.train_topics import studied_items

__all__ = ["main", "report", "train"]

log = logging.getLogger(__name__)

FOLDS = 5
# C = 10 ranks better out of fold (facts@1 0.731 vs 0.719) yet its weights compose two fewer
# studied answers: the answers are what count.
C = 1.0


def train(
    examples: Sequence[FactExample], folds: int = FOLDS, c: float = C, embedder: str | None = None
) -> tuple[FactWeights, dict[str, Any]]:
    """Final weights (fitted on every example) and the figures describing them."""
    oof = cross_validate(examples, folds, c)
    weights = fit(examples, c)
    inside = [weights.scores(e.rows) for e in examples]
    figures = {
        "kfold": answer_figures(examples, oof),
        "in_sample": answer_figures(examples, inside),
    }
    overall = figures["kfold"]["all sets"]
    training = {
        "C": c,
        "embedder": embedder,
        "folds": folds,
        "items": len(examples),
        "sets": sorted({e.group for e in examples}),
        "kfold": {k: overall[k] for k in ("facts@1", "facts@2", "facts@3", "reachable")},
    }
    return FactWeights(weights.weights, weights.intercept, training), figures


def report(weights: FactWeights, figures: dict[str, Any]) -> str:
    lines = ["facts@1/2/3 (all | casual), reachable:"]
    for name, row in figures["kfold"].items():
        lines.append(f"  {name} ({row['items']} items)")
        for label in ("kfold", "in_sample"):
            r = figures[label][name]
            at = "/".join(f"{r[f'facts@{k}']:.3f}" for k in (1, 2, 3))
            casual = "/".join(f"{r[f'casual facts@{k}']:.3f}" for k in (1, 2, 3))
            lines.append(f"    {label:<10} {at} | {casual}   {r['reachable']:.3f}")
    lines.append("weights (log-odds per unit of feature):")
    lines.extend(f"  {f:<12} {w:+.4f}" for f, w in zip(FEATURES, weights.weights, strict=True))
    lines.append(f"  intercept    {weights.intercept:+.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = trainer_arguments(
        argv, "python -m eval.train_facts", __doc__, out=DEFAULT_FACT_WEIGHTS, folds=FOLDS, c=C
    )

    from assistant import build_assistant  # noqa: PLC0415 - loads the corpus, index and models
    from core import get_settings  # noqa: PLC0415

    assistant = build_assistant(get_settings())
    examples = []
    for group, item in studied_items():
        # As the answerer reads the last turn, after the earlier ones of a conversation.
        query = assistant.read_turns(item.turns)
        candidates = assistant.fact_candidates(query.text)
        features = assistant.finder.features
        rows = features.compute(query.text, candidates, query.focus, query.intent, query.latest)
        examples.append(make_example(item, group, candidates, rows))
    weights, figures = train(examples, args.folds, args.c, assistant.settings.embedder)
    return write_weights(args.out, weights.as_json(), report(weights, figures))


if __name__ == "__main__":
    sys.exit(main())
