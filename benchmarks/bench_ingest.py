"""Time the full ingest (read + parse + chunk, no store) and write JSON. Target: median < 5 s.

Usage: python benchmarks/bench_ingest.py [--runs 5] [--out reports/bench]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from _common import machine, write_json

from core import get_settings
from ingest import ReportIngestor

TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("reports/bench"))
    args = parser.parse_args()
    settings = get_settings()
    ingestor = ReportIngestor(settings)
    timings: list[float] = []
    corpus = None
    for _ in range(args.runs):
        start = time.perf_counter()
        corpus = ingestor.ingest()
        timings.append(time.perf_counter() - start)
    assert corpus is not None
    median = statistics.median(timings)
    result = {
        "benchmark": "ingest",
        "corpus": str(settings.corpus),
        "runs": args.runs,
        "seconds": [round(t, 4) for t in timings],
        "first_s": round(timings[0], 4),
        "median_s": round(median, 4),
        "target_s": TARGET_S,
        "passed": median < TARGET_S,
        "programmes": len(corpus.programmes),
        "articles": len(corpus.articles),
        "sections": len(corpus.sections),
        "chunks": len(corpus.chunks),
        "machine": machine(),
    }
    write_json(args.out / "bench_ingest.json", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
