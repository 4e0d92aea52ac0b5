"""LLM mode streams guard-approved sentences as the model writes them, and retracts on failure."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant import Answer, StreamReset
from assistant.guard import SentenceSplitter
from assistant.text import numbers_in, quoted_numbers

QUESTION = "産学共同研究の補助上限は？"
FIRST = "産学共同研究開発プロジェクト支援は、1件あたり500万円以内です。"
SECOND_OK = "補助対象経費の2/3以内です。"
SECOND_BAD = "締切は6月30日で、上限は800万円です。"
WAIT_S = 5.0  # only reached when the code under test is broken


# -- the sentence splitter ------------------------------------------------------------


def _split(pieces: list[str]) -> list[str]:
    splitter = SentenceSplitter()
    out: list[str] = []
    for piece in pieces:
        out.extend(splitter.feed(piece))
    return out + splitter.flush()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上限は1.5%です。次です。", ["上限は1.5%です。", "次です。"]),
        ("「窓口。相談」へ。残り", ["「窓口。相談」へ。", "残り"]),
        ("本当？！はい。", ["本当？！", "はい。"]),
        ("行1\n行2", ["行1\n", "行2"]),
        ("（注。）続く。", ["（注。）続く。"]),
        ("閉じ」だけ。次", ["閉じ」だけ。", "次"]),
        ("KOBS.は支援? Yes!", ["KOBS.は支援?", " Yes!"]),
        ("", []),
    ],
)
def test_splitter_cuts_sentences_not_numbers_or_quotes(text, expected):
    assert _split([text]) == expected
    assert _split(list(text)) == expected  # one character at a time: same sentences


def test_splitter_loses_nothing_whatever_the_pieces():
    text = "上限は1,500万円（年1.3%以内）です。「KOBS。」に相談！\n\n電話？！最後"
    rng = random.Random(7)
    for _ in range(50):
        cuts = sorted(rng.sample(range(1, len(text)), 6))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert "".join(_split(pieces)) == text
        assert _split(pieces) == _split([text])


def test_splitter_waits_for_what_may_follow_an_end_mark():
    splitter = SentenceSplitter()
    assert splitter.feed("です。") == []  # a 」 or ！ may still follow
    assert splitter.feed("」次") == ["です。」"]
    assert splitter.flush() == ["次"]


# -- a chat endpoint that streams slowly and can be held --------------------------------


def _chunk(body: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


def _delta(content: str | None, finish: str | None = None) -> bytes:
    delta = {"role": "assistant"} | ({"content": content} if content is not None else {})
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return _chunk({"id": "x", "object": "chat.completion.chunk", "model": "m", "choices": [choice]})


@dataclass
class Endpoint:
    """Streams ``parts`` one chunk each; before part ``gate`` it waits for ``release``."""

    parts: list[str]
    gate: int | None = None
    delay_s: float = 0.0  # between parts after the gate: a model still writing
    fail_at_gate: bool = False  # after the release, an in-stream error instead of the rest
    finish: str = "stop"  # "length": the token limit cut the text off
    release: threading.Event = field(default_factory=threading.Event)
    at_gate: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    cut_off: threading.Event = field(default_factory=threading.Event)  # the client hung up
    url: str = ""

    def respond(self, out: Any) -> None:
        try:
            for i, part in enumerate(self.parts):
                if i == self.gate:
                    self.at_gate.set()
                    self.release.wait(WAIT_S)
                    if self.fail_at_gate:
                        out.write(_chunk({"error": {"message": "model crashed"}}))
                        return
                if self.delay_s and self.gate is not None and i > self.gate:
                    time.sleep(self.delay_s)
                out.write(_delta(part))
            out.write(_delta(None, self.finish))
            out.write(b"data: [DONE]\n\n")
            self.finished.set()
        except OSError:
            self.cut_off.set()


@contextmanager
def endpoint(parts: list[str], **options: Any) -> Iterator[Endpoint]:
    state = Endpoint(parts, **options)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            state.respond(self.wfile)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _pieces(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _drains() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "llm-drain"]


def _shown(pieces: list[str | StreamReset | Answer]) -> str:
    """What a client displays: text pieces appended, cleared on a reset."""
    shown = ""
    for piece in pieces:
        if isinstance(piece, StreamReset):
            shown = ""
        elif isinstance(piece, str):
            shown += piece
    return shown


# -- streaming through the Assistant ----------------------------------------------------


def test_first_sentence_reaches_the_user_while_the_model_is_still_writing(llm_assistant):
    # The model writes sentence 1 and the start of sentence 2, then stalls.
    parts = [*_pieces(FIRST), "補助", *_pieces(SECOND_OK[2:])]
    with endpoint(parts, gate=len(_pieces(FIRST)) + 1) as model:
        stream = llm_assistant(model.url).stream(QUESTION)
        first = next(stream)
        assert first == FIRST
        assert not model.finished.is_set()  # the model is still writing
        assert model.at_gate.wait(WAIT_S)
        model.release.set()
        rest = list(stream)
    final = rest[-1]
    assert isinstance(final, Answer)
    assert not any(isinstance(p, StreamReset) for p in rest)
    assert final.answer == FIRST + SECOND_OK == _shown([first, *rest])
    assert ("mode", "llm") in final.extra


def test_invented_number_in_sentence_two_resets_to_the_composer(llm_assistant):
    # After the bad sentence the model would go on: it must not be waited for.
    parts = [*_pieces(FIRST), *_pieces(SECOND_BAD), "続き", *["です。"] * 200]
    with endpoint(parts, gate=len(parts) - 200) as model:
        bot = llm_assistant(model.url)
        bot.llm.on_cut = "hangup"  # a server that stops generating when the client goes away
        pieces = list(bot.stream(QUESTION))
        assert not model.finished.is_set()  # the rest of the model's text was never read
        model.release.set()
        assert model.cut_off.wait(WAIT_S)  # the connection was closed, not left dangling
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert pieces[0] == FIRST
    resets = [i for i, p in enumerate(pieces) if isinstance(p, StreamReset)]
    assert resets == [1] and pieces[1] == StreamReset("guard")
    assert "800" not in final.answer and "500万円" in final.answer
    assert final.answer == _shown(pieces)  # the client ends up showing the final answer
    assert ("mode", "composer") in final.extra and ("llm_fallback", "guard") in final.extra
    quoted = {n for c in final.citations for n in quoted_numbers(c.quote)}
    assert set(numbers_in(final.answer)) <= quoted


def test_cut_off_model_is_drained_in_the_background(llm_assistant, caplog):
    # llama.cpp's server copes badly with a hang-up mid-answer: by default the rest of the
    # model's answer is read to its end after the user already has the composer's answer.
    parts = [*_pieces(FIRST), *_pieces(SECOND_BAD), "続き", *["です。"] * 50]
    with endpoint(parts, gate=len(parts) - 50) as model:
        bot = llm_assistant(model.url)
        assert bot.llm.on_cut == "drain"  # the default
        with caplog.at_level(logging.INFO, logger="assistant.llm"):
            pieces = list(bot.stream(QUESTION))
            final = pieces[-1]
            assert isinstance(final, Answer) and ("llm_fallback", "guard") in final.extra
            assert StreamReset("guard") in pieces and "800" not in final.answer
            assert not model.finished.is_set()  # the fallback did not wait for the model
            model.release.set()
            assert model.finished.wait(WAIT_S)  # the server wrote its whole response
            assert _eventually(lambda: not _drains())  # and the drain thread ended
    assert not model.cut_off.is_set()
    assert "drain ended by an error" not in caplog.text


def test_user_leaving_mid_answer_lets_the_model_finish(llm_assistant):
    parts = [*_pieces(FIRST), "補助", *["です。"] * 50]
    with endpoint(parts, gate=len(_pieces(FIRST)) + 1) as model:
        stream = llm_assistant(model.url).stream(QUESTION)
        assert next(stream) == FIRST
        stream.close()  # e.g. the web chat's client went away: returns at once
        assert not model.finished.is_set()
        model.release.set()
        assert model.finished.wait(WAIT_S)
        assert _eventually(lambda: not _drains())
    assert not model.cut_off.is_set()


def test_drain_is_bounded(llm_assistant):
    parts = [*_pieces(FIRST), *_pieces(SECOND_BAD), "続き", *["です。"] * 400]
    with endpoint(parts, gate=len(parts) - 400, delay_s=0.01) as model:
        bot = llm_assistant(model.url)
        bot.llm.drain_s = 0.2  # the model would write for ~4 s more
        final = list(bot.stream(QUESTION))[-1]
        assert isinstance(final, Answer) and ("llm_fallback", "guard") in final.extra
        model.release.set()
        assert model.cut_off.wait(WAIT_S)  # past the bound the drain hangs up
        assert not model.finished.is_set()
        assert _eventually(lambda: not _drains())


def test_bad_first_sentence_needs_no_reset(llm_assistant):
    with endpoint([*_pieces(SECOND_BAD), *_pieces(FIRST)]) as model:
        pieces = list(llm_assistant(model.url).stream(QUESTION))
    assert not any(isinstance(p, StreamReset) for p in pieces)
    final = pieces[-1]
    assert isinstance(final, Answer) and ("llm_fallback", "guard") in final.extra
    assert "".join(p for p in pieces if isinstance(p, str)) == final.answer


def test_endpoint_failure_mid_stream_resets_to_the_composer(llm_assistant):
    parts = [*_pieces(FIRST), "補助", *_pieces(SECOND_OK[2:])]
    with endpoint(parts, gate=len(_pieces(FIRST)) + 1, fail_at_gate=True) as model:
        stream = llm_assistant(model.url).stream(QUESTION)
        assert next(stream) == FIRST
        model.release.set()
        pieces = [FIRST, *stream]
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert StreamReset("error") in pieces
    assert final.answer == _shown(pieces) and "500万円" in final.answer
    assert ("llm_fallback", "error") in final.extra
    assert not _drains()  # the broken stream is closed at once, nothing left to read


def test_empty_output_falls_back_without_reset(llm_assistant):
    with endpoint(["", "  ", "\n"]) as model:
        pieces = list(llm_assistant(model.url).stream(QUESTION))
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert not any(isinstance(p, StreamReset) for p in pieces)
    assert ("llm_fallback", "guard") in final.extra and "500万円" in final.answer


def test_whitespace_never_leads_or_trails_the_phrased_answer(llm_assistant):
    parts = ["\n ", *_pieces(FIRST), "\n\n", *_pieces(SECOND_OK), "\n"]
    with endpoint(parts) as model:
        pieces = list(llm_assistant(model.url).stream(QUESTION))
    final = pieces[-1]
    assert isinstance(final, Answer) and ("mode", "llm") in final.extra
    assert final.answer == FIRST + "\n\n" + SECOND_OK == _shown(pieces)


def test_sentence_cut_off_by_the_token_limit_is_dropped(llm_assistant):
    parts = [*_pieces(FIRST), *_pieces("補助対象経費の2/")]
    with endpoint(parts, finish="length") as model:
        pieces = list(llm_assistant(model.url).stream(QUESTION))
    final = pieces[-1]
    assert isinstance(final, Answer) and ("mode", "llm") in final.extra
    assert final.answer == FIRST == _shown(pieces)
    with endpoint(parts) as model:  # the same text, finished normally: kept whole
        assert llm_assistant(model.url).ask(QUESTION).answer == FIRST + "補助対象経費の2/"


def test_web_chat_stream_carries_the_reset_end_to_end(llm_assistant, settings):
    from fastapi.testclient import TestClient  # noqa: PLC0415 (only this test serves the API)

    from api import Services, create_app  # noqa: PLC0415

    parts = [*_pieces(FIRST), *_pieces(SECOND_BAD)]
    with endpoint(parts) as model:
        bot = llm_assistant(model.url)
        app = create_app(settings, services=Services(bot.corpus, bot.searcher, bot))
        with TestClient(app) as client:
            body = client.post("/api/chat", json={"question": QUESTION}).text
            asked = client.post("/api/ask", json={"question": QUESTION}).json()
    events = [
        (block.split("\n")[0].removeprefix("event: "), block.split("data: ", 1)[1])
        for block in body.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names[:3] == ["meta", "delta", "reset"] and names[-2:] == ["answer", "done"]
    assert json.loads(events[1][1])["text"] == FIRST
    shown = "".join(json.loads(data)["text"] for name, data in events[3:] if name == "delta")
    assert shown == json.loads(events[-2][1])["answer"] == asked["answer"]
    assert "800" not in shown and "500万円" in shown


# -- any llama-index LLM; every answer's HTTP client is closed ---------------------------


def _scripted_llm(parts: list[str], finish: str = "stop", fail_after: int | None = None) -> Any:
    """A llama-index ``CustomLLM`` streaming ``parts`` with OpenAI-style raw dict chunks."""
    from llama_index.core.llms import (  # noqa: PLC0415 (LLM mode only, as in the code)
        CompletionResponse,
        CustomLLM,
        LLMMetadata,
    )

    class Scripted(CustomLLM):
        prompts: list[str] = []  # noqa: RUF012 (a pydantic field)

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata()

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            raise NotImplementedError

        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            self.prompts.append(prompt)
            text = ""
            for i, part in enumerate(parts):
                if i == fail_after:
                    raise ConnectionError("model crashed")
                text += part
                raw = {"choices": [{"delta": {"content": part}, "finish_reason": None}]}
                yield CompletionResponse(text=text, delta=part, raw=raw)
            raw = {"choices": [{"delta": {}, "finish_reason": finish}]}
            yield CompletionResponse(text=text, delta="", raw=raw)

    return Scripted()


class Factory:
    """Hands out the scripted LLM and remembers every HTTP client it was given."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.clients: list[Any] = []

    def __call__(self, http_client: Any) -> Any:
        self.clients.append(http_client)
        return self.llm


def _with_llm(assistant: Any, factory: Factory) -> Any:
    from assistant.llm import GuardedLlm, load_prompt  # noqa: PLC0415

    assistant.llm = GuardedLlm(factory, load_prompt(), timeout_s=5.0)
    return assistant


def test_any_llama_index_llm_phrases_behind_the_guard(assistant):
    factory = Factory(_scripted_llm([*_pieces(FIRST), *_pieces(SECOND_OK)]))
    bot = _with_llm(assistant, factory)
    first = bot.ask(QUESTION)
    assert ("mode", "llm") in first.extra and first.answer == FIRST + SECOND_OK
    assert "500万円" in factory.llm.prompts[0]  # the composer's facts went into the prompt
    bot.ask(QUESTION)
    assert len(factory.clients) == 2 and factory.clients[0] is not factory.clients[1]
    assert all(client.is_closed for client in factory.clients)


def test_token_limit_read_from_the_raw_chunk(assistant):
    parts = [*_pieces(FIRST), *_pieces("補助対象経費の2/")]
    cut = _with_llm(assistant, Factory(_scripted_llm(parts, finish="length"))).ask(QUESTION)
    assert cut.answer == FIRST and ("mode", "llm") in cut.extra


@pytest.mark.parametrize(
    ("parts", "fail_after", "reason"),
    [
        ([*_pieces(FIRST), *_pieces(SECOND_BAD), "続きです。"], None, "guard"),
        ([*_pieces(FIRST), *_pieces(SECOND_OK)], len(_pieces(FIRST)) + 1, "error"),
    ],
)
def test_the_client_is_closed_when_the_model_is_cut_off(assistant, parts, fail_after, reason):
    factory = Factory(_scripted_llm(parts, fail_after=fail_after))
    pieces = list(_with_llm(assistant, factory).stream(QUESTION))
    assert pieces[0] == FIRST and StreamReset(reason) in pieces
    final = pieces[-1]
    assert isinstance(final, Answer) and ("llm_fallback", reason) in final.extra
    assert len(factory.clients) == 1  # closed at once, or once the drain is over
    assert _eventually(lambda: factory.clients[0].is_closed)


def test_user_leaving_mid_answer_hangs_up_on_the_endpoint(llm_assistant):
    parts = [*_pieces(FIRST), "補助", *["です。"] * 200]
    with endpoint(parts, gate=len(_pieces(FIRST)) + 1) as model:
        bot = llm_assistant(model.url)
        bot.llm.on_cut = "hangup"
        stream = bot.stream(QUESTION)
        assert next(stream) == FIRST
        stream.close()  # e.g. the web chat's client went away
        model.release.set()
        assert model.cut_off.wait(WAIT_S)
        assert not model.finished.is_set()
