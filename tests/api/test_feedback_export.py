"""The feedback file: retention, and `sme-assistant feedback export` (gold-format stubs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.cli import main
from api.deps import get_answerer
from api.feedback_store import FeedbackEntry, SqliteFeedbackStore
from core import Settings

DAY = 86400.0
GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "loan.jsonl"


def entry(answer_id: str, question: str = "融資の上限は？", at: float = 0.0) -> FeedbackEntry:
    return FeedbackEntry(answer_id, "declined", question, "記載がありません。", "loan", None, at)


def test_rows_older_than_the_retention_or_beyond_the_cap_are_deleted_on_write(tmp_path):
    now = [100 * DAY]
    store = SqliteFeedbackStore(
        tmp_path / "feedback.sqlite3", retention_s=30 * DAY, max_rows=3, clock=lambda: now[0]
    )
    with store:
        store.record(entry("old", at=60 * DAY))
        store.record(entry("recent", at=90 * DAY))
        assert [e.answer_id for e in store.entries()] == ["recent"]
        for number in range(4):
            store.record(entry(f"new{number}"))
        assert len(store) == 3
        assert [e.answer_id for e in store.entries()] == ["new1", "new2", "new3"]
        now[0] += 31 * DAY  # past the retention, even with no write since
        assert store.entries() == []


@pytest.fixture
def store_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SME_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_writes_one_gold_stub_per_question(store_env, fakes, capsys):
    settings = Settings(store_dir=store_env / "store")
    app = create_app(settings, services=Services(error="tests inject fakes"))
    corpus = fakes.build_corpus()
    app.dependency_overrides[get_answerer] = lambda: fakes.FakeAnswerer(corpus)
    with TestClient(app) as client:
        answer = client.post("/api/ask", json={"question": "展示会出展料の補助の上限は？"}).json()
        client.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down"})
        for _ in range(2):
            client.post("/api/ask", json={"question": "市役所の電話番号は？"})
    main(["feedback", "export", "--out", "new_gold.jsonl"])
    assert "2" in capsys.readouterr().out
    rows = [json.loads(line) for line in (store_env / "new_gold.jsonl").read_text().splitlines()]
    assert [row["question"] for row in rows] == [
        "市役所の電話番号は？",
        "展示会出展料の補助の上限は？",
    ]
    assert rows[1]["answer"] == answer["answer"]
    assert all(row["must_include"] == [] and row["sources"] == [] for row in rows)
    gold = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    assert list(rows[0]) == list(gold)  # the gold files' fields, in their order
    assert len({row["id"] for row in rows}) == 2


def test_export_with_nothing_recorded_creates_no_store(store_env):
    main(["feedback", "export", "--out", "new_gold.jsonl"])
    assert (store_env / "new_gold.jsonl").read_text() == ""
    assert not (store_env / "store").exists()


def test_export_does_not_overwrite_a_file_being_completed(store_env, capsys):
    (store_env / "new_gold.jsonl").write_text('{"id": "draft"}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["feedback", "export", "--out", "new_gold.jsonl"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert (store_env / "new_gold.jsonl").read_text() == '{"id": "draft"}\n'
