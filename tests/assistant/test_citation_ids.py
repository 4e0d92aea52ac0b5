"""Every citation the assistant returns opens its passage: its id is a chunk id that
/api/sources/{id} (what the chat's citation chip calls) resolves, and that chunk holds the
quoted lines."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api import Services, create_app
from assistant import Assistant
from assistant.sources import SourceLines
from ingest import Corpus, Section, Span

QUESTIONS = [
    # answered from records, passages and the ordinance
    "産学共同研究の補助上限と補助率は？",
    "新製品・新技術開発の補助率は？",
    "小規模事業者が使える補助金はある？",
    "小規模事業資金（ミニ）の利率は？",
    "小規模事業資金（ミニ）の返済期間は？",
    "間接融資事業の問い合わせ先は？",
    "ものづくり中小企業経営革新等支援事業の窓口は？",
    "ものづくり中小企業経営革新等支援事業はどこに相談すればいい？",
    "ものづくり中小企業経営革新等支援事業の予算は？",
    "ものづくり中小企業経営革新等支援事業の28年度決算は？",
    "産学共同研究開発プロジェクト支援の件数の実績は？",
    "KOBSって何？",
    "海外展開支援事業の内容は？",
    "市内の事業所数は？",
    "従業者数は何人？",
    "第15条は何について？",
    "第十五条の内容を教えて",
    "条例の経営基盤の強化について",
    # declined: the report is silent, the answer points to what it does say
    "天気はどう？",
    "今日の天気は？",
    "KOBSの電話番号は？",
    "海外展開支援事業の締切は？",
    "海外展開支援事業の予算は？",
    "間接融資事業の電話番号",
    "横浜市の補助金は？",
    "条例第30条は？",
    "ものづくり支援窓口の営業時間は？",
    "令和5年度の予算は？",
]
FOLLOW_UPS = [
    ("小規模事業資金（ミニ）の利率は？", "その限度額は？"),
    ("産学共同研究の補助上限は？", "その補助率は？"),
    ("ものづくり中小企業経営革新等支援事業の予算は？", "じゃあ窓口は？"),
]


@pytest.fixture()
def with_introduction(corpus: Corpus) -> Corpus:
    """The corpus with an introduction section whose lines another chunk holds (as in the
    report, where off-topic questions are pointed to the introduction's first sentence)."""
    intro = Section("s-intro", "introduction", "はじめに", corpus.chunks[-2].text, 10, Span(38, 38))
    return replace(corpus, sections=(intro,))


@pytest.fixture()
def client(with_introduction, settings, fake_searcher_cls) -> TestClient:
    searcher = fake_searcher_cls(with_introduction)
    source = SourceLines.read(settings.corpus)
    assistant = Assistant(with_introduction, searcher, settings, source)
    app = create_app(settings, services=Services(with_introduction, searcher, assistant))
    return TestClient(app)


def _assert_resolvable(client: TestClient, answer: dict) -> int:
    for citation in answer["citations"]:
        response = client.get(f"/api/sources/{citation['id']}")
        assert response.status_code == 200, (answer["question"], citation)
        first, last = response.json()["lines"]
        cited_first, cited_last = citation["lines"]
        assert cited_first <= last and first <= cited_last, (answer["question"], citation)
    return len(answer["citations"])


def test_every_citation_id_resolves_to_its_passage(client):
    cited = 0
    for question in QUESTIONS:
        response = client.post("/api/ask", json={"question": question})
        assert response.status_code == 200, question
        cited += _assert_resolvable(client, response.json())
    for first, second in FOLLOW_UPS:
        cid = client.post("/api/ask", json={"question": first}).json()["conversation_id"]
        for question in (first, second):
            body = {"question": question, "conversation_id": cid}
            cited += _assert_resolvable(client, client.post("/api/ask", json=body).json())
    assert cited >= len(QUESTIONS)  # the check ran on real citations, not on empty lists


def test_off_topic_question_cites_a_passage_that_opens(client):
    answer = client.post("/api/ask", json={"question": "天気はどう？"}).json()
    assert answer["answerable"] is False
    assert answer["citations"], answer
    assert _assert_resolvable(client, answer)
