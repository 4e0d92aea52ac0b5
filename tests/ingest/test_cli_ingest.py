"""`sme-assistant ingest` and `sme-assistant records` through api.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SME_STORE_DIR", str(tmp_path / "store"))
    return tmp_path


def test_ingest_prints_summary_and_records_json(env, capsys):
    main(["ingest", "--quiet"])
    out = capsys.readouterr().out
    assert "articles: 26" in out
    assert "chunks:" in out and "programmes:" in out and "sections:" in out
    assert (env / "store" / "corpus" / "records.json").is_file()
    main(["records", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [a["number"] for a in data["articles"]] == list(range(26))
    main(["records"])
    out = capsys.readouterr().out
    assert "第14条(研究及び開発の支援)" in out
    assert "[survey]" in out


@pytest.mark.parametrize("make", ["missing", "empty", "directory"])
def test_ingest_bad_path_exits_2(env, capsys, make):
    path = env / "input.txt"
    if make == "empty":
        path.write_text("", encoding="utf-8")
    elif make == "directory":
        path.mkdir()
    with pytest.raises(SystemExit) as info:
        main(["ingest", "--quiet", str(path)])
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err
    assert not (env / "store" / "corpus").exists()
