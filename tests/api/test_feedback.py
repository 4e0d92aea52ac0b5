"""👍/👎 on answers, and the questions recorded for staff (「未回答・要改善」)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.deps import get_answerer
from assistant import Answer, Intent
from core import Settings

FAIR = "展示会出展料の補助の上限は？"
UNKNOWN = "市役所の電話番号は？"


def sse_answer(body: str) -> dict:
    events = [block.split("\n", 1) for block in body.strip().split("\n\n")]
    return next(json.loads(data[6:]) for name, data in events if name == "event: answer")


@pytest.fixture
def feedback_client(app):
    with TestClient(app, raise_server_exceptions=False) as client:  # closes the store after
        yield client


def ask(client, question: str) -> dict:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


def unanswered(client) -> dict:
    response = client.get("/api/feedback/unanswered")
    assert response.status_code == 200, response.text
    return response.json()


def test_thumbs_down_is_listed_once_per_question_with_its_count_and_comments(feedback_client):
    client = feedback_client
    first = ask(client, FAIR)
    # The same question spelt with a half-width ? and trailing spaces: one group.
    second = ask(client, "展示会出展料の補助の上限は?  ")
    assert first["answer_id"] and first["answer_id"] != second["answer_id"]
    for answer, comment in ((first, "金額が古い"), (second, None)):
        body = {"answer_id": answer["answer_id"], "rating": "down", "comment": comment}
        response = client.post("/api/feedback", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["recorded"] is True
    [group] = unanswered(client)["groups"]
    assert group["count"] == 2
    assert group["question"] == "展示会出展料の補助の上限は?"
    assert group["reasons"] == ["thumbs_down"]
    assert group["answer"] == first["answer"]
    assert group["comments"] == ["金額が古い"]


def test_a_comment_sent_after_the_thumbs_down_completes_it(feedback_client):
    answer = ask(feedback_client, FAIR)
    for comment in (None, "窓口も知りたい"):
        body = {"answer_id": answer["answer_id"], "rating": "down", "comment": comment}
        assert feedback_client.post("/api/feedback", json=body).status_code == 200
    [group] = unanswered(feedback_client)["groups"]
    assert group["count"] == 1 and group["comments"] == ["窓口も知りたい"]


def test_thumbs_up_is_not_recorded_and_takes_a_thumbs_down_back(feedback_client):
    answer = ask(feedback_client, FAIR)
    for rating in ("down", "up"):
        body = {"answer_id": answer["answer_id"], "rating": rating}
        response = feedback_client.post("/api/feedback", json=body)
        assert response.status_code == 200
    assert response.json()["recorded"] is False
    assert unanswered(feedback_client)["groups"] == []


def test_declined_answers_are_recorded_without_a_rating(feedback_client):
    answer = ask(feedback_client, UNKNOWN)
    assert answer["answerable"] is False
    ask(feedback_client, FAIR)  # answered, no rating: not recorded
    chat = feedback_client.post("/api/chat", json={"question": UNKNOWN})
    assert sse_answer(chat.text)["answer_id"]
    [group] = unanswered(feedback_client)["groups"]
    assert group["example"] == UNKNOWN and group["count"] == 2
    assert group["reasons"] == ["declined"] and group["intent"] == "out_of_scope"


def test_thumbs_down_on_a_streamed_answer(feedback_client):
    answer = sse_answer(feedback_client.post("/api/chat", json={"question": FAIR}).text)
    body = {"answer_id": answer["answer_id"], "rating": "down"}
    assert feedback_client.post("/api/feedback", json=body).json()["recorded"] is True
    assert unanswered(feedback_client)["groups"][0]["answer"] == answer["answer"]


class SureOrNot:
    """States a confidence in ``extra`` as the staged answerer does (or none at all)."""

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        extra = (("confidence", question),) if question[0].isdigit() else ()
        return Answer(question, "回答です。", True, Intent.SUBSIDY, (), 1.0, None, extra)

    def stream(self, question: str, conversation_id: str | None = None):
        yield self.ask(question, conversation_id)


def test_low_confidence_answers_are_recorded(app, feedback_client):
    app.dependency_overrides[get_answerer] = SureOrNot
    for question in ("0.05", "0.9", "確信度なし", "0.01 は数でない"):
        ask(feedback_client, question)
    [group] = unanswered(feedback_client)["groups"]
    assert group["question"] == "0.05" and group["reasons"] == ["low_confidence"]


def test_unknown_answer_id_is_404(feedback_client):
    response = feedback_client.post("/api/feedback", json={"answer_id": "0" * 32, "rating": "down"})
    assert response.status_code == 404
    assert response.json()["error"] == "answer_not_found"
    assert "回答が見つかりません" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"rating": "down", "comment": "あ" * 501},
        {"rating": "down", "comment": "ひどい\u0007"},
        {"rating": "meh"},
        {"rating": "down", "extra": 1},
    ],
)
def test_bad_feedback_is_422_in_japanese(feedback_client, body):
    answer = ask(feedback_client, FAIR)
    response = feedback_client.post(
        "/api/feedback", json={"answer_id": answer["answer_id"], **body}
    )
    assert response.status_code == 422
    assert set(response.json()) == {"error", "detail"}
    assert any(word in response.json()["detail"] for word in ("コメント", "評価", "項目"))
    assert unanswered(feedback_client)["groups"] == []


def test_with_recording_off_nothing_is_written(tmp_path, fakes, corpus, answerer):
    settings = Settings(data_dir=tmp_path, record_questions=False)
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    with TestClient(create_app(settings, services=services)) as client:
        for question in (UNKNOWN, FAIR):
            answer = ask(client, question)
            body = {"answer_id": answer["answer_id"], "rating": "down", "comment": "違う"}
            response = client.post("/api/feedback", json=body)
            assert response.status_code == 200 and response.json()["recorded"] is False
        assert unanswered(client) == {"recording": False, "groups": []}
    assert not (settings.store / "feedback.sqlite3").exists()
    assert not list(tmp_path.rglob("feedback*"))


def test_a_store_that_cannot_be_written_does_not_stop_answering(
    tmp_path, fakes, corpus, answerer, caplog
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, store_dir=blocker / "store")
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    with (
        caplog.at_level(logging.ERROR, logger="api.feedback"),
        TestClient(create_app(settings, services=services)) as client,
    ):
        for _ in range(3):
            answer = ask(client, UNKNOWN)
        response = client.post(
            "/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down"}
        )
        assert response.status_code == 200 and response.json()["recorded"] is False
        assert client.post("/api/chat", json={"question": UNKNOWN}).status_code == 200
    assert len(caplog.records) == 1 and "not recorded" in caplog.text


def test_with_recording_off_a_rating_of_another_process_is_taken_too(
    tmp_path, fakes, corpus, answerer
):
    # Another worker gave the answer: this one never saw its id, and nothing is written.
    settings = Settings(data_dir=tmp_path, record_questions=False)
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    with TestClient(create_app(settings, services=services)) as client:
        body = {"answer_id": "f" * 24 + "." + "0" * 32, "rating": "down"}
        response = client.post("/api/feedback", json=body)
    assert response.status_code == 200 and response.json()["recorded"] is False
    assert not list(tmp_path.rglob("feedback*"))
