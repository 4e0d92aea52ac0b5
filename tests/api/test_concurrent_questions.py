"""Bursts of one question in NFKC-equivalent spellings, released together against the real
assistant behind a real server: no 5xx, and every stream ends with its answer.

The assistant's rules tokenize with Sudachi in the worker threads that answer; a tokenizer
shared by those threads failed with "Tokenizer is already in use" (500s, broken streams).
"""

from __future__ import annotations

import json
import threading

import httpx
import pytest

BURSTS = 2
BURST_SIZE = 20
# One question per burst (each new to the answer cache), spelled four ways that NFKC maps to
# one: full- or half-width digits and brackets, and ？ or ?.
QUESTIONS = (
    (
        "第15条は何について？",
        "第１５条は何について？",
        "第15条は何について?",
        "第１５条は何について?",
    ),
    (
        "小規模事業資金（ミニ）の利率は？",
        "小規模事業資金(ミニ)の利率は？",
        "小規模事業資金（ミニ）の利率は?",
        "小規模事業資金(ミニ)の利率は?",
    ),
    (
        "産学共同研究の補助上限は500万円？",
        "産学共同研究の補助上限は５００万円？",
        "産学共同研究の補助上限は500万円?",
        "産学共同研究の補助上限は５００万円?",
    ),
    (
        "2016年の市内の事業所数は？",
        "２０１６年の市内の事業所数は？",
        "2016年の市内の事業所数は?",
        "２０１６年の市内の事業所数は?",
    ),
)


@pytest.fixture
def real_app(real_assistant_app):
    return real_assistant_app[0]


def _events(body: str) -> list[str]:
    return [line.removeprefix("event: ") for line in body.splitlines() if line.startswith("event:")]


def _burst(base_url: str, path: str, questions: list[str]) -> list[httpx.Response]:
    """One request per question, each on its own connection, released at one barrier."""
    barrier = threading.Barrier(len(questions))
    responses: list[httpx.Response | None] = [None] * len(questions)

    def one(i: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            barrier.wait()
            responses[i] = client.post(path, json={"question": questions[i]})

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in responses), "a request did not finish"
    return [r for r in responses if r is not None]


def _assert_all_answered(path: str, responses: list[httpx.Response]) -> None:
    assert [r.status_code for r in responses] == [200] * len(responses), [
        r.text[:200] for r in responses if r.status_code != 200
    ]
    for response in responses:
        if path == "/api/ask":
            assert response.json()["answer"]
            continue
        events = _events(response.text)
        assert "error" not in events, response.text[-300:]
        assert events[0] == "meta" and events[-2:] == ["answer", "done"], events
        answer = json.loads(response.text.split("event: answer\ndata: ")[1].split("\n")[0])
        assert answer["answer"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
def test_bursts_of_equivalent_questions_are_all_answered(real_app, serve, path):
    with serve(real_app) as base_url:
        for spellings in QUESTIONS[:BURSTS]:
            burst = [spellings[i % len(spellings)] for i in range(BURST_SIZE)]
            _assert_all_answered(path, _burst(base_url, path, burst))


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
def test_bursts_of_different_new_questions_are_all_answered(real_app, serve, path):
    # Different questions are composed side by side (as many as the answer limiter allows).
    templates = ("第{n}条は何について？", "条例の第{n}条には何が書いてある？")
    with serve(real_app) as base_url:
        for template in templates[:BURSTS]:
            burst = [template.format(n=n) for n in range(1, BURST_SIZE + 1)]
            _assert_all_answered(path, _burst(base_url, path, burst))
