"""Fixtures of the API tests: the app built by the factory, with fakes injected."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.deps import get_answerer, get_corpus, get_searcher
from ingest import Settings


def _load_fakes() -> ModuleType:
    # --import-mode=importlib: test folders are not packages, so load the helper by path.
    name = "api_test_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fakes.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def fakes() -> ModuleType:
    return _load_fakes()


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
