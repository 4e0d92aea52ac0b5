"""/api/ask and /api/chat serve an answerer's cached answers on the event loop; /api/ask
coalesces bursts; /healthz reports the cache counters."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import replace

import anyio.to_thread
import httpx

from api import Services, create_app
from api.deps import get_answerer


class CachingAnswerer:
    """Wraps the fake answerer with a question → answer cache, like the real Assistant."""

    def __init__(self, inner, delay_s: float = 0.0):
        self.inner = inner
        self.delay_s = delay_s
        self.cache = {}
        self.asks = 0
        self.lock = threading.Lock()

    def cached_answer(self, question, conversation_id=None):
        answer = self.cache.get(question)
        return None if answer is None else replace(answer, conversation_id=conversation_id)

    def ask(self, question, conversation_id=None):
        with self.lock:
            self.asks += 1
        time.sleep(self.delay_s)
        answer = self.inner.ask(question, conversation_id)
        self.cache[question] = answer
        return answer

    def stream(self, question, conversation_id=None):
        return self.inner.stream(question, conversation_id)


def _app(settings, answerer):
    app = create_app(settings, services=Services(error="tests inject fakes"))
    app.dependency_overrides[get_answerer] = lambda: answerer
    return app


async def _post_many(app, questions):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(
            *(client.post("/api/ask", json={"question": q}) for q in questions)
        )


def test_cached_answer_skips_the_worker(settings, answerer):
    caching = CachingAnswerer(answerer)
    app = _app(settings, caching)
    question = "小規模事業資金（ミニ）の利率は？"
    first = asyncio.run(_post_many(app, [question]))[0]
    second = asyncio.run(_post_many(app, [question]))[0]
    assert first.status_code == second.status_code == 200
    assert caching.asks == 1
    assert second.json()["answer"] == first.json()["answer"]
    # One-shot questions: no conversation is started for either.
    assert first.json()["conversation_id"] is None and second.json()["conversation_id"] is None


def test_a_burst_of_one_question_is_composed_once(settings, answerer):
    caching = CachingAnswerer(answerer, delay_s=0.2)
    app = _app(settings, caching)
    burst = ["展示会の出展料の補助は？"] * 8 + ["創業の相談窓口は？"] * 4
    responses = asyncio.run(_post_many(app, burst))
    assert all(r.status_code == 200 for r in responses)
    assert caching.asks == 2  # one composition per distinct question
    assert {r.json()["conversation_id"] for r in responses} == {None}  # one-shot: none kept


def test_answerer_without_cache_still_works(settings, answerer):
    app = _app(settings, answerer)
    responses = asyncio.run(_post_many(app, ["創業の相談窓口は？"] * 3))
    assert all(r.status_code == 200 for r in responses)
    assert len(answerer.calls) == 3


def test_healthz_reports_cache_counters(settings, answerer, corpus, fakes):
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from index import LruCache  # noqa: PLC0415

    answerer.answers = LruCache(4)
    answerer.answers.put("q", "a")
    answerer.answers.get("q")
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    body = TestClient(create_app(settings, services=services)).get("/healthz").json()
    assert body["caches"]["answer"]["hits"] == 1
    assert body["caches"]["answer"]["stores"] == 1


def test_no_coalescing_when_the_answerer_caches_nothing(settings, answerer):
    caching = CachingAnswerer(answerer, delay_s=0.05)
    caching.answer_cache_enabled = False
    caching.cached_answer = lambda question, conversation_id=None: None
    app = _app(settings, caching)
    registered = []

    class Recording(dict):
        def __setitem__(self, key, value):
            registered.append(key)
            super().__setitem__(key, value)

    app.state.answers_in_flight = Recording()
    responses = asyncio.run(_post_many(app, ["創業の相談窓口は？"] * 4))
    assert all(r.status_code == 200 for r in responses)
    assert caching.asks == 4
    assert registered == []  # nobody waited for a composition that would not be cached


# -- /api/chat: the same fast path, streamed ----------------------------------------------------


def _sse(text):
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


class _ThreadHops:
    """Counts thread-pool hops (sync dependencies, sync body iterators, to_thread calls)."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = anyio.to_thread.run_sync

        async def counting(*args, **kwargs):
            self.count += 1
            return await real(*args, **kwargs)

        monkeypatch.setattr(anyio.to_thread, "run_sync", counting)


def _chat_app(settings, answerer):
    app = create_app(settings, services=Services(error="tests inject fakes"))

    async def the_answerer():  # async: a sync override would itself hop to a thread
        return answerer

    app.dependency_overrides[get_answerer] = the_answerer
    return app


async def _chat(app, question, conversation_id=None):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = {"question": question, "conversation_id": conversation_id}
        return await client.post("/api/chat", json=body)


class RecordingCache(CachingAnswerer):
    def __init__(self, inner):
        super().__init__(inner)
        self.lookup_threads = []
        self.streams = 0

    def cached_answer(self, question, conversation_id=None):
        self.lookup_threads.append(threading.get_ident())
        return super().cached_answer(question, conversation_id)

    def stream(self, question, conversation_id=None):
        self.streams += 1
        return super().stream(question, conversation_id)


def test_cached_chat_streams_from_the_event_loop(settings, answerer, monkeypatch):
    caching = RecordingCache(answerer)
    app = _chat_app(settings, caching)
    question = "小規模事業資金（ミニ）の利率は？"
    hops = _ThreadHops(monkeypatch)

    cold = asyncio.run(_chat(app, question))
    assert cold.status_code == 200 and caching.streams == 1
    assert hops.count > 0  # the uncached answer is composed in a worker thread
    caching.ask(question)  # the real Assistant fills its cache while streaming
    hops.count = 0

    warm = asyncio.run(_chat(app, question))
    assert warm.status_code == 200
    assert warm.headers["content-type"].startswith("text/event-stream")
    assert hops.count == 0 and caching.streams == 1  # no worker, no composition
    assert caching.lookup_threads[-1] == threading.get_ident()  # the event loop's thread

    events = _sse(warm.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["answer", "done"]
    assert set(names[1:-2]) == {"delta"}
    assert events[0][1] == {"conversation_id": None}  # a one-shot question
    final = events[-2][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == final["answer"]
    assert final["conversation_id"] is None
    assert final["citations"] and "1.3%" in final["answer"]
    assert _sse(cold.text)[-2][1]["answer"] == final["answer"]  # same answer either way


def test_chat_without_a_cache_hit_uses_the_stream(settings, answerer):
    caching = RecordingCache(answerer)
    caching.answer_cache_enabled = False
    caching.cache["創業の相談窓口は？"] = "never served: the cache is off"
    app = _chat_app(settings, caching)
    response = asyncio.run(_chat(app, "創業の相談窓口は？"))
    assert response.status_code == 200
    assert caching.streams == 1 and caching.lookup_threads == []
    assert [name for name, _ in _sse(response.text)][-1] == "done"


def test_healthz_counts_are_integers(settings, answerer, corpus, fakes):
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from index import LruCache  # noqa: PLC0415

    answerer.answers = LruCache(4)
    answerer.answers.put("q", "a")
    answerer.answers.get("q")
    answerer.answers.get("missing")
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    stats = TestClient(create_app(settings, services=services)).get("/healthz").json()
    answer = stats["caches"]["answer"]
    for key in ("size", "maxsize", "hits", "misses", "stores"):
        assert type(answer[key]) is int, key
    assert answer == {
        "size": 1,
        "maxsize": 4,
        "hits": 1,
        "misses": 1,
        "stores": 1,
        "hit_rate": 0.5,
    }
    assert type(answer["hit_rate"]) is float
