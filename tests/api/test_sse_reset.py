"""/api/chat turns the answerer's StreamReset into an SSE `reset` event; the web chat obeys it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from api import Services, create_app
from assistant import Answer, StreamReset
from core import Settings

QUESTION = "小規模事業資金（ミニ）の限度額は？"
RETRACTED = "限度額は9,999万円です。"  # what an LLM wrote before the guard stopped it


class RetractingAnswerer:
    """Streams an unfaithful sentence, retracts it, then streams the grounded answer."""

    def __init__(self, inner, delay_s: float = 0.0) -> None:
        self.inner = inner
        self.delay_s = delay_s

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        return self.inner.ask(question, conversation_id)

    def stream(
        self, question: str, conversation_id: str | None = None
    ) -> Iterator[str | StreamReset | Answer]:
        final = self.inner.ask(question, conversation_id)
        for piece in (RETRACTED[:6], RETRACTED[6:], StreamReset("guard"), *final.answer):
            time.sleep(self.delay_s)
            yield piece
        yield final


def _events(body: str) -> list[tuple[str, dict]]:
    out = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((fields["event"], json.loads(fields["data"])))
    return out


@pytest.fixture
def answerer(fakes, corpus):
    return RetractingAnswerer(fakes.FakeAnswerer(corpus))


def test_chat_sends_reset_then_the_replacing_text(client):
    response = client.post("/api/chat", json={"question": QUESTION})
    events = _events(response.text)
    names = [name for name, _ in events]
    assert names[:4] == ["meta", "delta", "delta", "reset"]
    assert names[-2:] == ["answer", "done"] and names.count("reset") == 1
    assert events[3][1] == {"reason": "guard"}
    shown = ""  # what a client following the protocol displays
    for name, data in events:
        if name == "reset":
            shown = ""
        elif name == "delta":
            shown += data["text"]
    final = events[-2][1]
    assert shown == final["answer"] and "9,999" not in shown
    assert final["answerable"] and final["citations"]


def test_ask_is_unaffected_by_the_stream_signal(client):
    body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert "9,999" not in body["answer"] and body["answerable"]


def test_openapi_documents_the_reset_event(client):
    doc = client.get("/openapi.json").json()
    ok = doc["paths"]["/api/chat"]["post"]["responses"]["200"]
    assert "reset" in ok["description"]
    schema = ok["content"]["text/event-stream"]["schema"]
    assert "reset" in schema["properties"]["event"]["enum"]


@pytest.mark.browser
def test_web_chat_clears_the_bubble_on_reset(browser, serve, fakes, tmp_path):
    corpus = fakes.build_corpus()
    answerer = RetractingAnswerer(fakes.FakeAnswerer(corpus), delay_s=0.05)
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    with serve(create_app(Settings(data_dir=tmp_path), services=services)) as base:
        context = browser.new_context(locale="ja-JP")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + "/")
        page.evaluate(
            """() => {
            window.__seen = [];
            new MutationObserver(() => {
              const node = document.querySelector('.msg-assistant .answer-text');
              if (node) window.__seen.push(node.textContent);
            }).observe(document.getElementById('messages'),
                       {subtree: true, childList: true, characterData: true});
        }"""
        )
        page.fill("#chat-input", QUESTION)
        page.press("#chat-input", "Enter")
        page.wait_for_function(
            "() => document.querySelector('.msg-assistant') &&"
            " !document.querySelector('.msg-assistant[aria-busy]')"
        )
        final = answerer.ask(QUESTION).answer
        seen: list[str] = page.evaluate("() => window.__seen")
        context.close()
    assert RETRACTED in seen  # the retracted text was shown while it streamed …
    after = seen[seen.index(RETRACTED) + 1 :]
    assert "" in after  # … then cleared by the reset …
    assert final[:1] in after  # … and the grounded answer streamed from its start
    assert all("9,999" not in text for text in after[after.index("") :])
    assert seen[-1] == final
