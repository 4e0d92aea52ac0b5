"""Fixtures of the API tests: the app built by the factory, with fakes injected."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import ModuleType

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import Services, create_app
from api.deps import get_answerer, get_corpus, get_searcher
from assistant import Assistant
from assistant.sources import SourceLines
from core import Settings


def _load(name: str, path: Path) -> ModuleType:
    # --import-mode=importlib: test folders are not packages, so load helpers by path.
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _load_fakes() -> ModuleType:
    return _load("api_test_fakes", Path(__file__).with_name("fakes.py"))


@pytest.fixture(scope="session")
def fakes() -> ModuleType:
    return _load_fakes()


@pytest.fixture(scope="session")
def tiny_assistant() -> ModuleType:
    """The assistant tests' tiny report in the real layout, with its corpus and searcher."""
    return _load("assistant_test_fixtures", Path(__file__).parents[1] / "assistant" / "conftest.py")


@pytest.fixture
def real_assistant_app(tmp_path: Path, tiny_assistant: ModuleType) -> tuple[FastAPI, Assistant]:
    """The app with the real assistant over the tiny report (hash embedder, fake searcher)."""
    report = tmp_path / "tiny.txt"
    report.write_text(tiny_assistant.REPORT, encoding="utf-8")
    settings = Settings(corpus_path=report, store_dir=tmp_path / "store", embedder="hash")
    corpus = tiny_assistant.make_corpus()
    searcher = tiny_assistant.FakeSearcher(corpus)
    assistant = Assistant(corpus, searcher, settings, SourceLines.read(settings.corpus))
    return create_app(settings, services=Services(corpus, searcher, assistant)), assistant


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, max_question_chars=1000, search_k=3)


@pytest.fixture
def corpus(fakes):
    return fakes.build_corpus()


@pytest.fixture
def answerer(fakes, corpus):
    return fakes.FakeAnswerer(corpus)


@pytest.fixture
def app(settings, fakes, corpus, answerer):
    # Empty services: even under a lifespan the real stages are never loaded here.
    app = create_app(settings, services=Services(error="tests inject fakes"))
    app.dependency_overrides[get_corpus] = lambda: corpus
    app.dependency_overrides[get_searcher] = lambda: fakes.FakeSearcher(corpus)
    app.dependency_overrides[get_answerer] = lambda: answerer
    return app


@pytest.fixture
def client(app):
    return TestClient(app, raise_server_exceptions=False)


# -- browser tests: Debian's Chromium driven by Playwright, the app served on loopback --------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _served(app: FastAPI, start_timeout_s: float = 10.0) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on a free loopback port; yield its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve() -> Callable[..., AbstractContextManager[str]]:
    """``with serve(app) as base_url: …``"""
    return _served


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
