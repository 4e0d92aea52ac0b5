"""What the Topics stage hands on: the report's topics, scored for one question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = ["CERTAIN", "SURE", "ScoredTopic", "Topic", "TopicKind", "TopicRanking"]

TopicKind = Literal["programme", "article", "section"]
SURE = 0.5  # a first topic at least this likely to be a source is the one the question is about
# … and at least this likely, all but certain: on the studied sets (k-fold) a first topic this
# confident is a source 95 times in 100.
CERTAIN = 0.8


@dataclass(frozen=True, slots=True)
class Topic:
    """A unit of the report a question can be about.

    ``key`` is the programme id, the article number (as text) or the section key (all
    sections sharing a key, e.g. every column, are one topic: that is how sources cite them).
    """

    kind: TopicKind
    key: str
    name: str  # the programme's name, the article's label and title, a section title


@dataclass(frozen=True, slots=True)
class ScoredTopic:
    """A topic with the model's log-odds (``score``) and probability (``confidence``) that
    it is a source of the question's answer; the confidence rises with the score."""

    topic: Topic
    score: float
    confidence: float

    # The unit fields chunks, citations and gold sources use (see eval's TopicLike).
    @property
    def programme(self) -> str | None:
        return self.topic.name if self.topic.kind == "programme" else None

    @property
    def article(self) -> int | None:
        return int(self.topic.key) if self.topic.kind == "article" else None

    @property
    def section(self) -> str | None:
        return self.topic.key if self.topic.kind == "section" else None


class TopicRanking(Protocol):
    """Ranks the report's topics for a question, most likely source first."""

    def rank(self, question: str) -> Sequence[ScoredTopic]: ...
