"""What the Facts and Rank stages hand on: candidate facts of the report, then scored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.citing import Fact
from assistant.models import Intent
from ingest import Chunk

__all__ = ["FactCandidate", "FactRanking", "RankedFact"]


@dataclass(frozen=True, slots=True)
class FactCandidate:
    """One sentence or bullet line of a chunk that may answer the question.

    ``kinds`` are the kinds of value it holds (amount, rate, people, figure, duration, date,
    company, organisation, place: the catalogue's value patterns); ``topic`` the index of its
    topic in the Topics stage's ranking of this question (0 = the most likely), or None when
    the chunk belongs to none of the ranked topics read."""

    text: str
    chunk: Chunk
    position: int  # its place among the chunk's sentences
    previous: str | None  # the sentence before it in the chunk (a lead or heading)
    kinds: frozenset[str]
    topic: int | None
    topic_confidence: float
    hit_rank: int | None  # the rank of its chunk among the search hits (1-based)
    sentences: int = 1  # 2: the sentence joined with the next one of its passage
    units: tuple[str, ...] = ()  # the sentences a joined candidate is made of
    fact: Fact | None = None  # a record's fact, already written and cited


@dataclass(frozen=True, slots=True)
class RankedFact:
    """A candidate with the scorer's log-odds and probability that it states the answer."""

    candidate: FactCandidate
    score: float
    confidence: float

    @property
    def text(self) -> str:
        return self.candidate.text


class FactRanking(Protocol):
    """Ranks candidate facts for a question, most likely answer first."""

    def rank(
        self,
        question: str,
        candidates: Sequence[FactCandidate],
        focus: str | None = None,
        intent: Intent | None = None,
        ask: str | None = None,
    ) -> list[RankedFact]: ...
