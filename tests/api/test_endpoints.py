"""Every endpoint, through the factory with fakes injected by dependency_overrides."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api import Services, create_app
from api.deps import get_answerer
from core import AnswerError

CITATION_KEYS = {"id", "kind", "programme", "article", "section", "page", "quote", "lines"}
ANSWER_KEYS = {
    "question",
    "answer",
    "answerable",
    "intent",
    "citations",
    "latency_ms",
    "conversation_id",
    "answer_id",
}


def sse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_ask_answers_with_the_cli_json_shape(client, corpus, fakes):
    menu = corpus.programmes[1].support_menus[0]
    response = client.post("/api/ask", json={"question": "小規模事業資金（ミニ）の限度額は？"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ANSWER_KEYS
    assert body["answerable"] is True
    assert body["intent"] == "loan"
    assert fakes.format_yen(menu.cap_yen) in body["answer"]
    assert body["conversation_id"] is None  # a one-shot question starts no conversation
    [citation] = body["citations"]
    assert set(citation) == CITATION_KEYS
    assert citation["quote"] == menu.text
    assert citation["lines"] == menu.lines.as_list()
    assert citation["programme"] == corpus.programmes[1].id  # ids, like `ask --json`


def test_ask_continues_the_conversation_it_issued(client, answerer):
    started = client.post(
        "/api/ask", json={"question": "展示会出展料の補助の上限は？", "new_conversation": True}
    ).json()
    cid = started["conversation_id"]
    assert cid and answerer.calls[-1] == ("展示会出展料の補助の上限は？", cid)
    body = client.post("/api/ask", json={"question": "その上限は？", "conversation_id": cid}).json()
    assert body["conversation_id"] == cid
    assert answerer.calls[-1] == ("その上限は？", cid)


def test_ask_strips_the_question(client, answerer):
    client.post("/api/ask", json={"question": "  展示会出展料の補助  \n"})
    assert answerer.calls[-1][0] == "展示会出展料の補助"


def test_unanswerable_question_says_so(client):
    body = client.post("/api/ask", json={"question": "宇宙旅行の補助金は？"}).json()
    assert body["answerable"] is False
    assert body["citations"] == []
    assert "記載がありません" in body["answer"]


def test_chat_streams_deltas_then_the_final_answer(client, corpus, fakes):
    menu = corpus.programmes[0].support_menus[0]
    response = client.post("/api/chat", json={"question": "展示会出展料の補助の上限額は？"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["answer", "done"]
    assert names.count("delta") >= 2
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    final = events[-2][1]
    assert streamed == final["answer"]
    assert fakes.format_yen(menu.cap_yen) in streamed
    assert set(final) == ANSWER_KEYS
    assert final["conversation_id"] == events[0][1]["conversation_id"]
    assert final["citations"][0]["id"] == "c-fair"


def test_chat_follow_up_uses_the_conversation(client, corpus):
    start = {"question": "小規模事業資金の限度額", "new_conversation": True}
    first = sse_events(client.post("/api/chat", json=start).text)
    cid = first[0][1]["conversation_id"]
    follow = client.post("/api/chat", json={"question": "その利率は？", "conversation_id": cid})
    final = sse_events(follow.text)[-2][1]
    assert final["conversation_id"] == cid
    assert corpus.programmes[1].support_menus[0].rate in final["answer"]
    alone = sse_events(client.post("/api/chat", json={"question": "その利率は？"}).text)
    assert alone[-2][1]["answerable"] is False


def test_chat_reports_a_failure_inside_the_stream(app, client):
    class Broken:
        def stream(self, question, conversation_id=None):
            yield "途中"
            raise AnswerError("LLM が応答しませんでした。")

    broken = Broken()
    app.dependency_overrides[get_answerer] = lambda: broken
    events = sse_events(client.post("/api/chat", json={"question": "融資"}).text)
    assert [name for name, _ in events] == ["meta", "delta", "error", "done"]
    assert events[2][1]["status"] == 422
    assert "Traceback" not in json.dumps(events, ensure_ascii=False)


def test_search_returns_ranked_hits(client, corpus):
    body = client.get("/api/search", params={"q": "展示会出展料", "k": 2}).json()
    assert body["k"] == 2
    assert 1 <= len(body["hits"]) <= 2
    assert body["hits"][0]["id"] == "c-fair"
    assert body["hits"][0]["programme_name"] == corpus.programmes[0].name
    assert [hit["rank"] for hit in body["hits"]] == list(range(1, len(body["hits"]) + 1))


def test_search_defaults_k_from_settings_and_filters(client, settings):
    body = client.get("/api/search", params={"q": "の補助"}).json()
    assert body["k"] == settings.search_k
    assert len(body["hits"]) <= settings.search_k
    only = client.get("/api/search", params={"q": "施策と資金", "kind": "article"}).json()
    assert only["hits"] and {hit["kind"] for hit in only["hits"]} == {"article"}
    loan = client.get("/api/search", params={"q": "施策と資金", "article": 16}).json()
    assert {hit["article"] for hit in loan["hits"]} == {16}


def test_programmes_list_and_detail(client, corpus):
    listing = client.get("/api/programmes").json()
    assert [p["name"] for p in listing] == [p.name for p in corpus.programmes]
    assert listing[0]["has_record"] is True
    name = corpus.programmes[1].name
    detail = client.get(f"/api/programmes/{name}").json()
    assert detail["name"] == name
    assert detail["support_menus"][0]["rate"] == corpus.programmes[1].support_menus[0].rate
    assert client.get("/api/programmes/p-loan").json()["name"] == name


def test_article_by_number_label_and_full_width(client, corpus):
    body = client.get("/api/articles/12").json()
    assert body["label"] == "第12条"
    assert body["title"] == corpus.articles[1].title
    assert body["paragraphs"][0]["items"][0].startswith("(1)")
    assert client.get("/api/articles/第１２条").json()["number"] == 12
    assert client.get("/api/articles/附則").json()["number"] == 25
    assert client.get("/api/articles/0").json()["label"] == "前文"
    assert client.get("/api/articles/14").status_code == 404


def test_article_lists_its_programmes(client, corpus):
    body = client.get("/api/articles/12").json()
    assert body["programmes"] == [p.name for p in corpus.programmes if p.article == 12]
    assert body["programmes"]


def test_source_returns_the_chunk(client, corpus):
    chunk = corpus.chunks[2]
    body = client.get(f"/api/sources/{chunk.id}").json()
    assert body["text"] == chunk.text
    assert body["lines"] == chunk.lines.as_list()
    assert body["article_label"] == "第12条"
    menu_chunk = corpus.chunks[0]
    named = client.get(f"/api/sources/{menu_chunk.id}").json()
    assert named["programme"] == corpus.programmes[0].id
    assert named["programme_name"] == corpus.programmes[0].name


def test_healthz_reports_what_is_loaded(settings, fakes, corpus):
    app = create_app(
        settings,
        services=Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus)),
    )
    with TestClient(app) as client:
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["chunks"] == len(corpus.chunks)
    assert body["programmes"] == len(corpus.programmes)


def test_healthz_is_degraded_without_stages(settings):
    body = TestClient(create_app(settings, services=Services(error="x"))).get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["answerer"] is False


def test_missing_stages_answer_503_without_internals(settings):
    client = TestClient(create_app(settings, services=Services()))
    for response in (
        client.post("/api/ask", json={"question": "融資"}),
        client.get("/api/programmes"),
        client.get("/api/search", params={"q": "融資"}),
    ):
        assert response.status_code == 503
        assert response.json()["detail"]


def test_chat_page_and_docs_are_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace("http-equiv", "")  # no CDN
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/chat", "/api/search", "/healthz"} <= set(schema["paths"])


def test_programme_names_resolve_ids_and_names(corpus):
    from api.routes_corpus import programme_names  # noqa: PLC0415

    names = programme_names(corpus)
    for programme in corpus.programmes:
        assert names[programme.id] == programme.name
        assert names[programme.name] == programme.name
