"""Bursts of new questions: /api/chat composes a question once however many ask it, spellings
that NFKC makes one are composed one at a time (on /api/ask too), and no more questions are
composed at once than the answer limiter allows."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace

import anyio
import httpx

from api import Services, create_app
from api.deps import get_answerer
from assistant import Answer

SPELLINGS = (
    "第１５条は何について？",
    "第15条は何について？",
    "第15条は何について?",
    "第１５条は何について?",
)


class SlowComposer:
    """Like the real Assistant: ``stream`` composes (slowly), caches the answer, then sends
    it by line; it records how many compositions ran and how many at once."""

    answer_cache_enabled = True

    def __init__(self, inner, delay_s: float = 0.05):
        self.inner = inner
        self.delay_s = delay_s
        self.cache: dict[str, Answer] = {}
        self.composed: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def cached_answer(self, question, conversation_id=None):
        answer = self.cache.get(question)
        return None if answer is None else replace(answer, conversation_id=conversation_id)

    def stream(self, question, conversation_id=None):
        with self.lock:
            self.composed.append(question)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay_s)
            answer = self.inner.ask(question, conversation_id)
        finally:
            with self.lock:
                self.running -= 1
        self.cache[question] = answer
        yield from answer.answer.splitlines(keepends=True)
        yield answer

    def ask(self, question, conversation_id=None):
        return [piece for piece in self.stream(question, conversation_id)][-1]


def _app(settings, answerer, capacity: int = 2):
    app = create_app(settings, services=Services(error="tests inject fakes"))
    app.dependency_overrides[get_answerer] = lambda: answerer
    app.state.answer_limiter = anyio.CapacityLimiter(capacity)
    return app


async def _post_all(app, path, questions):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(*(client.post(path, json={"question": q}) for q in questions))


def _ends_with_its_answer(response) -> bool:
    events = [line[7:] for line in response.text.splitlines() if line.startswith("event: ")]
    return (
        response.status_code == 200
        and "error" not in events
        and events[-2:]
        == [
            "answer",
            "done",
        ]
    )


def test_a_chat_burst_of_one_question_is_composed_once(settings, answerer):
    composer = SlowComposer(answerer)
    responses = asyncio.run(_post_all(_app(settings, composer), "/api/chat", [SPELLINGS[0]] * 12))
    assert all(_ends_with_its_answer(r) for r in responses)
    assert composer.composed == [SPELLINGS[0]]


def test_equivalent_spellings_are_composed_one_at_a_time_each_once(settings, answerer):
    for path in ("/api/chat", "/api/ask"):
        composer = SlowComposer(answerer)
        burst = list(SPELLINGS) * 3
        responses = asyncio.run(_post_all(_app(settings, composer), path, burst))
        assert all(r.status_code == 200 for r in responses), path
        assert sorted(composer.composed) == sorted(SPELLINGS), path  # each spelling once
        assert composer.most_at_once == 1, path  # never two of them at the same time


def test_chat_composes_no_more_questions_at_once_than_the_limiter_allows(settings, answerer):
    composer = SlowComposer(answerer)
    questions = [f"質問{i}の補助上限は？" for i in range(8)]
    app = _app(settings, composer, capacity=2)
    responses = asyncio.run(_post_all(app, "/api/chat", questions))
    assert all(_ends_with_its_answer(r) for r in responses)
    assert len(composer.composed) == 8
    assert composer.most_at_once <= 2


class FollowUps(SlowComposer):
    """Never serves a follow-up from the cache: it depends on each conversation."""

    def cached_answer(self, question, conversation_id=None):
        return None if question.startswith("その") else super().cached_answer(question)


def test_waiting_requests_compose_their_own_follow_ups_side_by_side(settings, answerer):
    for path in ("/api/chat", "/api/ask"):
        composer = FollowUps(answerer)
        responses = asyncio.run(_post_all(_app(settings, composer), path, ["その利率は？"] * 4))
        assert all(r.status_code == 200 for r in responses), path
        assert len(composer.composed) == 4, path  # one per conversation
        assert composer.most_at_once == 2, path  # after the first, two at a time (the limiter)
