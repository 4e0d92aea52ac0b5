"""``sme-assistant serve``: index first (unless told not to), say where to go, run uvicorn."""

from __future__ import annotations

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI

import index
import ingest
from api.cli_serve import APP_FACTORY, serve_command


@pytest.fixture
def calls(monkeypatch, fakes, tmp_path):
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path))
    recorded: list[tuple] = []
    corpus = fakes.build_corpus()

    def load_corpus(settings):
        recorded.append(("load_corpus", settings.data_dir))
        return corpus

    def build_index(settings, got, progress=True):
        recorded.append(("build_index", got is corpus))
        return "stats"

    def run(app, host, port, **kwargs):
        recorded.append(("run", app if isinstance(app, str) else type(app), host, port, kwargs))

    monkeypatch.setattr(ingest, "load_corpus", load_corpus)
    monkeypatch.setattr(index, "build_index", build_index)
    monkeypatch.setattr(uvicorn, "run", run)
    return recorded


def test_serve_builds_the_index_then_runs_the_app(calls, tmp_path):
    result = CliRunner().invoke(serve_command, ["--port", "8123"])
    assert result.exit_code == 0, result.output
    assert [c[0] for c in calls] == ["load_corpus", "build_index", "run"]
    assert calls[0][1] == tmp_path
    assert calls[1][1] is True
    assert calls[2][:4] == ("run", FastAPI, "127.0.0.1", 8123)
    assert "http://127.0.0.1:8123/" in result.output


def test_serve_on_all_interfaces_points_the_browser_at_loopback(calls):
    result = CliRunner().invoke(serve_command, ["--host", "0.0.0.0", "--no-index"])
    assert result.exit_code == 0, result.output
    assert [c[0] for c in calls] == ["run"]
    assert calls[0][2] == "0.0.0.0"
    assert "http://127.0.0.1:8000/" in result.output


def test_serve_rejects_a_bad_port(calls):
    result = CliRunner().invoke(serve_command, ["--port", "70000"])
    assert result.exit_code != 0
    assert calls == []


def test_serve_with_workers_builds_the_index_once_and_hands_uvicorn_the_factory(calls):
    result = CliRunner().invoke(serve_command, ["--workers", "2", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert [c[0] for c in calls] == ["load_corpus", "build_index", "run"]
    # Worker processes import the app factory themselves: uvicorn gets its import string.
    _, app, host, port, options = calls[2]
    assert (app, host, port) == (APP_FACTORY, "127.0.0.1", 8124)
    assert options["factory"] is True and options["workers"] == 2


def test_the_worker_factory_string_names_the_app_factory() -> None:
    import importlib  # noqa: PLC0415

    module, _, name = APP_FACTORY.partition(":")
    assert callable(getattr(importlib.import_module(module), name))


def test_serve_rejects_zero_workers(calls):
    result = CliRunner().invoke(serve_command, ["--workers", "0"])
    assert result.exit_code != 0
    assert calls == []
