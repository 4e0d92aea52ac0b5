"""Hostile inputs against a real server on loopback: slow-to-match questions and bursts.

1. Questions built to make pattern matching slow (long kanji runs; compatibility characters
   that NFKC lengthens, ㍿ → 株式会社) each get their answer, or their refusal, within a
   second on /api/ask and /api/chat.
2. Bursts of one new question in NFKC-equivalent spellings (full/half-width digits, ？/?),
   released together at a barrier, on /api/ask and /api/chat: no 5xx, and every stream ends
   with its ``answer`` and ``done`` events (no ``error`` event).

    .venv/bin/python benchmarks/hostile_inputs.py                 # starts its own server
    .venv/bin/python benchmarks/hostile_inputs.py --base-url http://127.0.0.1:8000

The server it starts uses the environment's settings (SME_STORE_DIR…), so the index must be
built or it is built first (minutes). Writes JSON to --out; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH_DIR, ROOT, machine, summary, write_json

ANSWER_WITHIN_S = 1.0
# name → question as typed. NFKC makes the first 4,000 characters (over the 1,000 limit:
# a refusal is the right outcome, quickly); the others stay within it.
HOSTILE = {
    "square-kabushiki-kaisha-x1000": "㍿" * 1000,
    "square-kabushiki-kaisha-x250": "㍿" * 250,
    "kabushiki-kaisha-x250": "株式会社" * 250,
    "square-kiro-x500": "㌔" * 500,
    "kanji-x1000": "漢" * 1000,
    "nendo-x500": "年度" * 500,
    "circled-twenty-x500": "⑳" * 500,
    "article-1-x333": "第1条" * 333,
}
_FULL_WIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


def spellings(question: str) -> list[str]:
    """Four spellings NFKC makes one: half/full-width digits and brackets, ? or ？."""
    half = question.replace("？", "?")
    full = half.translate(_FULL_WIDTH)
    out = [half, full, half.replace("?", "？"), full.replace("?", "？")]
    assert len({unicodedata.normalize("NFKC", s) for s in out}) == 1
    return out


# One template per endpoint, so each burst asks a question new to the answer cache.
_BURST_TEMPLATES = {
    "/api/ask": "第{n}条には何が定められていますか?",
    "/api/chat": "条例の第{n}条は何について?",
}


def _events(body: str) -> list[str]:
    return [line[7:] for line in body.splitlines() if line.startswith("event: ")]


def _outcome(path: str, response: httpx.Response) -> str:
    """answered / refused (4xx, or an error event below 500) / server_error / broken."""
    if response.status_code >= 500:
        return "server_error"
    if response.status_code >= 400:
        return "refused"
    if path == "/api/ask":
        return "answered" if response.json().get("answer") else "broken"
    events = _events(response.text)
    if events[-2:] == ["answer", "done"] and "error" not in events:
        return "answered"
    if events[-2:] == ["error", "done"]:
        error = json.loads(response.text.split("event: error\ndata: ")[1].split("\n")[0])
        return "refused" if int(error.get("status", 500)) < 500 else "server_error"
    return "broken"


def hostile(base_url: str, timeout: float) -> list[dict[str, Any]]:
    """Each hostile question on each endpoint; /api/chat gets it with its last character
    replaced by ``?`` (no longer after NFKC), so it is not served from the answer cache."""
    rows = []
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        for name, typed in HOSTILE.items():
            for path, question in (("/api/ask", typed), ("/api/chat", typed[:-1] + "?")):
                started = time.perf_counter()
                status: int | None = None
                try:
                    response = client.post(path, json={"question": question})
                    status, outcome = response.status_code, _outcome(path, response)
                except httpx.HTTPError as exc:  # e.g. the server froze past --timeout
                    outcome = f"client_error:{type(exc).__name__}"
                seconds = time.perf_counter() - started
                rows.append(
                    {
                        "name": name,
                        "endpoint": path,
                        "chars_typed": len(question),
                        "chars_nfkc": len(unicodedata.normalize("NFKC", question)),
                        "status": status,
                        "outcome": outcome,
                        "seconds": round(seconds, 3),
                        "within_bound": seconds < ANSWER_WITHIN_S,
                    }
                )
    return rows


Result = tuple[str, int | None, float]  # outcome, HTTP status, milliseconds


def _burst(base_url: str, path: str, questions: list[str], timeout: float) -> list[Result]:
    """One request per question, each on its own connection, released at one barrier."""
    barrier = threading.Barrier(len(questions))
    results: list[Result] = [("no_response", None, 0.0)] * len(questions)

    def one(i: int) -> None:
        with httpx.Client(base_url=base_url, timeout=timeout) as client:
            barrier.wait()
            started = time.perf_counter()
            try:
                response = client.post(path, json={"question": questions[i]})
                outcome, status = _outcome(path, response), response.status_code
            except httpx.HTTPError as exc:
                outcome, status = f"client_error:{type(exc).__name__}", None
            results[i] = (outcome, status, (time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 2)
    return results


def bursts(base_url: str, count: int, size: int, timeout: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, template in _BURST_TEMPLATES.items():
        outcomes: dict[str, int] = {}
        statuses: dict[str, int] = {}
        latencies: list[float] = []
        for n in range(1, count + 1):
            forms = spellings(template.format(n=n))
            results = _burst(base_url, path, [forms[i % 4] for i in range(size)], timeout)
            for outcome, status, ms in results:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                latencies.append(ms)
        out[path] = {
            "bursts": count,
            "burst_size": size,
            "outcomes": outcomes,
            "statuses": statuses,
            "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
            "not_answered": sum(n for o, n in outcomes.items() if o != "answered"),
            "latency": summary(latencies),
        }
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _wait_ready(base_url: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            health: dict[str, Any] = httpx.get(f"{base_url}/healthz", timeout=5).json()
            if health.get("status") == "ok":
                return health
        except (httpx.HTTPError, ValueError):  # not listening yet
            pass
        time.sleep(0.5)
    raise SystemExit(f"server not ready within {timeout_s:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=None, help="a running server (else start one)")
    parser.add_argument("--bursts", type=int, default=8)
    parser.add_argument("--burst-size", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "hostile_inputs.json")
    args = parser.parse_args()
    if not (1 <= args.bursts <= 24 and 2 <= args.burst_size <= 100):
        parser.error("keep it bounded: 1–24 bursts of 2–100 requests")
    if args.base_url and not args.base_url.startswith(("http://127.", "http://localhost")):
        parser.error("loopback only")
    server = None
    base_url = args.base_url
    if base_url is None:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = _start_server(port)
    try:
        health = _wait_ready(base_url, args.startup_timeout)
        hostile_rows = hostile(base_url, args.timeout)
        burst_results = bursts(base_url, args.bursts, args.burst_size, args.timeout)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    passed = all(
        row["within_bound"] and row["outcome"] in ("answered", "refused") for row in hostile_rows
    ) and all(r["server_errors"] == 0 and r["not_answered"] == 0 for r in burst_results.values())
    result = {
        "benchmark": "hostile_inputs",
        "answer_within_s": ANSWER_WITHIN_S,
        "hostile": hostile_rows,
        "bursts": burst_results,
        "passed": passed,
        "corpus": health.get("corpus"),
        "machine": machine(),
    }
    out = args.out if args.out.suffix == ".json" else args.out / "hostile_inputs.json"
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"wrote {write_json(out, result)}")
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
