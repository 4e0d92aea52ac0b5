"""The latest composer rules seen through the assistant on the tiny corpus
(tests/assistant/conftest.py): missing ordinance articles, on-topic value facts, and
budget/KPI facts that speak for their record."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import Assistant
from assistant.citing import Fact
from assistant.composition import grounded
from assistant.models import Intent
from assistant.sources import SourceLines
from assistant.text import nfkc
from assistant.understanding import Query
from core import Settings
from index import Hit
from ingest import Corpus, Span

from .conftest import FakeSearcher


def _before_pointer(text: str) -> str:
    return text.split("報告書に記載があるのは", maxsplit=1)[0]


def _query(question: str, intent: Intent = Intent.PROGRAMME) -> Query:
    return Query(question, nfkc(question), intent)


# -- 2. another government's scheme is declined; a year before 市 is no place ------------------

_PLACE_GAP = "ご質問の地域・自治体について"


@pytest.mark.parametrize("place", ["横浜市の", "国のものづくり"])
def test_another_governments_scheme_is_declined(assistant: Assistant, place: str) -> None:
    a = assistant.ask(f"{place}補助金の上限は？")
    assert not a.answerable
    assert _PLACE_GAP in _before_pointer(a.answer)


def test_the_citys_own_scheme_is_answered(assistant: Assistant, corpus: Corpus) -> None:
    mono = corpus.programmes[0].name
    assert assistant.ask(f"{mono}の補助金の上限は？").answerable
    a = assistant.ask(f"平成29年度以降市は{mono}にいくら予算をつける？")
    assert a.answerable and _PLACE_GAP not in a.answer


# -- 4. an article the ordinance does not have -------------------------------------------------

_LAST_ARTICLE = 24


@pytest.fixture()
def ordinance_assistant(corpus: Corpus, settings: Settings) -> Assistant:
    """The tiny corpus with an ordinance of 前文, 第1条…第24条 and 附則 (all as copies of its
    one article: only their numbers matter here)."""
    (article,) = corpus.articles
    articles = tuple(
        dataclasses.replace(article, id=f"a{n}", number=n) for n in range(_LAST_ARTICLE + 2)
    )
    assert {a.label for a in articles} >= {"前文", "附則", f"第{_LAST_ARTICLE}条"}
    corpus = dataclasses.replace(corpus, articles=articles)
    return Assistant(corpus, FakeSearcher(corpus), settings, SourceLines.read(settings.corpus))


def test_an_article_past_the_last_is_missing(ordinance_assistant: Assistant) -> None:
    missing = ordinance_assistant.composer.articles.missing
    assert missing("条例第26条には何が書いてある？") == [26]
    assert missing(f"条例第{_LAST_ARTICLE}条の内容は？") == []


@pytest.mark.parametrize("question", ["条例の附則には何が書いてある？", "条例の前文の趣旨は？"])
def test_the_preamble_and_supplement_are_not_missing(
    ordinance_assistant: Assistant, question: str
) -> None:
    assert ordinance_assistant.composer.articles.missing(question) == []


def test_a_missing_article_is_declined_by_its_number(ordinance_assistant: Assistant) -> None:
    a = ordinance_assistant.ask("条例第26条には何が書いてある？")
    assert not a.answerable
    assert "条例第26条について" in _before_pointer(a.answer)


# -- 6. an explicit value ask is answered only by an on-topic fact ----------------------------


def _facts(assistant: Assistant) -> list[Fact]:
    """An on-topic fact without a rate (the KOBS plan) and an off-topic menu with one."""
    citer = assistant.composer.citer
    desk = Fact(
        "「川崎市海外ビジネス支援センター(KOBS)」において、海外展開を目指す中小企業を支援します。",
        (citer.cite(Span(35, 36), ["KOBS"], kind="plan"),),
    )
    menu = Fact(
        "市内小規模事業者の安定した経営活動の継続に資する取組に対する支援(補助対象経費の1/2以内)。",
        (citer.cite(Span(16, 18), ["1/2"], kind="support_menu"),),
    )
    return [desk, menu]


def _compose(assistant: Assistant, question: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the composer answers ``question`` from exactly the facts above."""
    composer = assistant.composer
    facts = _facts(assistant)
    assert all(grounded(f) for f in facts)
    monkeypatch.setattr(composer, "_facts", lambda *_: (facts, None))
    hits = [Hit(c, 1.0, i + 1) for i, c in enumerate(composer.corpus.chunks)]
    query = dataclasses.replace(assistant.parser.parse(question), intent=Intent.PROGRAMME)
    return composer.compose(query, hits).answerable


def test_an_off_topic_rate_does_not_answer_a_rate_ask(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 海外 ties the question to the desk; the menu's 1/2 shares no content word with it.
    assert not _compose(assistant, "海外の相談は何割を負担してもらえる？", monkeypatch)


def test_an_on_topic_rate_answers_a_rate_ask(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _compose(assistant, "海外の相談で補助対象経費の何割を負担してもらえる？", monkeypatch)


# -- 9. budget and KPI facts speak for their record ---------------------------------------------


def test_budget_and_kpi_facts_carry_their_programme(assistant: Assistant, corpus: Corpus) -> None:
    records = assistant.composer.records
    mono = corpus.programmes[0]
    budget = records.budget_facts(mono, ())
    kpis = records.kpi_facts(mono, _query(f"{mono.name}の目標は？", Intent.KPI))
    assert budget and kpis
    assert {f.record for f in (*budget, *kpis)} == {mono.name}


def test_a_scheme_named_in_the_records_text_keeps_the_budget_answer(
    assistant: Assistant, corpus: Corpus
) -> None:
    mono = corpus.programmes[0]
    menu = "産学共同研究開発プロジェクト"  # in the record's menus, not in its budget rows
    a = assistant.ask(f"{mono.name}の「{menu}」の予算はいくら？")
    assert a.answerable
    first = a.answer.splitlines()[0]
    assert "予算" in first and "45,000千円" in first and menu not in first
