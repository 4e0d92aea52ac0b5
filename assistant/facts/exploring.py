"""An exploratory answer (「使える補助はある？」): besides its first facts, the best fact of
each further programme that may fit."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.citing import Fact
from assistant.facts.models import RankedFact
from assistant.facts.writing import FactWriter, overlaps
from assistant.understanding import Query

__all__ = ["PROGRAMMES", "other_programmes"]

PROGRAMMES = 3  # an exploratory answer names at most this many programmes


def other_programmes(
    writer: FactWriter,
    query: Query,
    ranked: Sequence[RankedFact],
    facts: Sequence[Fact],
    score_gap: float,
) -> list[Fact]:
    """The best fact of each programme not yet in ``facts``, while the answer names fewer
    than :data:`PROGRAMMES` and the fact is within ``score_gap`` of the best."""
    named = {writer.key(f.record) for f in facts if f.record}
    if not ranked or len(named) >= PROGRAMMES:
        return []
    best = ranked[0].score
    picks: list[RankedFact] = []
    for fact in ranked:
        if fact.score < best - score_gap or len(named) >= PROGRAMMES:
            break
        key = writer.key(fact.candidate.chunk.programme)
        if key is None or key in named:
            continue
        named.add(key)
        picks.append(fact)
    return [f for f in writer.write(query, picks) if not overlaps(f, facts)]
