"""Pipeline validation, the store's atomic save/load and load_corpus staleness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
import ingest.store as store_module
from core import CorpusError, Settings
from ingest import CorpusStore, load_corpus, run_ingest
from ingest.pipeline import ReportIngestor
from ingest.serialize import records_to_dict

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"


@pytest.fixture(scope="module")
def corpus():
    return ReportIngestor(Settings()).ingest(REPORT)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, store_dir=tmp_path / "store", corpus_path=REPORT)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("latin1.txt", "報告書".encode("shift_jis"), "UTF-8"),
        ("other.txt", "これは普通の日記です。\n今日は晴れでした。\n".encode(), "not a report"),
    ],
)
def test_bad_input_raises_corpus_error(tmp_path, settings, name, data, message):
    path = _write(tmp_path, name, data)
    with pytest.raises(CorpusError, match=message) as info:
        ReportIngestor(settings).ingest(path)
    assert " / " in str(info.value)  # Japanese / English


def test_missing_file_and_directory(tmp_path, settings):
    with pytest.raises(CorpusError, match="file not found"):
        ReportIngestor(settings).ingest(tmp_path / "nope.txt")
    with pytest.raises(CorpusError, match="directory"):
        ReportIngestor(settings).ingest(tmp_path)


def test_report_without_ordinance_is_rejected(tmp_path, settings):
    text = REPORT.read_text(encoding="utf-8")
    cut = text.index("（参考）")
    path = _write(tmp_path, "no_ordinance.txt", text[:cut].encode("utf-8"))
    with pytest.raises(CorpusError, match="ordinance"):
        ReportIngestor(settings).ingest(path)


def test_failed_ingest_leaves_store_untouched(tmp_path, settings, corpus):
    store = CorpusStore(settings.store)
    store.save(corpus)
    before = store.records_path.read_bytes()
    bad = _write(tmp_path, "bad.txt", b"")
    with pytest.raises(CorpusError):
        run_ingest(settings, bad)
    assert store.records_path.read_bytes() == before
    assert store.load().sha256 == corpus.sha256


def test_store_round_trip_and_no_leftovers(settings, corpus):
    store = CorpusStore(settings.store)
    store.save(corpus)
    store.save(corpus)  # replacing an existing store
    assert store.load() == corpus
    assert sorted(p.name for p in settings.store.iterdir()) == [".corpus.lock", "corpus"]


def test_swap_failure_keeps_previous(settings, corpus, monkeypatch):
    store = CorpusStore(settings.store)
    store.save(corpus)
    real_rename = store_module.os.rename
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:  # the rename that puts the new folder in place
            raise OSError("disk full")
        return real_rename(src, dst)

    monkeypatch.setattr(store_module.os, "rename", flaky)
    with pytest.raises(CorpusError, match="cannot save"):
        store.save(corpus)
    monkeypatch.undo()
    assert store.load() == corpus


def test_load_missing_or_corrupt_store(tmp_path, corpus):
    store = CorpusStore(tmp_path / "empty")
    with pytest.raises(CorpusError, match="sme-assistant ingest"):
        store.load()
    store.save(corpus)
    store.records_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="unreadable"):
        store.load()


def test_records_json_schema(corpus):
    data = json.loads(json.dumps(records_to_dict(corpus), ensure_ascii=False))
    assert set(data) >= {"programmes", "articles", "sections", "sha256", "source"}
    article = data["articles"][2]
    assert {"number", "title", "text", "paragraphs", "lines", "page"} <= set(article)
    assert article["number"] == 2 and "市内に施設を有するもの" in article["text"]
    assert isinstance(article["lines"], list) and len(article["lines"]) == 2
    for programme in data["programmes"]:
        assert {"name", "article", "focus", "page", "budget", "kpis", "lines"} <= set(programme)
        if programme["budget"] is not None:
            assert set(programme["budget"]) >= {"fy2016_budget", "fy2016_actual", "fy2017_budget"}


def test_load_corpus_reuses_store_and_notices_change(tmp_path, settings, corpus, monkeypatch):
    calls: list[Path | None] = []

    def fake_run_ingest(settings_arg, path=None, progress=None):
        calls.append(settings_arg.corpus)
        return corpus

    monkeypatch.setattr(pipeline, "run_ingest", fake_run_ingest)
    assert load_corpus(settings) is corpus  # no store yet: ingests
    assert calls == [REPORT]
    CorpusStore(settings.store).save(corpus)
    assert load_corpus(settings) == corpus  # same sha256: reuses the store
    assert len(calls) == 1
    changed = _write(tmp_path, "changed.txt", REPORT.read_bytes() + "\n追記。\n".encode())
    load_corpus(settings.model_copy(update={"corpus_path": changed}))
    assert calls[-1] == changed  # different sha256: ingests again
    assert len(calls) == 2
    data = json.loads(CorpusStore(settings.store).records_path.read_text(encoding="utf-8"))
    data["schema_version"] = 0
    CorpusStore(settings.store).records_path.write_text(json.dumps(data), encoding="utf-8")
    assert load_corpus(settings) is corpus  # a store from an older schema is rebuilt
    assert len(calls) == 3


def test_run_ingest_saves(settings, corpus, monkeypatch):
    monkeypatch.setattr(ReportIngestor, "ingest", lambda self, path=None, progress=None: corpus)
    assert run_ingest(settings) is corpus
    assert CorpusStore(settings.store).load() == corpus


def test_unexpected_parser_failure_becomes_corpus_error(settings, monkeypatch):
    def boom(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(pipeline, "_parse_programmes", boom)
    with pytest.raises(CorpusError, match="could not parse"):
        ReportIngestor(settings).ingest(REPORT)


def test_counts_match_the_table_and_note_rows_become_sections(corpus):
    assert len(corpus.programmes) == 65
    assert sum(p.focus for p in corpus.programmes) == 23
    assert {p.article for p in corpus.programmes} == set(range(12, 19))
    measures = [s for s in corpus.sections if s.key == "measures"]
    assert len(measures) == 1
    assert measures[0].title.startswith("第19条")
    assert "分離発注" in measures[0].text
    assert any(c.section == "measures" for c in corpus.chunks)
