"""Run every benchmark script in turn (``make bench``); each writes its JSON under --out.

    .venv/bin/python benchmarks/run_all.py [--out reports/bench] [--only ingest search ...]

Each script runs in its own process, so one's warm caches do not flatter the next. The exit
status is non-zero when a script fails; the speed targets themselves are in each JSON, and
``summary.json`` gathers their headline figures (p50/p95, targets, load average) in one file.
Everything is bounded and on loopback: the load tests start their own server and stop it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import machine, write_json

HERE = Path(__file__).resolve().parent

# name -> (script, or "module:" + a module run with -m; how its --out is given: a folder or a
# file inside it)
BENCHMARKS: dict[str, tuple[str, str | None]] = {
    "ingest": ("bench_ingest.py", None),
    "search": ("bench_search.py", "search.json"),
    "retrieval": ("module:eval.retrieval_benchmark", "retrieval.json"),
    "ask": ("bench_ask.py", None),
    "load": ("load_test.py", None),
    "hostile": ("hostile_inputs.py", "hostile_inputs.json"),
    "topics": ("bench_topics.py", "topics.json"),
}
_EXTRA_ARGS: dict[str, list[str]] = {}
# --quick: skip the two full index builds of bench_search (minutes of embedding).
_QUICK_ARGS = {"search": ["--latency-only"]}
# name -> the JSON file the script writes under --out
_OUTPUTS = {
    "ingest": "bench_ingest.json",
    "search": "search.json",
    "retrieval": "retrieval.json",
    "ask": "bench_ask.json",
    "load": "load_test.json",
    "hostile": "hostile_inputs.json",
    "topics": "topics.json",
}


def _command(name: str, out: Path, quick: bool = False) -> list[str]:
    script, file_name = BENCHMARKS[name]
    target = out / file_name if file_name else out
    extra = _EXTRA_ARGS.get(name, []) + (_QUICK_ARGS.get(name, []) if quick else [])
    run = (
        ["-m", script.removeprefix("module:")] if script.startswith("module:") else [HERE / script]
    )
    return [sys.executable, *map(str, run), "--out", str(target), *extra]


def _headline(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The figures a reader compares across runs; the full JSON stays beside it."""
    keys = {
        "ingest": ("median_s", "first_s", "passed"),
        "search": ("search_ms", "search_repeat_ms", "targets", "target_search_p95_lt_50ms"),
        "retrieval": (),
        "ask": ("p50_ms", "p95_ms", "repeat_ms", "passed"),
        "load": ("target", "meets_target", "saturation_speedup_2_vs_1"),
        "hostile": ("passed",),
    }.get(name.split("_", maxsplit=1)[0], ())
    out = {key: data[key] for key in keys if key in data}
    for workers, run in (data.get("by_workers") or {}).items():
        out[f"workers_{workers}"] = run.get("median")
    if "cache_hit_rates" in data:
        out["cache_hit_rates"] = data["cache_hit_rates"]
    out["loadavg_1_5_15"] = (data.get("machine") or {}).get("loadavg_1_5_15")
    return out


def _summary(out: Path, names: list[str], seconds: dict[str, float]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in names:
        path = out / _OUTPUTS[name]
        entry: dict[str, Any] = {"seconds": round(seconds.get(name, 0.0), 1), "file": path.name}
        try:
            entry |= _headline(name, json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            entry["error"] = f"no result: {exc}"
        results[name] = entry
    return {"benchmarks": results, "machine": machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/bench"))
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--quick", action="store_true", help="search: latency only, no builds")
    args = parser.parse_args(argv)
    failed = []
    names = args.only or list(BENCHMARKS)
    seconds: dict[str, float] = {}
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        code = subprocess.call(_command(name, args.out, args.quick))
        seconds[name] = time.perf_counter() - started
        print(f"== {name}: exit {code} in {seconds[name]:.1f}s", flush=True)
        if code != 0:
            failed.append(name)
    summary = _summary(args.out, names, seconds)
    summary["failed"] = failed
    summary["quick"] = args.quick
    print(f"wrote {write_json(args.out / 'summary.json', summary)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
