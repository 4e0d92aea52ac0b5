"""Request bodies over 64 KB get a JSON 413 in Japanese, and are never read past the limit."""

from __future__ import annotations

import json
import re

import anyio
import pytest

from api.middleware import MAX_BODY_BYTES

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
CHUNK = 8 * 1024


def assert_413(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 413
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)
    assert set(error) == {"error", "detail"}
    assert JAPANESE.search(error["detail"]) and "64" in error["detail"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat", "/healthz"])
def test_declared_length_over_the_limit_is_413(client, answerer, path):
    payload = json.dumps({"question": "融資" + " " * MAX_BODY_BYTES}).encode()
    response = client.post(path, content=payload, headers={"content-type": "application/json"})
    assert_413(response.status_code, dict(response.headers), response.content)
    assert answerer.calls == []


def test_body_at_the_limit_still_reaches_the_route(client):
    padding = MAX_BODY_BYTES - len(json.dumps({"question": "融資の上限"}).encode())
    payload = json.dumps({"question": "融資の上限"}).encode()[:-1] + b" " * padding + b"}"
    assert len(payload) == MAX_BODY_BYTES
    response = client.post(
        "/api/ask", content=payload, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


def test_streamed_body_over_the_limit_is_413(client, answerer):
    def chunks():  # no Content-Length: the client sends it chunked
        yield b'{"question": "'
        for _ in range(200):
            yield "融".encode() * (CHUNK // 3)
        yield b'"}'

    response = client.post(
        "/api/ask", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_413(response.status_code, dict(response.headers), response.content)
    assert answerer.calls == []


def _call(
    app, headers: list[tuple[bytes, bytes]], messages: list[dict]
) -> tuple[int, dict, bytes, int]:
    """Drive the ASGI app directly: (status, headers, body, how many body messages it read)."""
    sent: list[dict] = []
    reads = 0

    async def receive() -> dict:
        nonlocal reads
        if reads < len(messages):
            reads += 1
            return messages[reads - 1]
        raise AssertionError("read past the end of the body")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/ask",
        "raw_path": b"/api/ask",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    head = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], head, body, reads


def test_declared_length_is_refused_before_any_body_is_read(app):
    status, headers, body, reads = _call(app, [(b"content-length", b"209715200")], [])
    assert_413(status, headers, body)
    assert reads == 0


def test_streamed_body_is_not_read_past_the_limit(app):
    # 200 MB announced as 25,600 chunks of 8 KB: reading stops at the chunk crossing 64 KB.
    piece = {"type": "http.request", "body": b"x" * CHUNK, "more_body": True}
    status, headers, body, reads = _call(app, [], [piece] * 25_600)
    assert_413(status, headers, body)
    assert reads == MAX_BODY_BYTES // CHUNK + 1
