"""Ratings under several server processes: two apps on one store stand for two workers."""

from __future__ import annotations

import logging
import stat
import threading
from contextlib import ExitStack, contextmanager

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.answer_ids import AnswerIds
from core import ConfigError, Settings, get_settings

FAIR = "展示会出展料の補助の上限は？"
UNKNOWN = "市役所の電話番号は？"


@contextmanager
def workers(settings: Settings, fakes, corpus, count: int = 2):
    """``count`` apps built by the factory from the same settings, each started."""
    with ExitStack() as stack:
        clients = []
        for _ in range(count):
            services = Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))
            app = create_app(settings, services=services)
            clients.append(stack.enter_context(TestClient(app, raise_server_exceptions=False)))
        yield clients


def ask(client, question: str) -> dict:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


def rating(given: dict, question: str, **changes) -> dict:
    """The body the web chat sends: the id, and the answer carried back."""
    body = {
        "answer_id": given["answer_id"],
        "rating": "down",
        "question": question,
        "answer": given["answer"],
        "intent": given["intent"],
        "answerable": given["answerable"],
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def groups(client) -> list[dict]:
    response = client.get("/api/feedback/unanswered")
    assert response.status_code == 200, response.text
    return response.json()["groups"]


def test_a_thumbs_down_on_another_worker_records_the_answer_the_first_one_gave(
    settings, fakes, corpus
):
    with workers(settings, fakes, corpus) as (first, second):
        answer = ask(first, f"  {FAIR} ")
        response = second.post("/api/feedback", json=rating(answer, f"  {FAIR} "))
        assert response.status_code == 200, response.text
        assert response.json()["recorded"] is True
        # The comment typed afterwards reaches the first worker: still one record.
        again = rating(answer, FAIR, comment="窓口も知りたい")
        assert first.post("/api/feedback", json=again).status_code == 200
        [group] = groups(second)
    assert group["example"] == FAIR and group["count"] == 1
    assert group["answer"] == answer["answer"] and group["reasons"] == ["thumbs_down"]
    assert group["comments"] == ["窓口も知りたい"]


def test_a_thumbs_up_on_another_worker_takes_the_thumbs_down_back(settings, fakes, corpus):
    with workers(settings, fakes, corpus) as (first, second):
        answer = ask(first, FAIR)
        assert first.post("/api/feedback", json=rating(answer, FAIR)).status_code == 200
        response = second.post("/api/feedback", json=rating(answer, FAIR, rating="up"))
        assert response.status_code == 200, response.text
        assert groups(first) == []


@pytest.mark.parametrize(
    ("question", "changes"),
    [
        (FAIR, {"answer": "上限は1億円です。"}),
        ("融資の上限は？", {}),
        (FAIR, {"intent": "loan"}),
        (FAIR, {"answerable": False}),
        (FAIR, {"answer_id": "0" * 24 + "." + "0" * 32}),
    ],
    ids=["answer", "question", "intent", "answerable", "id"],
)
def test_an_answer_that_does_not_match_its_id_is_404_and_not_recorded(
    settings, fakes, corpus, question, changes
):
    with workers(settings, fakes, corpus) as (first, second):
        answer = ask(first, FAIR)
        response = second.post("/api/feedback", json=rating(answer, question, **changes))
        assert response.status_code == 404
        assert response.json()["error"] == "answer_not_found"
        assert groups(first) == []


@pytest.mark.parametrize("missing", ["question", "answer", "intent", "answerable"])
def test_a_rating_without_the_answer_is_404_on_another_worker(settings, fakes, corpus, missing):
    with workers(settings, fakes, corpus) as (first, second):
        answer = ask(first, FAIR)
        body = {k: v for k, v in rating(answer, FAIR).items() if k != missing}
        assert second.post("/api/feedback", json=body).status_code == 404
        # The worker that answered still takes it as before, the answer not needed.
        assert first.post("/api/feedback", json=body).json()["recorded"] is True


def test_the_same_worker_records_what_it_gave_not_what_was_sent(settings, fakes, corpus):
    with workers(settings, fakes, corpus, count=1) as (only,):
        answer = ask(only, FAIR)
        body = rating(answer, "別の質問", answer="別の回答")
        assert only.post("/api/feedback", json=body).json()["recorded"] is True
        [group] = groups(only)
    assert group["example"] == FAIR and group["answer"] == answer["answer"]


def test_the_key_file_is_created_once_private_and_shared(settings, fakes, corpus):
    key_file = settings.store / "feedback.key"
    with workers(settings, fakes, corpus, count=1) as (first,):
        answer = ask(first, FAIR)
    key = key_file.read_bytes()
    assert len(key) == 32 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with workers(settings, fakes, corpus) as (second, third):  # a restart, two workers
        assert second.post("/api/feedback", json=rating(answer, FAIR)).status_code == 200
        assert third.post("/api/feedback", json=rating(answer, FAIR)).status_code == 200
    assert key_file.read_bytes() == key
    assert [p.name for p in settings.store.glob("*feedback.key*")] == ["feedback.key"]


def test_workers_creating_the_key_at_once_agree_on_one(settings):
    ids = [AnswerIds(settings) for _ in range(8)]
    keys: list[bytes] = []
    barrier = threading.Barrier(len(ids))

    def load(one: AnswerIds) -> None:
        barrier.wait()
        keys.append(one.key())

    threads = [threading.Thread(target=load, args=(one,)) for one in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(keys) == len(ids) and len(set(keys)) == 1
    assert keys[0] == (settings.store / "feedback.key").read_bytes()


def test_a_store_that_cannot_be_written_signs_with_a_key_of_its_own(
    tmp_path, fakes, corpus, caplog
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, store_dir=blocker / "store")
    with (
        caplog.at_level(logging.WARNING, logger="api.answer_ids"),
        workers(settings, fakes, corpus) as (first, second),
    ):
        answers = [ask(first, question) for question in (FAIR, UNKNOWN, FAIR)]
        for answer in answers:
            response = first.post("/api/feedback", json=rating(answer, FAIR))
            assert response.status_code == 200 and response.json()["recorded"] is False
        # Each worker signs with its own key: the other cannot vouch for the answer.
        assert second.post("/api/feedback", json=rating(answers[0], FAIR)).status_code == 404
    warnings = [r for r in caplog.records if r.name == "api.answer_ids"]
    assert len(warnings) == 2  # once per worker, not per answer
    assert "only by the worker that answered" in warnings[0].getMessage()


def test_a_configured_secret_signs_without_a_key_file(tmp_path, fakes, corpus):
    secret = "s" * 16
    stores = [Settings(data_dir=tmp_path / name, feedback_secret=secret) for name in "ab"]
    with workers(stores[0], fakes, corpus, count=1) as (first,):
        answer = ask(first, FAIR)
    with workers(stores[1], fakes, corpus, count=1) as (second,):
        assert second.post("/api/feedback", json=rating(answer, FAIR)).status_code == 200
        assert groups(second)[0]["answer"] == answer["answer"]
    assert not list(tmp_path.rglob("feedback.key"))


@pytest.mark.parametrize("secret", ["", "short secret", " " * 20])
def test_a_short_secret_is_refused(monkeypatch, secret):
    monkeypatch.setenv("SME_FEEDBACK_SECRET", secret)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="SME_FEEDBACK_SECRET"):
            get_settings()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("question", "changes", "word"),
    [
        (FAIR, {"answer": "あ" * 4001}, "回答"),
        ("上限は\u0007", {}, "質問"),
        ("あ" * 1001, {}, "質問"),
        (FAIR, {"answerable": "たぶん"}, "回答可否"),
    ],
)
def test_a_bad_answer_carried_back_is_422_in_japanese(
    settings, fakes, corpus, question, changes, word
):
    with workers(settings, fakes, corpus, count=1) as (only,):
        answer = ask(only, FAIR)
        response = only.post("/api/feedback", json=rating(answer, question, **changes))
        assert response.status_code == 422
        assert word in response.json()["detail"]
        assert groups(only) == []
