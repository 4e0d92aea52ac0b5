"""Casual ordinance questions: meaning-level closeness helps choose the article."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from assistant import Assistant
from assistant.ordinance import ArticleFacts
from assistant.sources import SourceLines
from core import Settings
from ingest import Article, ArticleItem, ArticleParagraph, Corpus, Span

from .conftest import FakeSearcher

_QUESTION = "条例って、市とか国とか市民がお互いに協力しようって書いてある？"


def _articles(corpus: Corpus) -> Corpus:
    ideals = Article(
        id="a3",
        number=3,
        title="基本理念",
        paragraphs=(
            ArticleParagraph(
                1,
                "中小企業の活性化は、次の基本理念にのっとり、推進が図られなければならない。",
                (ArticleItem(1, "市、国、中小企業者及び市民の相互の連携が促進されること。"),),
            ),
        ),
        page=68,
        lines=Span(1, 3),
    )
    citizens = Article(
        id="a10",
        number=10,
        title="市民の役割",
        paragraphs=(
            ArticleParagraph(1, "市民は、中小企業の活性化に協力するよう努めるものとする。"),
        ),
        page=69,
        lines=Span(4, 5),
    )
    return dataclasses.replace(corpus, articles=(ideals, citizens))


def _close_to_mutual(query: str, texts: Sequence[str]) -> list[float]:
    """A stand-in embedder that knows お互いに協力 means 相互の連携."""
    return [0.9 if "相互の連携" in t else 0.8 for t in texts]


def test_closeness_in_meaning_can_outweigh_shared_words(
    assistant: Assistant, corpus: Corpus
) -> None:
    facts = ArticleFacts(
        _articles(corpus), assistant.composer.citer, assistant.composer.passages.relevance
    )
    query = assistant.parser.parse(_QUESTION)
    assert [a.number for a in facts.best(query, [])] == [10]  # words alone: 協力, 市民
    facts.similarity = _close_to_mutual
    assert [a.number for a in facts.best(query, [])] == [3]
    # An article asked by number is that article, however close another one is.
    numbered = assistant.parser.parse("条例第10条には何と書いてある？")
    assert [a.number for a in facts.best(numbered, [])] == [10]


def test_every_provision_is_offered_for_comparison(assistant: Assistant, corpus: Corpus) -> None:
    facts = ArticleFacts(_articles(corpus), assistant.composer.citer)
    texts = [text for _, text in facts.provisions()]
    assert (
        "基本理念" in texts and "市、国、中小企業者及び市民の相互の連携が促進されること。" in texts
    )


def test_the_assistant_uses_a_searcher_that_offers_similarity(
    corpus: Corpus, settings: Settings
) -> None:
    class _Semantic(FakeSearcher):
        def __init__(self, corpus: Corpus) -> None:
            super().__init__(corpus)
            self.compared: list[int] = []

        def similarity(self, query: str, texts: Sequence[str]) -> list[float]:
            self.compared.append(len(texts))
            return [0.0] * len(texts)

    searcher = _Semantic(corpus)
    assistant = Assistant(corpus, searcher, settings, SourceLines.read(settings.corpus))
    assert assistant.composer.articles.similarity is not None
    assert searcher.compared  # the provisions are embedded when the assistant starts
