"""HEAD answers like GET (same status and headers) without a body: uptime checks use it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app


@pytest.fixture
def ready_client(settings, fakes, corpus):
    services = Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))
    return TestClient(create_app(settings, services=services))


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/static/app.js", "/static/app.css", "/api/programmes"]
)
def test_head_is_get_without_the_body(ready_client, path):
    got = ready_client.get(path)
    head = ready_client.head(path)
    assert got.status_code == 200
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in ("content-type", "content-length", "content-security-policy"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_of_a_degraded_service_is_503_like_get(settings):
    client = TestClient(create_app(settings, services=Services(error="x")))
    assert client.head("/healthz").status_code == client.get("/healthz").status_code == 503


def test_head_where_get_is_not_allowed_is_still_405(client):
    assert client.head("/api/ask").status_code == 405
