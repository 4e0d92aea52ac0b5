"""Metrics for the answerer's stages: topics, desks, the facts retrieval reaches, length.

They show where an answer goes wrong rather than only whether it is right:

- **topic@k** — is a gold source's topic (its programme, article or section) among the first
  k distinct topics ranked for the question? A :class:`TopicRanker` (anything with
  ``rank_topics(question)``, given a conversation's turns) ranks them when the answerer or its
  searcher offers one;
  otherwise the ranking is read off the search hits: each hit's topic (programme, else
  article, else section) in rank order, repeats dropped.
- **desk precision** — of the organisations and desks a contact answer names, the share its
  gold programme owns (:mod:`eval.desks`).
- **key facts in the top 3 chunks** — every must_include fact is in the text of one of the
  first three retrieved chunks: the ceiling a fact selector could reach from retrieval.
- **answer length** — median characters, of focused (non-exploratory) answerable items and
  of every item.

None of these gates: they are figures to watch, next to the acceptance metrics.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant import Answer
from eval.desks import DeskDirectory
from eval.gold_schema import GoldItem, GoldSource, contains_fact, normalize_fact
from eval.metrics import mean, percentile
from ingest import Chunk

if TYPE_CHECKING:
    from eval.runner import ItemResult

__all__ = [
    "CEILING_CHUNKS",
    "TOPIC_KS",
    "StageScorer",
    "Topic",
    "TopicLike",
    "TopicRanker",
    "facts_in_chunks",
    "find_topic_ranker",
    "group_stage_metrics",
    "is_exploratory",
    "topic_label",
    "topic_of",
    "topic_scores",
    "topics_from_units",
]

log = logging.getLogger(__name__)

TOPIC_KS = (1, 3, 5)
CEILING_CHUNKS = 3
# Hits read when the topic ranking comes from search: several chunks of one programme
# usually lead, so five hits rarely hold five topics.
_TOPIC_DEPTH = 30

Topic = tuple[str, str]
"""("programme", normalised name) | ("article", number) | ("section", key)."""


class TopicLike(Protocol):
    """A unit naming its topic the way chunks, citations and gold sources do."""

    @property
    def programme(self) -> str | None: ...

    @property
    def article(self) -> int | None: ...

    @property
    def section(self) -> str | None: ...


@runtime_checkable
class TopicRanker(Protocol):
    """Something that ranks the report's topics for a question, best first."""

    def rank_topics(self, question: str | Sequence[str]) -> Sequence[TopicLike]: ...


@runtime_checkable
class FactRanker(Protocol):
    """Anything that ranks the report's candidate facts (texts) for a question."""

    def rank_facts(self, question: str | Sequence[str]) -> Sequence[Any]: ...


FACT_KS = (1, 3)


def find_fact_ranker(*candidates: object) -> FactRanker | None:
    """The first candidate offering ``rank_facts`` (the Rank stage), else None."""
    for candidate in candidates:
        if candidate is not None and isinstance(candidate, FactRanker):
            return candidate
    return None


def ranked_fact_hits(texts: Sequence[str], facts: Sequence[str]) -> dict[str, float]:
    """facts@k: every required fact is stated by one of the first k ranked facts."""
    return {
        f"facts@{k}": float(all(any(contains_fact(t, f) for t in texts[:k]) for f in facts))
        for k in FACT_KS
    }


def find_topic_ranker(*candidates: object) -> TopicRanker | None:
    """The first candidate offering ``rank_topics`` (the Topics stage), else None."""
    for candidate in candidates:
        if candidate is not None and isinstance(candidate, TopicRanker):
            return candidate
    return None


def topic_of(unit: TopicLike, programme_names: Mapping[str, str] | None = None) -> Topic | None:
    """The unit's topic: its programme (ids resolved to names), else article, else section."""
    if unit.programme:
        name = (programme_names or {}).get(unit.programme, unit.programme)
        return ("programme", normalize_fact(name))
    if unit.article is not None:
        return ("article", str(unit.article))
    if unit.section:
        return ("section", unit.section)
    return None


def topics_from_units(
    units: Iterable[TopicLike], programme_names: Mapping[str, str] | None = None
) -> list[Topic]:
    """Distinct topics in the order the units first name them."""
    out: list[Topic] = []
    for unit in units:
        topic = topic_of(unit, programme_names)
        if topic is not None and topic not in out:
            out.append(topic)
    return out


def topic_label(topic: Topic) -> str:
    return f"{topic[0]}={topic[1]}"


def topic_scores(
    ranked: Sequence[Topic], sources: Sequence[GoldSource], ks: Iterable[int] = TOPIC_KS
) -> dict[str, float]:
    """topic@k: 1.0 when a gold source's topic is among the first k ranked topics."""
    wanted = {t for t in (topic_of(s) for s in sources) if t is not None}
    return {f"topic@{k}": float(bool(wanted & set(ranked[:k]))) for k in ks}


def facts_in_chunks(chunks: Sequence[Chunk], facts: Sequence[str]) -> bool:
    """Every fact occurs in the text of one of ``chunks`` (the harness's "fact in text")."""
    return all(any(contains_fact(c.text, f) for c in chunks) for f in facts)


def is_exploratory(item: GoldItem) -> bool:
    """The gold spreads the answer over two or more programmes or articles.

    Such questions ("which bodies support …?") are answered with an overview whose length
    says little about verbosity, so the focused median leaves them out. A report section
    cited beside a programme (its column) does not make a question broad.
    """
    units = {t for t in (topic_of(s) for s in item.sources) if t and t[0] != "section"}
    return len(units) >= 2


class StageScorer:
    """Per-item stage figures, from the harness's own search and the answer."""

    def __init__(
        self,
        search: Callable[[str, int], Sequence[Any]] | None,
        ranker: TopicRanker | None = None,
        desks: DeskDirectory | None = None,
        programme_names: Mapping[str, str] | None = None,
        *,
        depth: int = _TOPIC_DEPTH,
        facts: FactRanker | None = None,
    ) -> None:
        self.facts = facts
        self.search = search
        self.ranker = ranker
        self.desks = desks
        self.programme_names = dict(programme_names or {})
        self.depth = depth

    @property
    def topic_source(self) -> str:
        """How topics are ranked: by the answerer's Topics stage or from search hits."""
        if self.ranker is not None:
            return f"{type(self.ranker).__name__}.rank_topics"
        return "search hits" if self.search is not None else "none"

    def score(self, item: GoldItem, answer: Answer, chunks: Sequence[Chunk]) -> dict[str, Any]:
        """ItemResult fields for one item; ``chunks`` are the harness's retrieved chunks."""
        out: dict[str, Any] = {"exploratory": is_exploratory(item)}
        ranked = self.rank(item) if item.sources else None
        if ranked is not None:
            out["topics"] = tuple(topic_label(t) for t in ranked[: max(TOPIC_KS)])
            out["topic_hits"] = topic_scores(ranked, item.sources)
        if item.answerable and chunks:
            out["facts_in_top3"] = facts_in_chunks(chunks[:CEILING_CHUNKS], item.must_include)
        if item.answerable and self.facts is not None:
            # A conversation's last turn, ranked as it is answered after the earlier ones.
            turns = item.turns[0] if len(item.turns) == 1 else tuple(item.turns)
            best = self.facts.rank_facts(turns)[: max(FACT_KS)]
            texts = [str(getattr(f, "text", f)) for f in best]
            out["ranked_facts"] = ranked_fact_hits(texts, item.must_include)
        if item.category == "contact" and self.desks is not None:
            check = self.desks.check(answer.answer, item.sources)
            if check is not None:
                out["named_desks"], out["wrong_desks"] = check.named, check.wrong
        return out

    def rank(self, item: GoldItem) -> list[Topic] | None:
        """Topics for the item's conversation: the answerer's for its last turn as it is
        answered after the earlier ones, else the search hits for all turns (as retrieval
        is scored)."""
        query = " ".join(item.turns)
        if self.ranker is not None:
            turns = item.turns[0] if len(item.turns) == 1 else tuple(item.turns)
            return topics_from_units(self.ranker.rank_topics(turns), self.programme_names)
        if self.search is None:
            return None
        hits = self.search(query, self.depth)
        return topics_from_units((h.chunk for h in hits), self.programme_names)


def group_stage_metrics(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Stage figures of a group of items (overall, a category or a style)."""
    answerable = [r for r in results if r.answerable]
    pointers = [r for r in results if not r.answerable and r.topic_hits is not None]
    out: dict[str, Any] = {}
    for k in TOPIC_KS:
        key = f"topic@{k}"
        out[key] = mean(r.topic_hits[key] for r in answerable if r.topic_hits is not None)
    for k in TOPIC_KS:  # unanswerable items whose gold points somewhere, kept apart
        key = f"topic@{k}"
        out[f"unanswerable_{key}"] = mean(r.topic_hits[key] for r in pointers if r.topic_hits)
    judged = [r for r in results if r.named_desks is not None]
    named = sum(len(r.named_desks or ()) for r in judged)
    wrong = sum(len(r.wrong_desks) for r in judged)
    out["desk_items"] = len(judged)
    out["desks_named"] = named
    out["desk_precision"] = (named - wrong) / named if named else None
    out["wrong_desk_rate"] = mean(float(bool(r.wrong_desks)) for r in judged)
    for k in FACT_KS:
        key = f"facts@{k}"
        out[f"rank_{key}"] = mean(
            r.ranked_facts[key] for r in answerable if r.ranked_facts is not None
        )
    out["key_facts_top3_ceiling"] = mean(
        float(r.facts_in_top3) for r in answerable if r.facts_in_top3 is not None
    )
    focused = [float(len(r.got)) for r in answerable if not r.exploratory]
    out["n_exploratory"] = sum(r.exploratory for r in answerable)
    out["answer_chars_p50_focused"] = percentile(focused, 50)
    out["answer_chars_p50_all"] = percentile([float(len(r.got)) for r in results], 50)
    return out
