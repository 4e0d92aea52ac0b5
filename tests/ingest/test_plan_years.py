"""A short record's plan column is the next year's outline; old stores are re-ingested."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from core import CorpusError, Settings
from ingest import (
    Chunker,
    ChunkKind,
    Corpus,
    CorpusStore,
    Programme,
    Section,
    Span,
    TextBlock,
    load_corpus,
    report_years,
)
from ingest.serialize import PARSER_VERSION, records_from_dict, records_to_dict


def _programme(pid: str, name: str, *, focus: bool, line: int) -> Programme:
    return Programme(
        id=pid,
        name=name,
        article=15,
        focus=focus,
        page=30,
        lines=Span(line, line),
        record_lines=Span(line + 10, line + 14),
        plan=TextBlock(
            "市内の事業者に向けて相談会と交流会を開催します。", Span(line + 11, line + 12)
        ),
    )


def _corpus(table_title: str = "平成30年度 施策一覧") -> Corpus:
    table = Section("s-table", "programme_table", table_title, "施策一覧", 3, Span(1, 2))
    programmes = (
        _programme("p-short", "地域交流推進事業", focus=False, line=3),
        _programme("p-focus", "販路開拓支援事業", focus=True, line=4),
    )
    return Corpus("r.txt", "0" * 64, programmes, (), (table,))


def _plan_years(corpus: Corpus) -> dict[str | None, tuple[int, ...]]:
    return {
        c.programme: c.fiscal_years for c in Chunker().chunk(corpus) if c.kind == ChunkKind.PLAN
    }


def test_report_year_comes_from_the_programme_table_title() -> None:
    assert report_years(_corpus().sections) == (2018,)
    assert report_years(()) == ()


def test_short_records_plan_is_the_next_year_focus_plan_the_report_year() -> None:
    years = _plan_years(_corpus())
    assert years["地域交流推進事業"] == (2019,)
    assert years["販路開拓支援事業"] == (2018,)


def test_without_a_report_year_the_plan_gets_no_invented_year() -> None:
    years = _plan_years(_corpus(table_title="施策一覧"))
    assert years["地域交流推進事業"] == ()
    assert years["販路開拓支援事業"] == ()


def test_records_from_another_parser_version_are_rejected() -> None:
    data = records_to_dict(_corpus())
    assert data["parser_version"] == PARSER_VERSION
    assert records_from_dict(data).programmes == _corpus().programmes
    with pytest.raises(ValueError, match="parser"):
        records_from_dict({**data, "parser_version": PARSER_VERSION - 1})
    legacy = {k: v for k, v in data.items() if k != "parser_version"}
    with pytest.raises(ValueError, match="parser"):
        records_from_dict(legacy)


def test_load_corpus_reingests_a_store_written_by_older_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("報告書\n", encoding="utf-8")
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    stored = Corpus("r.txt", sha, _corpus().programmes, (), _corpus().sections)
    settings = Settings(data_dir=tmp_path, store_dir=tmp_path / "store", corpus_path=report)
    store = CorpusStore(settings.store)
    store.save(stored)
    fresh = Corpus("r.txt", sha, (), (), ())
    calls: list[Settings] = []

    def fake_run_ingest(s: Settings) -> Corpus:
        calls.append(s)
        return fresh

    monkeypatch.setattr(pipeline, "run_ingest", fake_run_ingest)
    assert load_corpus(settings) == stored  # same text, same rules: the store is reused
    assert calls == []
    records = json.loads(store.records_path.read_text(encoding="utf-8"))
    records["parser_version"] = PARSER_VERSION - 1
    store.records_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert load_corpus(settings) is fresh
    assert len(calls) == 1


def test_a_store_from_older_rules_is_reported_as_outdated_not_broken(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, store_dir=tmp_path / "store")
    store = CorpusStore(settings.store)
    store.save(_corpus())
    records = json.loads(store.records_path.read_text(encoding="utf-8"))
    records["parser_version"] = PARSER_VERSION - 1
    store.records_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorpusError, match="older rules"):
        store.load()
