"""Which of the ranked facts answer: the best one and those close to it in score."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.facts.models import RankedFact
from assistant.text import squash

__all__ = ["choose_facts"]


def choose_facts(
    ranked: Sequence[RankedFact],
    kinds: frozenset[str],
    max_facts: int,
    score_gap: float,
    kind_gap: float,
) -> list[RankedFact]:
    """The best fact and the next ones within ``score_gap`` of it (at most ``max_facts``),
    none inside another.

    When the question asks for a kind of value (an amount, a date, a count) the best fact
    does not hold, the best fact that holds one comes first, if its score is within
    ``kind_gap`` of the best: the kind asked for decides which fact answers."""
    chosen: list[RankedFact] = []
    if not ranked:
        return chosen
    best = ranked[0].score
    order = list(ranked)
    if kinds and not kinds & ranked[0].candidate.kinds:
        holding = next(
            (f for f in ranked if kinds & f.candidate.kinds and f.score >= best - kind_gap),
            None,
        )
        if holding is not None:
            order.remove(holding)
            order.insert(0, holding)
    for fact in order:
        if len(chosen) >= max_facts or (chosen and fact.score < best - score_gap):
            break
        flat = squash(fact.text)
        if any(flat in squash(c.text) or squash(c.text) in flat for c in chosen):
            continue
        chosen.append(fact)
    return chosen
