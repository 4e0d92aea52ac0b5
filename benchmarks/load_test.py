"""Load test of the API on loopback: N concurrent clients each asking M questions.

The server runs in its own process (uvicorn), the clients in this one (httpx, asyncio),
so the numbers include HTTP, JSON and the answerer, as a user would see them.

    .venv/bin/python benchmarks/load_test.py                 # real stages (builds index if needed)
    .venv/bin/python benchmarks/load_test.py --answerer fake # the web layer alone (test fakes)

Clients cycle through a pool of --pool distinct questions (the owners' examples below, then
single-turn gold questions), so popular questions repeat as in real use; the answer and
search caches' hit rates are read from /healthz before and after. ``--no-cache`` starts the
server with both caches off, for the honest uncached figure.

Writes JSON (p50/p95/p99, errors, throughput, cache hit rate, load average) to --out
(a .json file or a folder).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300.0
# Owners' typical questions: amounts, rates, contacts, the ordinance, and one the report
# cannot answer (the "not in the report" path must be fast too).
QUESTIONS = (
    "展示会の出展料に使える補助金の上限額はいくらですか？",
    "小規模事業資金の限度額と利率を教えてください。",
    "創業について相談できる窓口はどこですか？",
    "条例第12条には何が定められていますか？",
    "信用保証料の補助はありますか？",
    "ものづくり企業の販路開拓を支援する事業は？",
    "融資制度の予算はいくらですか？",
    "宇宙旅行の補助金はありますか？",
)


def question_pool(size: int) -> list[str]:
    """``size`` distinct questions: the examples above, then single-turn gold questions
    spread over the categories (every n-th line, so no category dominates)."""
    pool = list(dict.fromkeys(QUESTIONS))
    gold: list[str] = []
    for path in sorted((ROOT / "eval" / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            question = json.loads(line).get("question") if line.strip() else None
            if isinstance(question, str) and question not in pool:
                gold.append(question)
    need = size - len(pool)
    if need > 0 and gold:
        step = max(1, len(gold) // need)
        pool.extend(gold[::step][:need])
    return pool[:size]


def fake_app() -> Any:
    """uvicorn factory: the app with the API tests' fakes (no models, no index)."""
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("api_test_fakes", ROOT / "tests/api/fakes.py")
    assert spec and spec.loader
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)
    from api import Services, create_app  # noqa: PLC0415

    corpus = fakes.build_corpus()
    services = Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))
    return create_app(services=services)


def chroma_app() -> Any:
    """uvicorn factory: the real app with dense ranking through Chroma/llama-index on every
    query (the path before the in-memory exact ranking), to measure what that costs."""
    sys.path.insert(0, str(ROOT))
    import index.dense  # noqa: PLC0415

    index.dense.EXACT_MAX_ROWS = 0
    from api import create_app  # noqa: PLC0415

    return create_app()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    target = "load_test:fake_app" if args.answerer == "fake" else args.factory
    command = [
        sys.executable, "-m", "uvicorn", "--factory", target,
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--app-dir", str(Path(__file__).resolve().parent), "--no-access-log",
        "--http", args.http, "--loop", args.loop,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    if args.no_cache:
        env |= {f"SME_{name}_CACHE_SIZE": "0" for name in ("ANSWER", "SEARCH", "QUERY")}
    return subprocess.Popen(command, cwd=ROOT, env=env)


async def _wait_ready(client: Any, base: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            response = await client.get(f"{base}/healthz")
            if response.status_code == 200:
                health: dict[str, Any] = response.json()
                return health
        except Exception:  # not listening yet
            pass
        await asyncio.sleep(0.25)
    raise SystemExit(f"server did not come up within {timeout_s:.0f}s")


class _Connection:
    """A minimal keep-alive HTTP/1.1 client: httpx's own CPU cost and pool locking would
    otherwise be measured too, on the same two cores as the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        body = json.dumps(payload, ensure_ascii=False).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def _client(
    port: int,
    index: int,
    *,
    pool: list[str],
    count: int,
    latencies: list[float],
    failures: list[str],
) -> None:
    connection = _Connection(port)
    try:
        for n in range(count):
            question = pool[(index + n) % len(pool)]
            started = time.perf_counter()
            try:
                status, data = await connection.post_json("/api/ask", {"question": question})
                if status != 200 or "answer" not in json.loads(data):
                    failures.append(f"HTTP {status}")
            except Exception as exc:  # a dropped connection is an error too
                failures.append(type(exc).__name__)
                await connection.close()
                connection = _Connection(port)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await connection.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[rank], 1)


def _hit_rates(before: dict[str, Any], after: dict[str, Any], requests: int) -> dict[str, Any]:
    """Per cache, during the measured run only (warm-up excluded): lookups, hits, stores.

    For the answer cache ``stores`` is the number of answers composed, so
    ``requests_served_from_cache`` = 1 - stores / requests; its lookup hit rate is lower
    because a request that waited for a composition in flight looks up twice.
    """
    out: dict[str, Any] = {}
    for name, end in (after.get("caches") or {}).items():
        start = (before.get("caches") or {}).get(name, {})
        hits, misses, stores = (
            int(end.get(key, 0) - start.get(key, 0)) for key in ("hits", "misses", "stores")
        )
        out[name] = {
            "lookups": hits + misses,
            "hits": hits,
            "stores": stores,
            "hit_rate": round(hits / (hits + misses), 4) if hits + misses else 0.0,
        }
    enabled = ((after.get("caches") or {}).get("answer") or {}).get("maxsize", 0) > 0
    if "answer" in out and requests and enabled:
        composed = out["answer"]["stores"]
        out["answer"]["requests_served_from_cache"] = round(1 - composed / requests, 4)
    return out


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx  # noqa: PLC0415

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    pool = question_pool(args.pool)
    server = _start_server(args, port)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    try:
        async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as client:
            health = await _wait_ready(client, base, args.startup_timeout)
            if health.get("status") != "ok":
                raise SystemExit(f"server is not ready: {health.get('error')}")
            # Warm-up: first calls load lazy parts (tokeniser dictionaries). Questions
            # outside the pool, so the measured run starts with cold answer caches.
            for question in ("ウォームアップ", "テスト用の質問です"):
                await client.post(f"{base}/api/ask", json={"question": question})
            before = (await client.get(f"{base}/healthz")).json()
            load_before = machine()["loadavg_1_5_15"]
            latencies: list[float] = []
            failures: list[str] = []
            started = time.perf_counter()
            clients = (
                _client(
                    port,
                    i,
                    pool=pool,
                    count=args.questions,
                    latencies=latencies,
                    failures=failures,
                )
                for i in range(args.clients)
            )
            await asyncio.wait_for(asyncio.gather(*clients), args.timeout * args.questions)
            wall = time.perf_counter() - started
            after = (await client.get(f"{base}/healthz")).json()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    p95 = _percentile(latencies, 95)
    return {
        "benchmark": "api_load",
        "answerer": args.answerer,
        "caches": "off" if args.no_cache else "on",
        "factory": args.factory if args.answerer == "real" else "fake",
        "http": args.http,
        "loop": args.loop,
        "distinct_questions": len(pool),
        "clients": args.clients,
        "questions_per_client": args.questions,
        "requests": len(latencies),
        "errors": len(failures),
        "error_kinds": sorted(set(failures)),
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": p95,
        "p99_ms": _percentile(latencies, 99),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "throughput_rps": round(len(latencies) / wall, 1),
        "wall_s": round(wall, 2),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": not failures and p95 < TARGET_P95_MS,
        "cache_hit_rates": _hit_rates(before, after, len(latencies)),
        "corpus": health.get("corpus"),
        "loadavg_before_1_5_15": load_before,
        "machine": machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answerer", choices=("real", "fake"), default="real")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20, help="questions per client")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--pool", type=int, default=40, help="distinct questions cycled")
    parser.add_argument(
        "--no-cache", action="store_true", help="answer, search and query-vector caches off"
    )
    parser.add_argument(
        "--factory", default="api.app:create_app", help="uvicorn app factory (real answerer)"
    )
    parser.add_argument("--http", choices=("auto", "h11", "httptools"), default="httptools")
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.questions <= 200 and 1 <= args.pool <= 500):
        parser.error("keep it bounded: 1–200 clients, 1–200 questions each, pool 1–500")
    result = asyncio.run(_run(args))
    suffix = "_nocache" if args.no_cache else ""
    name = f"load_test_{args.answerer}{suffix}.json"
    out = args.out if args.out.suffix == ".json" else args.out / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"wrote {out}")
    if result["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
