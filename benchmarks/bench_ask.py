"""Warm ``Assistant.ask`` latency (p50/p95) with the configured embedder; writes JSON.

Target (the staged answerer's acceptance): p95 ≤ 80 ms per question — every stage, from
understanding through the one search, topics, candidate facts and their ranking to
composition, LLM mode off — checked on the uncached path: the answer, search and
query-embedding caches are emptied before every question. ``repeat_ms`` then times the same
questions with the caches on (a repeated question, as popular ones are in the web chat).
Usage: python benchmarks/bench_ask.py [--rounds 3] [--out reports/bench]
Questions: the gold set's (last turn of each item) when present, else a small built-in list.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from _common import gold_questions, machine, summary, write_json

from assistant import build_assistant
from core import get_settings

TARGET_P95_MS = 80.0
_FALLBACK_QUESTIONS = (
    "産学共同研究開発プロジェクト支援の補助上限と補助率は？",
    "小規模事業資金（ミニ）の利率は？",
    "KOBSの相談件数は？",
    "起業化総合支援事業の平成29年度予算は？",
    "条例第15条には何が書いてある？",
    "市内の事業所数は？",
    "川崎市産業振興財団の電話番号は？",
    "うちは社員8人の町工場。大学と新素材を研究したい。使える補助は？",
)


def _questions() -> list[str]:
    return gold_questions() or list(_FALLBACK_QUESTIONS)


def _clear(assistant: Any) -> None:
    """Empty every cache on the answer path, so each question is composed from scratch."""
    answers = getattr(assistant, "answers", None)
    if answers is not None:
        answers.clear()
    clear = getattr(assistant.searcher, "clear_caches", None)
    if callable(clear):
        clear()


def _timed(assistant: Any, questions: list[str], rounds: int, *, cold: bool) -> list[float]:
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            if cold:
                _clear(assistant)
            t0 = time.perf_counter()
            assistant.ask(question)
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("reports/bench"))
    args = parser.parse_args()
    settings = get_settings()
    started = time.perf_counter()
    assistant = build_assistant(settings)
    load_s = time.perf_counter() - started
    questions = _questions()
    for question in questions[:5]:  # warm lazy parts (tokenizer, embedder, index)
        assistant.ask(question)
    cold = summary(_timed(assistant, questions, args.rounds, cold=True))
    _timed(assistant, questions, 1, cold=False)  # every question asked once before
    repeat = summary(_timed(assistant, questions, 1, cold=False))
    result = {
        "benchmark": "ask",
        "embedder": settings.embedder,
        "questions": len(questions),
        "asks": cold["n"],
        "load_s": round(load_s, 3),
        "p50_ms": cold["p50_ms"],
        "p95_ms": cold["p95_ms"],
        "max_ms": cold["max_ms"],
        "cold_ms": cold,
        "repeat_ms": repeat,
        "target_p95_ms": TARGET_P95_MS,
        "passed": cold["p95_ms"] <= TARGET_P95_MS,
        "machine": machine(),
    }
    write_json(args.out / "bench_ask.json", result)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
