"""Conversations over HTTP: ids only the server issues, one-shot questions keep nothing."""

from __future__ import annotations

import asyncio
import base64
import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from api.conversations import WebConversations
from api.deps import get_answerer, get_corpus, get_searcher
from assistant import Intent, SqliteConversationStore, conversation_db_path
from assistant.understanding import Query

PATHS = ["/api/ask", "/api/chat"]
FIRST = "小規模事業資金の限度額"
FOLLOW_UP = "その利率は？"
NOT_FOUND = "会話が見つかりません（期限切れの可能性があります）"
ANONYMOUS = ["創業の相談窓口は？", "展示会出展料の補助", "宇宙旅行の補助金は？"]


def _final(response: httpx.Response) -> dict:
    """The answer object of either endpoint (for /api/chat: its `answer` event)."""
    if not response.headers["content-type"].startswith("text/event-stream"):
        return response.json()
    events = []
    for block in response.text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    assert events[0][0] == "meta" and events[-1][0] == "done"
    [answer] = [data for name, data in events if name == "answer"]
    assert events[0][1] == {"conversation_id": answer["conversation_id"]}
    return answer


def _start(client, path: str = "/api/ask", question: str = FIRST) -> str:
    response = client.post(path, json={"question": question, "new_conversation": True})
    assert response.status_code == 200
    cid = _final(response)["conversation_id"]
    assert isinstance(cid, str)
    return cid


def _rate(corpus) -> str:
    return corpus.programmes[1].support_menus[0].rate


def _app(settings, fakes, corpus, answerer):
    app = create_app(settings, services=Services(error="tests inject fakes"))
    app.dependency_overrides[get_corpus] = lambda: corpus
    app.dependency_overrides[get_searcher] = lambda: fakes.FakeSearcher(corpus)
    app.dependency_overrides[get_answerer] = lambda: answerer
    return app


def test_one_shot_questions_start_no_conversation(client, settings):
    for path in PATHS:
        response = client.post(path, json={"question": FIRST})
        assert response.status_code == 200
        assert _final(response)["conversation_id"] is None
    blank = client.post("/api/ask", json={"question": FIRST, "conversation_id": "  "})
    assert blank.json()["conversation_id"] is None
    assert not conversation_db_path(settings).exists()  # the store was not even opened


@pytest.mark.parametrize("path", PATHS)
def test_follow_up_resolves_with_the_issued_id(client, corpus, path):
    cid = _start(client, path)
    follow = client.post(path, json={"question": FOLLOW_UP, "conversation_id": cid})
    assert follow.status_code == 200
    final = _final(follow)
    assert final["conversation_id"] == cid
    assert _rate(corpus) in final["answer"]
    alone = _final(client.post(path, json={"question": FOLLOW_UP}))
    assert alone["answerable"] is False  # without the id, no context


def test_issued_ids_are_unguessable_and_unique(client):
    ids = [_start(client, PATHS[n % 2]) for n in range(30)]
    assert len(set(ids)) == len(ids)
    for cid in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", cid)
        assert len(base64.urlsafe_b64decode(cid + "=" * (-len(cid) % 4))) >= 16  # ≥ 128 bits


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("cid", ["chat1", "abc", "x" * 128])
def test_an_id_the_server_never_issued_is_refused(client, answerer, path, cid):
    response = client.post(path, json={"question": FOLLOW_UP, "conversation_id": cid})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")  # before any stream
    body = response.json()
    assert body["error"] == "conversation_not_found"
    assert NOT_FOUND in body["detail"]
    assert answerer.calls == []  # not answered as a new conversation either


def test_client_b_cannot_continue_client_a_conversation(client, answerer, corpus):
    a_cid = _start(client)
    changed = a_cid[:-1] + ("B" if a_cid[-1] == "A" else "A")
    for guess in ["chat1", "1", changed, a_cid[:-1], a_cid + "x"]:
        response = client.post("/api/ask", json={"question": FOLLOW_UP, "conversation_id": guess})
        assert response.status_code == 404, guess
    b_cid = _start(client, question="展示会出展料の補助の上限は？")
    assert b_cid != a_cid
    a_follow = client.post("/api/ask", json={"question": FOLLOW_UP, "conversation_id": a_cid})
    assert _rate(corpus) in a_follow.json()["answer"]
    assert {cid for _, cid in answerer.calls} == {a_cid, b_cid}


def test_command_line_conversations_are_out_of_reach(client, settings):
    query = Query(question=FIRST, text=FIRST, intent=Intent.LOAN)
    with SqliteConversationStore(conversation_db_path(settings), "local") as local:
        local.remember("chat1", query)  # what `ask --conversation chat1` keeps
    response = client.post("/api/ask", json={"question": FOLLOW_UP, "conversation_id": "chat1"})
    assert response.status_code == 404


def test_starting_and_continuing_at_once_is_refused(client):
    cid = _start(client)
    body = {"question": FOLLOW_UP, "conversation_id": cid, "new_conversation": True}
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert "new_conversation" in response.json()["detail"]


def test_a_flood_of_anonymous_questions_does_not_evict_a_conversation(
    settings, fakes, corpus, answerer
):
    app = _app(settings.model_copy(update={"max_conversations": 2}), fakes, corpus, answerer)

    async def run() -> tuple[str, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = {"question": FIRST, "new_conversation": True}
            cid = (await client.post("/api/ask", json=first)).json()["conversation_id"]
            for n in range(1001):
                one_shot = {"question": ANONYMOUS[n % len(ANONYMOUS)]}
                assert (await client.post("/api/ask", json=one_shot)).is_success
            follow = {"question": FOLLOW_UP, "conversation_id": cid}
            return cid, await client.post("/api/ask", json=follow)

    cid, follow = asyncio.run(run())
    assert follow.status_code == 200
    assert follow.json()["conversation_id"] == cid
    assert _rate(corpus) in follow.json()["answer"]
    assert len(app.state.conversations.store()) == 1


def test_an_idle_conversation_expires(app, client, settings, corpus):
    now = [1_000_000.0]
    store = SqliteConversationStore(
        conversation_db_path(settings), "web", ttl_s=600, clock=lambda: now[0]
    )
    app.state.conversations = WebConversations(settings, store)
    cid = _start(client)
    now[0] += 599
    follow = client.post("/api/ask", json={"question": FOLLOW_UP, "conversation_id": cid})
    assert _rate(corpus) in follow.json()["answer"]  # and the turn renews its age
    now[0] += 600
    expired = client.post("/api/chat", json={"question": FOLLOW_UP, "conversation_id": cid})
    assert expired.status_code == 404
    assert NOT_FOUND in expired.json()["detail"]
    store.close()


def test_worker_processes_sharing_the_store_share_conversations(settings, fakes, corpus, answerer):
    # Two apps on one store folder stand for two uvicorn workers (each opens the file).
    workers = [TestClient(_app(settings, fakes, corpus, answerer)) for _ in range(2)]
    cid = _start(workers[0])
    follow = workers[1].post("/api/chat", json={"question": FOLLOW_UP, "conversation_id": cid})
    assert follow.status_code == 200
    assert _rate(corpus) in _final(follow)["answer"]
    assert conversation_db_path(settings).is_file()


def test_an_unusable_store_fails_conversations_only(client, settings):
    conversation_db_path(settings).mkdir(parents=True)  # a folder where the file should be
    started = client.post("/api/ask", json={"question": FIRST, "new_conversation": True})
    assert started.status_code == 503
    assert "Traceback" not in started.text and str(settings.store) not in started.text
    assert client.post("/api/ask", json={"question": FIRST}).status_code == 200


def test_the_served_assistant_keeps_its_turns_where_ids_are_checked(
    monkeypatch, settings, fakes, corpus
):
    import api.services  # noqa: PLC0415

    given = []

    def build(_settings, conversations=None):
        given.append(conversations)
        answerer = fakes.FakeAnswerer(corpus)
        answerer.corpus, answerer.searcher = corpus, fakes.FakeSearcher(corpus)
        return answerer

    monkeypatch.setattr(api.services, "build_assistant", build)
    app = create_app(settings)  # no injected services: the lifespan loads the stages
    with TestClient(app) as client:
        cid = _start(client)
        [store] = given
        assert isinstance(store, SqliteConversationStore) and store.exists(cid)
        assert app.state.conversations.store() is store
