"""Load test of the real API on loopback: 1 vs N server workers, uncached distinct questions.

The server runs as ``sme-assistant serve --workers N`` in its own processes; the clients run
in this one (asyncio, a minimal keep-alive HTTP/1.1 client, so the client's own CPU stays
small on the same two cores). For each worker count, two phases:

- **paced** (the target): 50 clients send requests on a fixed schedule of ``--rate`` answers
  per second in all for ``--duration`` seconds (an open, constant-arrival-rate load). Latency
  is measured from each request's scheduled time, so a server that falls behind shows it as
  latency (no coordinated omission). answers/s = answers completed / the schedule's span, as
  constant-arrival-rate load tools count it; ``drain_s`` is how long the last answers took
  after the last scheduled send (long when the server could not keep up).
- **saturation**: the same clients ask back to back; answers/s is the most the server gives.
  (With 50 clients always waiting, latency there is clients / throughput by Little's law,
  which is why the latency target is read from the paced phase.)

Caches are off by default (answer, search and query-vector caches), so every answer is
composed: the honest uncached figure. Server CPU per answer is read from /proc for the server
process tree, and CPU per stage from the ``stages`` counters the app reports in /healthz.

    .venv/bin/python benchmarks/load_test.py                         # workers 1 and 2
    .venv/bin/python benchmarks/load_test.py --workers 2 --repeat 3  # medians of 3 runs
    .venv/bin/python benchmarks/load_test.py --cache on              # popular questions cached

Writes JSON to --out (a .json file or a folder). Everything is bounded and on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import ROOT, gold_questions, machine, percentile, write_json

TARGET_RATE = 45.0  # answers/s with 2 workers on 2 cores
TARGET_P95_MS = 400.0
OFFERED_RATE = TARGET_RATE  # the paced phase offers the target rate


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(workers: int, port: int, cache: bool) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "api.cli", "serve", "--no-index", "--workers", str(workers),
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    if not cache:
        env |= {f"SME_{name}_CACHE_SIZE": "0" for name in ("ANSWER", "SEARCH", "QUERY")}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child, parent = int(entry.name), int(fields[1])
        children.setdefault(parent, []).append(child)
        stats[child] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, 0.0)
        todo.extend(children.get(current, []))
    return total


class _Connection:
    """Keep-alive HTTP/1.1 POST of JSON, reading one Content-Length body per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post_json(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        body = json.dumps(payload, ensure_ascii=False).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await writer.drain()
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        return int(status_line.split()[1]), await reader.readexactly(length)

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _ask(connection: _Connection, question: str, failures: list[str]) -> _Connection:
    try:
        status, data = await connection.post_json("/api/ask", {"question": question})
        if status != 200 or "answer" not in json.loads(data):
            failures.append(f"HTTP {status}")
    except Exception as exc:  # a dropped connection is an error too
        failures.append(type(exc).__name__)
        await connection.close()
        connection = _Connection(connection.port)
    return connection


async def _paced_client(
    port: int, schedule: list[tuple[float, str]], latencies: list[float], failures: list[str]
) -> None:
    connection = _Connection(port)
    try:
        for due, question in schedule:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            connection = await _ask(connection, question, failures)
            latencies.append((time.perf_counter() - due) * 1000)
    finally:
        await connection.close()


async def _closed_client(
    port: int, questions: list[str], latencies: list[float], failures: list[str]
) -> None:
    connection = _Connection(port)
    try:
        for question in questions:
            started = time.perf_counter()
            connection = await _ask(connection, question, failures)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await connection.close()


def _figures(latencies: list[float], failures: list[str], wall: float) -> dict[str, Any]:
    """Counts and latency percentiles; ``wall`` is the time the answers are counted over."""
    return {
        "answers": len(latencies) - len(failures),
        "errors": len(failures),
        "error_kinds": sorted(set(failures)),
        "answers_per_s": round((len(latencies) - len(failures)) / wall, 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "wall_s": round(wall, 2),
    }


async def _phase(
    server: subprocess.Popen[bytes],
    port: int,
    kind: str,
    pool: list[str],
    args: Any,
    *,
    offset: int,
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    cpu_before = _tree_cpu_s(server.pid)
    start = time.perf_counter() + 0.2
    total = int(args.rate * args.duration)
    if kind == "paced":
        schedules: list[list[tuple[float, str]]] = [[] for _ in range(args.clients)]
        for n in range(total):
            question = pool[(offset + n) % len(pool)]
            schedules[n % args.clients].append((start + n / args.rate, question))
        runs = [_paced_client(port, s, latencies, failures) for s in schedules]
    else:
        per_client = args.closed_questions
        runs = [
            _closed_client(
                port,
                [pool[(offset + c * per_client + n) % len(pool)] for n in range(per_client)],
                latencies,
                failures,
            )
            for c in range(args.clients)
        ]
    await asyncio.wait_for(asyncio.gather(*runs), timeout=args.timeout)
    wall = time.perf_counter() - start
    span = total / args.rate if kind == "paced" else wall
    result = _figures(latencies, failures, span)
    if kind == "paced":
        result["drain_s"] = round(max(0.0, wall - span), 2)
    cpu = _tree_cpu_s(server.pid) - cpu_before
    result["server_cpu_ms_per_answer"] = round(1000 * cpu / max(1, result["answers"]), 1)
    return result


async def _get_json(port: int, path: str) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    raw = await reader.read()
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode("latin-1"))
    data: dict[str, Any] = json.loads(body)
    return data


async def _wait_ready(port: int, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            return await _get_json(port, "/healthz")
        except (OSError, ConnectionError, ValueError):
            await asyncio.sleep(0.5)
    raise SystemExit(f"server did not come up within {timeout_s:.0f}s")


def _stage_cpu(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    """CPU ms per answer by stage, from one worker's counters (the one that answered)."""
    start, end = before.get("stages") or {}, after.get("stages") or {}
    answers = end.get("answers", 0) - start.get("answers", 0)
    if answers <= 0:
        return {}
    return {
        name: round((end[name] - start.get(name, 0.0)) / answers, 2)
        for name in end
        if name != "answers"
    }


async def _measure(workers: int, args: Any, pool: list[str]) -> dict[str, Any]:
    port = _free_port()
    server = _start_server(workers, port, args.cache == "on")
    try:
        health = await _wait_ready(port, args.startup_timeout)
        # Warm every worker (lazy dictionaries, first embeddings) with questions outside the
        # measured slices of the pool.
        warm = [_closed_client(port, pool[-3:], [], []) for _ in range(4 * workers)]
        await asyncio.gather(*warm)
        runs = []
        for repeat in range(args.repeat):
            before = await _get_json(port, "/healthz")
            paced = await _phase(server, port, "paced", pool, args, offset=repeat * 97)
            middle = await _get_json(port, "/healthz")
            saturation = await _phase(server, port, "saturation", pool, args, offset=repeat * 89)
            runs.append(
                {
                    "paced": paced,
                    "saturation": saturation,
                    "stage_cpu_ms_per_answer": _stage_cpu(before, middle),
                }
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    def median(phase: str, key: str) -> float:
        return round(statistics.median(run[phase][key] for run in runs), 1)

    return {
        "workers": workers,
        "runs": runs,
        "median": {
            phase: {k: median(phase, k) for k in ("answers_per_s", "p50_ms", "p95_ms")}
            | {"errors": sum(run[phase]["errors"] for run in runs)}
            for phase in ("paced", "saturation")
        },
        "corpus": health.get("corpus"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=OFFERED_RATE, help="paced answers/s offered")
    parser.add_argument("--duration", type=float, default=20.0, help="paced phase, seconds")
    parser.add_argument("--closed-questions", type=int, default=10, help="per client")
    parser.add_argument("--repeat", type=int, default=1, help="phases per server start")
    parser.add_argument("--cache", choices=("on", "off"), default="off")
    parser.add_argument("--timeout", type=float, default=300.0, help="per phase, seconds")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench")
    args = parser.parse_args()
    if not (
        1 <= args.clients <= 200
        and 1 <= args.rate <= 500
        and 1 <= args.duration <= 120
        and 1 <= args.repeat <= 5
        and all(1 <= w <= 8 for w in args.workers)
    ):
        parser.error("keep it bounded: 1–200 clients, rate ≤ 500/s, ≤ 120 s, ≤ 5 repeats")
    pool = gold_questions(single_turn_only=True)
    results = {str(w): asyncio.run(_measure(w, args, pool)) for w in args.workers}
    best = results.get("2") or results[str(max(args.workers))]
    paced = best["median"]["paced"]
    result: dict[str, Any] = {
        "benchmark": "api_load",
        "caches": args.cache,
        "clients": args.clients,
        "paced_rate": args.rate,
        "paced_duration_s": args.duration,
        "distinct_questions": len(pool),
        "by_workers": results,
        "target": {"answers_per_s": TARGET_RATE, "p95_ms": TARGET_P95_MS, "workers": 2},
        "meets_target": paced["answers_per_s"] >= TARGET_RATE
        and paced["p95_ms"] <= TARGET_P95_MS
        and paced["errors"] == 0,
        "machine": machine(),
    }
    if "1" in results and "2" in results:
        one, two = results["1"]["median"], results["2"]["median"]
        result["saturation_speedup_2_vs_1"] = round(
            two["saturation"]["answers_per_s"] / max(0.1, one["saturation"]["answers_per_s"]), 2
        )
    name = "load_test.json" if args.cache == "off" else "load_test_cached.json"
    out = write_json(args.out if args.out.suffix == ".json" else args.out / name, result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"wrote {out}")
    if any(r["median"][p]["errors"] for r in results.values() for p in ("paced", "saturation")):
        sys.exit(1)


if __name__ == "__main__":
    main()
