"""The assistant's answer cache: reused only when a turn cannot depend on an earlier one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant import Assistant
from assistant.sources import SourceLines

FIRST = "ものづくり中小企業経営革新等支援事業の補助上限は？"
FOLLOW_UP = "小規模事業者だったら？"


class CountingSearcher:
    def __init__(self, inner):
        self.inner = inner
        self.calls = 0

    def search(self, query, k, filters=None):
        self.calls += 1
        return self.inner.search(query, k, filters)


@pytest.fixture()
def make(corpus, settings, fake_searcher_cls):
    def build(cache_size: int = 64) -> tuple[Assistant, CountingSearcher]:
        searcher = CountingSearcher(fake_searcher_cls(corpus))
        tuned = settings.model_copy(update={"answer_cache_size": cache_size})
        return Assistant(corpus, searcher, tuned, SourceLines.read(settings.corpus)), searcher

    return build


def _same(a, b):
    blank = {"conversation_id": None, "latency_ms": 0.0}
    return replace(a, **blank) == replace(b, **blank)


def test_repeated_question_is_served_from_cache(make):
    assistant, searcher = make()
    first = assistant.ask(FIRST)
    calls = searcher.calls
    again = assistant.ask(FIRST)
    assert searcher.calls == calls  # no retrieval the second time
    assert _same(first, again)
    assert first.conversation_id is None and again.conversation_id is None  # one-shot
    assert len(assistant.conversations) == 0
    assert assistant.answers.stats()["hits"] >= 1


def test_a_cached_first_turn_still_anchors_follow_ups(make):
    cached, _ = make()
    plain, _ = make(cache_size=0)
    cached.ask(FIRST)  # fills the cache
    hit = cached.ask(FIRST, "chat")  # served from the cache, in a new conversation
    assert hit.conversation_id == "chat"
    follow = cached.ask(FOLLOW_UP, "chat")
    plain.ask(FIRST, "chat")
    expected = plain.ask(FOLLOW_UP, "chat")
    assert _same(follow, expected)
    assert "50万円" in follow.answer.splitlines()[0]


def test_follow_up_with_context_is_not_answered_from_cache(make):
    cached, searcher = make()
    plain, _ = make(cache_size=0)
    alone = cached.ask(FOLLOW_UP)  # no context: cached under the question
    cached.ask(FIRST, "chat")
    calls = searcher.calls
    follow = cached.ask(FOLLOW_UP, "chat")
    assert searcher.calls > calls  # composed afresh with the previous turn
    plain.ask(FIRST, "chat")
    expected = plain.ask(FOLLOW_UP, "chat")
    assert _same(follow, expected)
    assert not _same(follow, alone)


def test_cache_off_always_composes(make):
    assistant, searcher = make(cache_size=0)
    assistant.ask(FIRST)
    calls = searcher.calls
    assistant.ask(FIRST)
    assert searcher.calls > calls
    assert len(assistant.answers) == 0


def test_stream_of_a_cached_answer_matches(make):
    assistant, _ = make()
    assistant.ask(FIRST)
    pieces = list(assistant.stream(FIRST))
    final = pieces[-1]
    assert "".join(p for p in pieces[:-1] if isinstance(p, str)) == final.answer


def test_cached_answer_lookup_is_cheap_and_exact(make):
    assistant, searcher = make()
    assert assistant.cached_answer(FIRST) is None
    assistant.ask(FIRST)
    calls = searcher.calls
    assert assistant.cached_answer(FIRST, "conv-1") is not None
    assert assistant.cached_answer(FIRST + " ") is None  # keys are exact questions
    assert searcher.calls == calls
