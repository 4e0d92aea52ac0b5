"""Shared helpers for the benchmark scripts: percentiles, machine facts, JSON output."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "reports" / "bench"


def gold_questions(*, last_turn: bool = True, single_turn_only: bool = False) -> list[str]:
    """Distinct questions of the gold set's data files (read as data: nothing imports eval/).

    A multi-turn item gives its last turn (``last_turn``), all its turns joined, or nothing
    (``single_turn_only``)."""
    found: list[str] = []
    for path in sorted((ROOT / "eval" / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            question = json.loads(line).get("question") if line.strip() else None
            if isinstance(question, str):
                found.append(question)
            elif isinstance(question, list) and question and not single_turn_only:
                found.append(str(question[-1]) if last_turn else " ".join(map(str, question)))
    return list(dict.fromkeys(found))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, ``q`` in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[rank], 2)


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(values_ms),
        "p50_ms": percentile(values_ms, 50),
        "p95_ms": percentile(values_ms, 95),
        "p99_ms": percentile(values_ms, 99),
        "mean_ms": round(statistics.fmean(values_ms), 2) if values_ms else 0.0,
        "max_ms": round(max(values_ms), 2) if values_ms else 0.0,
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on; the load average says how noisy it was."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on this platform
        load = []
    return {
        "cpus": os.cpu_count(),
        "loadavg_1_5_15": load,
        "python": platform.python_version(),
        "embed_threads": os.environ.get("SME_EMBED_THREADS"),
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_json(path: Path, result: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
