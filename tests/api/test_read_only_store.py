"""A store that cannot be written: one `error:` line from the CLI, a plain 503 from /healthz."""

from __future__ import annotations

import errno
import logging
import re
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

import index.store
from api import create_app
from api.cli import main
from core import Settings
from ingest import load_corpus

# What must never reach a client: dotted module paths, function names, exception classes.
INTERNAL = re.compile(r"\b[a-z_]+\.[a-z_]+\b|[A-Za-z]*Error\b|Traceback|build_|open_|load_|\.py")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("ro") / "store"
    load_corpus(Settings(store_dir=store, embedder="hash"))  # ingested once; the index never is
    return store


@pytest.fixture
def read_only(store, monkeypatch) -> Path:
    """The index folder refuses writes the way a read-only mount does (works as root too)."""

    def refuse(path, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(index.store, "open", refuse, raising=False)
    monkeypatch.setenv("SME_STORE_DIR", str(store))
    monkeypatch.setenv("SME_EMBEDDER", "hash")
    return store


@pytest.mark.parametrize(
    "args",
    [["index"], ["search", "融資"], ["ask", "融資の上限は？"], ["serve", "--port", "18999"]],
)
def test_cli_prints_one_error_line(read_only, monkeypatch, capsys, args):
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("served a broken store"))
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 3  # IndexBuildError
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Read-only file system" in err and "Traceback" not in err


def test_healthz_is_503_with_a_plain_reason(read_only, caplog):
    settings = Settings(store_dir=read_only, embedder="hash")
    with caplog.at_level(logging.ERROR), TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
        head = client.head("/healthz")
    assert response.status_code == 503 and head.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    reason = body["error"]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", reason) and re.search(r"[a-z]{4}", reason)
    assert not INTERNAL.search(reason), reason
    # The detail is in the log, for whoever runs the server.
    assert "the assistant failed" in caplog.text and "Read-only file system" in caplog.text


def test_healthz_when_starting_or_empty_is_503_too(settings):
    from api import Services  # noqa: PLC0415

    for services in (None, Services()):
        client = TestClient(create_app(settings, services=services))
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["error"] and not INTERNAL.search(response.json()["error"])
