"""/api/ask serves an answerer's cached answers on the event loop and coalesces bursts."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace

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
    assert second.json()["conversation_id"] != first.json()["conversation_id"]


def test_a_burst_of_one_question_is_composed_once(settings, answerer):
    caching = CachingAnswerer(answerer, delay_s=0.2)
    app = _app(settings, caching)
    burst = ["展示会の出展料の補助は？"] * 8 + ["創業の相談窓口は？"] * 4
    responses = asyncio.run(_post_many(app, burst))
    assert all(r.status_code == 200 for r in responses)
    assert caching.asks == 2  # one composition per distinct question
    ids = {r.json()["conversation_id"] for r in responses}
    assert len(ids) == len(burst)  # every request still has its own conversation


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
