"""Text the API takes: invalid characters and the NFKC length limit give 422, in Japanese only."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from api import create_app
from core import Settings
from ingest import ChunkKind

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")
PYDANTIC_WORDS = ("String should", "Field required", "value_error", "Input should", "Extra inputs")


def post_raw(client, path, raw: str):
    # JSON escapes such as \ud800 are valid JSON; json= in the client could not even encode them.
    return client.post(
        path, content=raw.encode("utf-8"), headers={"content-type": "application/json"}
    )


def assert_japanese_422(response) -> str:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert JAPANESE.search(body["detail"])
    return str(body["detail"])


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
@pytest.mark.parametrize(
    "raw",
    [
        r'{"question": "\ud800"}',
        r'{"question": "融資の\udfff上限"}',
        r'{"question": "融資\u0000の上限"}',
        r'{"question": "融資\u001bの上限"}',
        r'{"question": "融資の上限", "conversation_id": "\ud800"}',
        r'{"question": "融資の上限", "conversation_id": "a\u0007b"}',
    ],
)
def test_invalid_characters_are_422_not_500(client, answerer, path, raw):
    detail = assert_japanese_422(post_raw(client, path, raw))
    assert "使用できない文字" in detail
    assert answerer.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=%E8%9E%8D%00%E8%B3%87",
        "/api/search?q=%E8%9E%8D%E8%B3%87&programme=p%1Bx",
        "/api/programmes/%E4%BA%8B%00",
        "/api/articles/12%07",
        "/api/sources/c-fair%00",
    ],
)
def test_invalid_characters_in_queries_and_paths_are_422(client, url):
    assert "使用できない文字" in assert_japanese_422(client.get(url))


def test_tabs_and_line_breaks_are_text(client):
    response = client.post("/api/ask", json={"question": "展示会出展料の\t補助の\r\n上限は？"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat"])
def test_length_limit_counts_characters_after_nfkc(client, answerer, path):
    # 「㍿」 is one character typed, four (株式会社) once normalised.
    detail = assert_japanese_422(client.post(path, json={"question": "㍿" * 1000}))
    assert "4000" in detail and "1000" in detail
    assert answerer.calls == []
    assert client.post(path, json={"question": "㍿" * 250}).status_code == 200


def test_search_query_limit_counts_characters_after_nfkc(client):
    assert_japanese_422(client.get("/api/search", params={"q": "㍿" * 1000}))
    assert client.get("/api/search", params={"q": "㍿" * 250}).status_code == 200


def _schema(app) -> dict:
    return TestClient(app).get("/openapi.json").json()


def test_openapi_states_the_question_length_limits(app):
    schema = _schema(app)
    question = schema["components"]["schemas"]["AskIn"]["properties"]["question"]
    assert (question["minLength"], question["maxLength"]) == (1, 1000)
    for path in ("/api/ask", "/api/chat"):
        ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert ref["schema"]["$ref"].endswith("/AskIn")
    [q] = [p for p in schema["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q"]
    assert (q["schema"]["minLength"], q["schema"]["maxLength"]) == (1, 1000)
    # The characters refused with 422 are stated too.
    for pattern in (question["pattern"], q["schema"]["pattern"]):
        assert re.fullmatch(pattern, "融資の\t上限は？\n")
        assert not re.fullmatch(pattern, "融資\x00の上限")


def test_openapi_limit_follows_settings(tmp_path):
    schema = _schema(create_app(Settings(data_dir=tmp_path, max_question_chars=20)))
    assert schema["components"]["schemas"]["AskIn"]["properties"]["question"]["maxLength"] == 20


@pytest.mark.parametrize(
    ("method", "path", "payload", "sent_names"),
    [
        ("post", "/api/ask", {}, set()),
        ("post", "/api/ask", {"question": 12}, set()),
        ("post", "/api/ask", {"question": None}, set()),
        ("post", "/api/ask", ["融資"], set()),
        ("post", "/api/ask", {"question": "融資", "extra": 1}, {"extra"}),
        ("post", "/api/ask", {"question": "融資", "conversation_id": "x" * 129}, set()),
        ("post", "/api/chat", {"question": ["融資"]}, set()),
        ("get", "/api/search", {"q": "融資", "k": "many"}, set()),
        ("get", "/api/search", {"q": "融資", "k": 0}, set()),
        ("get", "/api/search", {"q": "融資", "k": 51}, set()),
        ("get", "/api/search", {"q": "融資", "kind": "nothing"}, set()),
        ("get", "/api/search", {"q": "融資", "article": "x"}, set()),
        ("get", "/api/search", {}, set()),
    ],
)
def test_validation_messages_are_japanese_only(client, method, path, payload, sent_names):
    if method == "post":
        response = client.post(
            path, content=json.dumps(payload), headers={"content-type": "application/json"}
        )
    else:
        response = client.get(path, params=payload)
    detail = assert_japanese_422(response)
    assert not any(words in detail for words in PYDANTIC_WORDS), detail
    # The only ASCII words left are the API's own: names the client sent, enum values, JSON.
    allowed = sent_names | {str(kind) for kind in ChunkKind} | {"JSON", "ID"}
    assert set(ASCII_WORD.findall(detail)) <= allowed, detail
