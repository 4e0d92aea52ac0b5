"""`sme-assistant index` and `sme-assistant search` on the bundled report (hash embedder)."""

from __future__ import annotations

import json

import pytest

from api.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tmp_path_factory.mktemp("cli") / "store"  # shared: the report is ingested once


@pytest.fixture
def env(store, monkeypatch):
    monkeypatch.setenv("SME_STORE_DIR", str(store))
    monkeypatch.setenv("SME_EMBEDDER", "hash")
    return store


def test_search_builds_index_then_index_is_up_to_date(env, capsys):
    main(["search", "川崎市中小企業活性化条例の第十五条", "--k", "3", "--json"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(out["hits"]) == 3
    top = out["hits"][0]
    assert top["kind"] == "article" and top["article"] == 15
    assert top["lines"][0] <= top["lines"][1]
    main(["index", "--quiet"])
    assert "up to date" in capsys.readouterr().out


def test_search_text_output(env, capsys):
    main(["search", "KOBS", "--k", "2"])
    out = capsys.readouterr().out
    assert out.count("\n1. ") + out.startswith("1. ") == 1 and "ms)" in out


def test_unknown_embedder_exits_with_config_code(env, monkeypatch):
    monkeypatch.setenv("SME_EMBEDDER", "nonsense")
    with pytest.raises(SystemExit) as exc:
        main(["index", "--quiet"])
    assert exc.value.code == 2


@pytest.mark.parametrize("query", ["   ", "融" * 1001])
def test_search_rejects_empty_and_huge_queries_like_the_api(env, capsys, query):
    with pytest.raises(SystemExit) as info:
        main(["search", query])
    assert info.value.code == 4  # AnswerError, before any corpus or index is loaded
    assert "質問" in capsys.readouterr().err
