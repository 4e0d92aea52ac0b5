"""The OpenAI-compatible API (/v1) as chat front-ends use it: through the real ``openai`` SDK,
wired to the app in process (TestClient is an httpx.Client)."""

from __future__ import annotations

import json
import re

import openai
import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.deps import get_answerer
from core import Settings

MODEL = "kawasaki-sme-assistant"
FAIR = "展示会出展料の補助の上限は？"  # fakes: 「展示会出展料の補助」 15万円, one citation
FIRST = "小規模事業資金の限度額"
FOLLOW_UP = "その利率は？"
UNANSWERABLE = "宇宙旅行の補助金は？"
# The assistant tests' follow-up that needs its context: 経営改善事業支援 (50万円) of the
# programme asked about first; asked alone it reads as another menu.
REAL_FIRST = "ものづくり中小企業経営革新等支援事業の補助上限は？"
REAL_FOLLOW_UP = "小規模事業者だったら？"
ERROR_KEYS = {"message", "type", "param", "code"}


def _sdk(app, api_key: str = "x") -> openai.OpenAI:
    transport = TestClient(app, raise_server_exceptions=False)
    return openai.OpenAI(
        base_url="http://testserver/v1", api_key=api_key, http_client=transport, max_retries=0
    )


@pytest.fixture
def sdk(app) -> openai.OpenAI:
    return _sdk(app)


def _user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _ask(sdk: openai.OpenAI, messages: list[dict], **options):
    return sdk.chat.completions.create(model=MODEL, messages=messages, **options)


def _body(content: str) -> str:
    """The answer text without its [n] marks and 「出典」 list."""
    return re.sub(r"\[\d+\]", "", content.split("\n\n出典：\n", maxsplit=1)[0])


def test_the_model_list_names_the_one_model(sdk):
    models = sdk.models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert models.data[0].object == "model"
    assert sdk.models.retrieve(MODEL).id == MODEL


def test_a_completion_carries_marks_sources_and_the_structured_citations(sdk, client, corpus):
    completion = _ask(sdk, _user(FAIR), temperature=0.2, top_p=0.9, max_tokens=50, user="u1",
                      seed=7, stop=["\n\n\n"], presence_penalty=0.5)  # fmt: skip
    content = completion.choices[0].message.content
    assert completion.object == "chat.completion" and completion.model == MODEL
    assert completion.choices[0].finish_reason == "stop"
    assert completion.choices[0].message.role == "assistant"
    answer, sources = content.split("\n\n出典：\n")
    assert answer.endswith("。[1]") and "15万円" in answer
    fair = corpus.programmes[0]
    assert sources.startswith(f"- [1] {fair.name}（p.31・3642–3643行）「工業製品の")
    web = client.post("/api/ask", json={"question": FAIR}).json()
    assert completion.model_extra["citations"] == web["citations"]
    assert _body(content) == web["answer"]


def test_the_stream_joins_to_the_completion_and_ends_with_the_citations(sdk, client):
    whole = _ask(sdk, _user(FAIR))
    chunks = list(_ask(sdk, _user(FAIR), stream=True))  # the SDK stops at [DONE]
    assert all(c.object == "chat.completion.chunk" and c.model == MODEL for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    assert chunks[-1].model_extra["citations"] == whole.model_extra["citations"]
    assert len({c.id for c in chunks}) == 1
    # The wire format itself: bare `data:` events, the last one [DONE].
    raw = client.post(
        "/v1/chat/completions", json={"model": MODEL, "messages": _user(FAIR), "stream": True}
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    events = raw.text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(e.startswith("data: {") for e in events[:-2])


def test_follow_ups_resolve_from_the_history_the_client_sends(sdk, answerer, corpus):
    messages = [
        {"role": "system", "content": "あなたは親切なアシスタントです。"},
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": "限度額は300万円です。"},
        {"role": "user", "content": [{"type": "text", "text": FOLLOW_UP}]},
    ]
    content = _ask(sdk, messages).choices[0].message.content
    assert corpus.programmes[1].support_menus[0].rate in content
    # Only the user turns reach the answerer, in one private conversation.
    [(first, cid), (follow, same)] = answerer.calls
    assert (first, follow) == (FIRST, FOLLOW_UP) and cid == same and cid


def test_only_the_last_few_user_turns_are_replayed(sdk, answerer):
    earlier = [f"質問{n}" for n in range(6)]
    reply = {"role": "assistant", "content": "…"}
    messages = [m for text in earlier for m in (*_user(text), reply)]
    # Turns that were refused when sent (too long, an image) are skipped, not refused again.
    refused = [*_user("㍿" * 300), {"role": "user", "content": [IMAGE]}]
    _ask(sdk, [*messages[:-2], *refused, *messages[-2:], *_user(FAIR)])
    assert [question for question, _ in answerer.calls] == [*earlier[-3:], FAIR]


def test_a_follow_up_resolves_as_in_the_web_chat_without_touching_its_store(real_assistant_app):
    app, assistant = real_assistant_app
    sdk, web = _sdk(app), TestClient(app)
    history = [*_user(REAL_FIRST), {"role": "assistant", "content": "…"}, *_user(REAL_FOLLOW_UP)]
    completion = _ask(sdk, history)
    streamed = "".join(c.choices[0].delta.content or "" for c in _ask(sdk, history, stream=True))
    assert len(assistant.conversations) == 0  # the web conversations never saw these turns
    cid = web.post("/api/ask", json={"question": REAL_FIRST, "new_conversation": True}).json()
    chat = web.post(
        "/api/ask", json={"question": REAL_FOLLOW_UP, "conversation_id": cid["conversation_id"]}
    ).json()
    alone = web.post("/api/ask", json={"question": REAL_FOLLOW_UP}).json()
    content = completion.choices[0].message.content
    assert content.startswith("経営改善事業支援") and "50万円" in content.splitlines()[0]
    assert _body(content) == chat["answer"] != alone["answer"]
    assert completion.model_extra["citations"] == chat["citations"]
    assert streamed == content


def test_an_unanswerable_question_says_so_without_sources(sdk, fakes):
    completion = _ask(sdk, _user(UNANSWERABLE))
    assert completion.choices[0].message.content == fakes.NOT_IN_REPORT
    assert completion.model_extra["citations"] == []
    assert completion.choices[0].finish_reason == "stop"


IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
AUDIO = {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
TOOL = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"tools": [TOOL]}, "tools"),
        ({"tool_choice": "required"}, "tool_choice"),
        ({"functions": [TOOL["function"]]}, "functions"),
        ({"n": 2}, "n"),
        ({"response_format": {"type": "json_object"}}, "response_format"),
        ({"messages": [{"role": "user", "content": [IMAGE]}]}, "messages[0].content[0]"),
        ({"messages": [{"role": "user", "content": [AUDIO]}]}, "messages[0].content[0]"),
        ({"messages": [{"role": "system", "content": "質問なし"}]}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": _user("　")}, "messages[0].content"),
        ({"messages": _user("㍿" * 300)}, "messages[0].content"),  # 1,200 after NFKC
        ({"messages": _user("上限\u0000は？")}, "messages[0].content"),
        ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
    ],
)
def test_requests_it_cannot_serve_get_openai_400s(sdk, answerer, options, param):
    request = {"model": MODEL, "messages": _user(FAIR), **options}
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.chat.completions.create(**request)
    assert refused.value.status_code == 400
    error = refused.value.body
    assert set(error) == ERROR_KEYS and error["type"] == "invalid_request_error"
    assert error["param"] == param and error["message"]
    assert answerer.calls == []


def test_an_unknown_model_is_an_openai_404(sdk):
    with pytest.raises(openai.NotFoundError) as missing:
        _ = sdk.chat.completions.create(model="gpt-4o", messages=_user(FAIR))
    assert missing.value.body["code"] == "model_not_found"
    assert missing.value.body["param"] == "model"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("gpt-4o")


@pytest.mark.parametrize(
    ("path", "content", "status", "code"),
    [
        ("/v1/chat/completions", b'{"model": ', 400, "invalid_json"),
        ("/v1/chat/completions", b'{"messages": []}', 400, "invalid_value"),
        ("/v1/embeddings", b"{}", 404, "unknown_url"),
        ("/v1/models", b"{}", 405, "method_not_allowed"),
        ("/v1/chat/completions", b"x" * (65 * 1024), 413, "request_too_large"),
    ],
)
def test_other_v1_errors_keep_the_openai_shape(client, path, content, status, code):
    response = client.post(path, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == ERROR_KEYS
    assert response.json()["error"]["code"] == code


def test_a_failing_answerer_is_an_openai_server_error_also_mid_stream(app, sdk):
    class Broken:
        def ask(self, question, conversation_id=None):
            raise RuntimeError("boom /secret/path")

    app.dependency_overrides[get_answerer] = Broken
    with pytest.raises(openai.InternalServerError) as failed:
        _ask(sdk, _user(FAIR))
    assert failed.value.body["type"] == "server_error"
    assert "/secret/path" not in json.dumps(failed.value.body)
    with pytest.raises(openai.APIError, match="サーバー内部"):
        list(_ask(sdk, _user(FAIR), stream=True))


def test_a_set_api_key_guards_v1_only(tmp_path, fakes, corpus):
    settings = Settings(data_dir=tmp_path, api_key="s3cret-key")
    answerer = fakes.FakeAnswerer(corpus)
    app = create_app(settings, services=Services(corpus, fakes.FakeSearcher(corpus), answerer))
    with pytest.raises(openai.AuthenticationError) as refused:
        _sdk(app, api_key="wrong").models.list()
    assert refused.value.body["code"] == "invalid_api_key"
    assert set(refused.value.body) == ERROR_KEYS
    with pytest.raises(openai.AuthenticationError):
        _ask(_sdk(app, api_key="s3cret"), _user(FAIR))
    assert _ask(_sdk(app, api_key="s3cret-key"), _user(FAIR)).model_extra["citations"]
    plain = TestClient(app)
    assert plain.get("/v1/models").status_code == 401
    assert plain.get("/v1/nowhere").status_code == 401  # nothing is told without the key
    assert plain.post("/api/ask", json={"question": FAIR}).status_code == 200
    assert plain.get("/").status_code == 200


def test_an_empty_api_key_setting_is_refused():
    with pytest.raises(ValueError, match="SME_API_KEY"):
        Settings(api_key="  ")
