"""Run gold items through an :class:`Answerer` (and a searcher) and score each one.

The runner takes any ``Answerer`` and any search callable, so tests drive it with fakes and
the CLI with the real assistant and index; it never builds models itself.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from assistant import Answer, Answerer, Intent
from core import SmeError
from eval import metrics
from eval.desks import DeskDirectory
from eval.gold_schema import GoldItem
from eval.stage_metrics import (
    StageScorer,
    TopicRanker,
    find_fact_ranker,
    find_topic_ranker,
    group_stage_metrics,
)
from index import Hit
from ingest import Chunk

__all__ = ["EvalResult", "EvalRunner", "ItemResult", "SearchFn", "summarize"]

log = logging.getLogger(__name__)

SearchFn = Callable[[str, int], Sequence[Hit]]
"""``search(query, k)`` → hits, best first (the index's ``searcher.search``)."""

_KS = (1, 5)


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One gold item's outcome; None marks a metric that does not apply to the item."""

    id: str
    category: str
    style: str
    answerable: bool  # gold
    question: str  # the scored (last) turn
    turns: tuple[str, ...]
    expected: str
    must_include: tuple[str, ...]
    got: str
    got_answerable: bool
    citations: tuple[dict[str, Any], ...]
    latencies_ms: tuple[float, ...]
    retrieval: dict[str, float] | None = None
    retrieved: tuple[str, ...] = ()  # "programme/article/section" labels of the top hits
    key_fact_ok: bool | None = None
    missing_facts: tuple[str, ...] = ()
    citation_precision: float | None = None
    fact_support: float | None = None
    unfaithful_numbers: tuple[str, ...] = ()
    refusal_ok: bool = False
    error: str | None = None
    # Stage figures (eval.stage_metrics); informational, never a failure.
    topics: tuple[str, ...] = ()  # the first ranked topics, "programme=…" / "article=…"
    topic_hits: dict[str, float] | None = None  # topic@1/3/5
    facts_in_top3: bool | None = None  # every must_include fact in the first 3 chunks
    ranked_facts: dict[str, float] | None = None  # facts@1/3: key facts in the top ranked facts
    named_desks: tuple[str, ...] | None = None  # None: desks not judged for this item
    wrong_desks: tuple[str, ...] = ()
    exploratory: bool = False

    def failures(self) -> list[str]:
        """Short names of the checks this item failed."""
        out = []
        if self.error:
            out.append("error")
        if self.retrieval is not None and self.retrieval.get("recall@5", 1.0) < 1.0:
            out.append("retrieval")
        if self.key_fact_ok is False:
            out.append("key_facts")
        if self.unfaithful_numbers:
            out.append("numbers")
        if not self.refusal_ok:
            out.append("refusal" if not self.answerable else "false_refusal")
        return out


@dataclass(frozen=True, slots=True)
class EvalResult:
    items: tuple[ItemResult, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class EvalRunner:
    """Asks every gold item, searches its retrieval query and scores the answer."""

    def __init__(
        self,
        answerer: Answerer,
        search: SearchFn | None = None,
        k: int = 5,
        programme_names: Mapping[str, str] | None = None,
        progress: bool = True,
        *,
        desks: DeskDirectory | None = None,
        topics: TopicRanker | None = None,
    ) -> None:
        self.answerer = answerer
        self.search = search
        self.k = max(k, *_KS)
        self.programme_names = dict(programme_names or {})
        self.progress = progress
        # A Topics stage on the answerer (or one passed in) ranks topics; else search hits do.
        ranker = topics if topics is not None else find_topic_ranker(answerer, search)
        self.stages = StageScorer(
            search, ranker, desks, self.programme_names, facts=find_fact_ranker(answerer)
        )

    def run(self, items: Sequence[GoldItem]) -> EvalResult:
        start = time.perf_counter()
        results = [
            self.score(item)
            for item in tqdm(items, desc="eval", unit="q", disable=not self.progress)
        ]
        seconds = time.perf_counter() - start
        log.info("evaluated %d items in %.1f s", len(results), seconds)
        return EvalResult(tuple(results), summarize(results), seconds)

    def score(self, item: GoldItem) -> ItemResult:
        answer, latencies, error = self._ask(item)
        retrieval, labels, chunks = self._retrieve(item)
        facts = item.must_include
        base: dict[str, Any] = {
            "id": item.id,
            "category": item.category,
            "style": item.style,
            "answerable": item.answerable,
            "question": item.last_question,
            "turns": item.turns,
            "expected": item.answer,
            "must_include": facts,
            "got": answer.answer,
            "got_answerable": answer.answerable,
            "citations": tuple(_citation_dict(c) for c in answer.citations),
            "latencies_ms": tuple(latencies),
            "retrieval": retrieval,
            "retrieved": labels,
            "unfaithful_numbers": tuple(metrics.unfaithful_numbers(answer, " ".join(item.turns))),
            "refusal_ok": error is None and metrics.refusal_ok(answer, item.answerable),
            "error": error,
        }
        if item.answerable:
            base["key_fact_ok"] = error is None and metrics.key_facts_ok(answer, facts)
            base["missing_facts"] = tuple(metrics.missing_facts(answer, facts))
            base["citation_precision"] = metrics.citation_precision(answer.citations, facts)
            base["fact_support"] = metrics.fact_support(answer, facts)
        base.update(self.stages.score(item, answer, chunks))
        return ItemResult(**base)

    def _ask(self, item: GoldItem) -> tuple[Answer, list[float], str | None]:
        conversation = f"eval-{item.id}-{uuid.uuid4().hex[:8]}"
        latencies: list[float] = []
        answer: Answer | None = None
        for turn in item.turns:
            t0 = time.perf_counter()
            try:
                answer = self.answerer.ask(turn, conversation)
            except SmeError as exc:  # one bad item must not stop the batch
                log.warning("item %s failed: %s", item.id, exc)
                return _empty_answer(turn), latencies, f"{type(exc).__name__}: {exc}"
            latencies.append((time.perf_counter() - t0) * 1000.0)
        assert answer is not None  # gold items have at least one turn
        return answer, latencies, None

    def _retrieve(
        self, item: GoldItem
    ) -> tuple[dict[str, float] | None, tuple[str, ...], list[Chunk]]:
        # Unanswerable items' sources are pointers, not answers: retrieval is not judged there.
        if self.search is None or not item.answerable or not item.sources:
            return None, (), []
        # Follow-ups rarely name their subject, so the earlier turns are part of the query.
        query = " ".join(item.turns)
        chunks = [hit.chunk for hit in self.search(query, self.k)]
        scores = metrics.retrieval_scores(chunks, item.sources, _KS, self.programme_names)
        labels = tuple(
            _chunk_label(
                self.programme_names.get(c.programme or "", c.programme), c.article, c.section
            )
            for c in chunks
        )
        return scores, labels, chunks


def _empty_answer(question: str) -> Answer:
    return Answer(
        question=question, answer="", answerable=False, intent=Intent.OUT_OF_SCOPE, citations=()
    )


def _citation_dict(c: Any) -> dict[str, Any]:
    return {
        "quote": c.quote,
        "lines": c.lines.as_list(),
        "page": c.page,
        "programme": c.programme,
        "article": c.article,
        "section": c.section,
    }


def _chunk_label(programme: str | None, article: int | None, section: str | None) -> str:
    parts = [
        f"programme={programme}" if programme else "",
        f"article={article}" if article is not None else "",
        f"section={section}" if section else "",
    ]
    return " ".join(p for p in parts if p) or "-"


def _group_metrics(results: Sequence[ItemResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    retrieved = [r.retrieval for r in results if r.retrieval is not None]
    latencies = [ms for r in results for ms in r.latencies_ms]
    out: dict[str, Any] = {
        "n": len(results),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
    }
    for key in (*(f"recall@{k}" for k in _KS), "mrr"):
        out[key] = metrics.mean(s[key] for s in retrieved)
    out["key_fact_accuracy"] = metrics.mean(float(bool(r.key_fact_ok)) for r in answerable)
    out["citation_precision"] = metrics.mean(r.citation_precision for r in answerable)
    out["fact_support"] = metrics.mean(r.fact_support for r in answerable)
    out["unfaithful_numbers"] = sum(len(r.unfaithful_numbers) for r in results)
    out["refusal_accuracy"] = metrics.mean(float(r.refusal_ok) for r in unanswerable)
    out["false_refusal_rate"] = metrics.mean(float(not r.refusal_ok) for r in answerable)
    out["latency_p50_ms"] = metrics.percentile(latencies, 50)
    out["latency_p95_ms"] = metrics.percentile(latencies, 95)
    # Informational: a verbatim passage can hold the facts yet be a poor answer.
    out["answer_chars_p50"] = metrics.percentile([float(len(r.got)) for r in answerable], 50)
    out["errors"] = sum(r.error is not None for r in results)
    out.update(group_stage_metrics(results))
    return out


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Metrics overall, per category and per style, plus the formal/colloquial key-fact gap."""
    by_category = {
        c: _group_metrics([r for r in results if r.category == c])
        for c in sorted({r.category for r in results})
    }
    by_style = {
        s: _group_metrics([r for r in results if r.style == s])
        for s in sorted({r.style for r in results})
    }
    overall = _group_metrics(results)
    formal = by_style.get("formal", {}).get("key_fact_accuracy")
    colloquial = by_style.get("colloquial", {}).get("key_fact_accuracy")
    overall["colloquial_key_fact_gap"] = (
        abs(formal - colloquial) if formal is not None and colloquial is not None else None
    )
    return {"overall": overall, "by_category": by_category, "by_style": by_style}
