"""Bad input, unknown names, crashes and CORS: clear JSON errors, never a stack trace."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.deps import get_answerer, get_corpus, get_searcher
from core import ConfigError, CorpusError, IndexBuildError, NotFoundError, Settings

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def assert_error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert JAPANESE.search(body["detail"]), body
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
@pytest.mark.parametrize("question", ["", "   ", "\n\t　"])
def test_empty_question_is_422_in_japanese(client, answerer, path, question):
    body = assert_error(client.post(path, json={"question": question}), 422)
    assert "質問を入力" in body["detail"]
    assert answerer.calls == []


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
def test_too_long_question_is_422(client, settings, answerer, path):
    limit = settings.max_question_chars
    body = assert_error(client.post(path, json={"question": "融" * (limit + 1)}), 422)
    assert str(limit) in body["detail"]
    assert client.post(path, json={"question": "融" * limit}).status_code == 200


def test_length_limit_follows_settings(fakes, corpus, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, max_question_chars=20))
    app.dependency_overrides[get_answerer] = lambda: fakes.FakeAnswerer(corpus)
    client = TestClient(app)
    assert client.post("/api/ask", json={"question": "あ" * 21}).status_code == 422
    assert client.post("/api/ask", json={"question": "あ" * 20}).status_code == 200


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
@pytest.mark.parametrize("payload", ["{", "not json", '{"question": "a",}', "\xff"])
def test_invalid_json_is_422(client, path, payload):
    response = client.post(path, content=payload, headers={"content-type": "application/json"})
    body = assert_error(response, 422)
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
def test_undecodable_body_is_422(client, path):
    payload = b"g\xe9\x02~\xd0`\x8a\xc3\n>XQ-d9\xfe\xff"
    response = client.post(path, content=payload, headers={"content-type": "application/json"})
    body = assert_error(response, 422)
    assert "JSON" in body["detail"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"question": 12}, {"question": None}, ["融資"], {"question": "融資", "extra": 1}],
)
def test_wrong_shape_is_422(client, payload):
    assert_error(client.post("/api/ask", json=payload), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/api/programmes/存在しない事業",
        "/api/programmes/%3Cscript%3E",
        "/api/articles/99",
        "/api/articles/第百条",
        "/api/articles/abc",
        "/api/sources/no-such-chunk",
    ],
)
def test_unknown_names_are_404(client, path):
    body = assert_error(client.get(path), 404)
    assert body["error"] == "not_found"


def test_unknown_route_is_json_404(client):
    assert_error(client.get("/api/nothing-here"), 404)
    assert_error(client.get("/api/ask"), 405)


@pytest.mark.parametrize(
    "params", [{"q": ""}, {"q": "  "}, {}, {"q": "融資", "k": 0}, {"q": "融資", "k": 51}]
)
def test_bad_search_is_422(client, params):
    assert_error(client.get("/api/search", params=params), 422)


def test_unexpected_error_is_500_without_stack_trace(app, client):
    class Crashing:
        def ask(self, question, conversation_id=None):
            raise RuntimeError("secret /etc/path detail")

    crashing = Crashing()
    app.dependency_overrides[get_answerer] = lambda: crashing
    response = client.post("/api/ask", json={"question": "融資"})
    body = assert_error(response, 500)
    assert "secret" not in response.text and "RuntimeError" not in response.text
    assert body["error"] == "internal"


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (NotFoundError("見つかりません"), 404),
        (CorpusError("/data/x missing"), 503),
        (IndexBuildError("chroma down"), 503),
        (ConfigError("bad embedder"), 503),
    ],
)
def test_project_errors_map_to_status(app, client, exc, status):
    def broken():
        raise exc

    app.dependency_overrides[get_corpus] = broken
    app.dependency_overrides[get_searcher] = broken
    for response in (client.get("/api/programmes"), client.get("/api/search?q=融資")):
        body = assert_error(response, status)
        if status == 503:
            assert str(exc) not in body["detail"]  # internals stay in the log


def test_cors_is_off_by_default(client):
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/ask",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_configured_origins_only(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, cors_origins=["https://city.example"]))
    client = TestClient(app)
    ok = client.get("/healthz", headers={"Origin": "https://city.example"})
    assert ok.headers["access-control-allow-origin"] == "https://city.example"
    other = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_user_text_is_returned_as_json_text(client):
    question = "<img src=x onerror=alert(1)> 展示会出展料の補助"
    response = client.post("/api/ask", json={"question": question})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["question"] == question
