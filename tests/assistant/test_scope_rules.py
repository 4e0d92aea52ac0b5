"""Scope rules: other cities' schemes, the definitions article, list provisions."""

from __future__ import annotations

import dataclasses

from assistant.aliases import AliasIndex
from assistant.corpus_terms import corpus_terms
from assistant.evidence import other_places
from assistant.ordinance import ArticleFacts
from assistant.understanding import QuestionParser
from ingest import Article, ArticleItem, ArticleParagraph, Corpus, Section, Span


def test_other_places_are_cities_and_prefectures_not_districts(corpus: Corpus) -> None:
    terms = corpus_terms(corpus)  # the report's own city, read from its records
    assert other_places("横浜市の中小企業向け補助金の上限は？", terms) == ["横浜市"]
    assert other_places("川崎市の補助金は？", terms) == []
    assert other_places("水江町の地区活性化の予算は？", terms) == []
    # Without the corpus's word for its own city, 川崎市 is just another city.
    assert other_places("川崎市の補助金は？") == ["川崎市"]


def _articles() -> Corpus:
    definitions = Article(
        "a2",
        2,
        "定義",
        (
            ArticleParagraph(
                1,
                "この条例において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。",
                (
                    ArticleItem(1, "中小企業者 市内に事務所を有するものをいう。"),
                    ArticleItem(2, "大学等 大学その他の研究機関で、市内に施設を有するものをいう。"),
                ),
            ),
        ),
        1,
        Span(1, 3),
    )
    roles = Article(
        "a8",
        8,
        "大学等の役割",
        (ArticleParagraph(1, "大学等は、市の施策に協力するよう努めるものとする。"),),
        1,
        Span(4, 4),
    )
    return Corpus("r.txt", "0" * 64, (), (definitions, roles), ())


def test_what_a_term_means_is_answered_by_the_definitions() -> None:
    question = "条例でいう「大学等」って、市外の大学も入るの？"
    articles = _articles()
    query = QuestionParser(AliasIndex(articles)).parse(question)
    best = ArticleFacts(articles, None).best(query, [])  # type: ignore[arg-type]
    assert best and best[0].title == "定義"
    units = ArticleFacts(articles, None)._relevant(best[0], query)  # type: ignore[arg-type]
    assert any("市内に施設を有する" in u for u in units)


def test_a_quoted_term_is_answered_by_the_item_defining_it() -> None:
    articles = _articles()
    named = "中小企業者支援条例"  # its name shares words with another item (中小企業者)
    query = QuestionParser(AliasIndex(articles)).parse(
        f"{named}第2条で「大学等」はどう定義されている？"
    )
    facts = ArticleFacts(articles, None, ordinance_names=(named,))  # type: ignore[arg-type]
    units = facts._relevant(articles.articles[0], query)
    assert units == ["(2) 大学等 大学その他の研究機関で、市内に施設を有するものをいう。"]


def test_the_ordinances_own_name_does_not_choose_its_article() -> None:
    """Its name shares words with a provision (大学等…役割) that is not the one asked about."""
    articles = _articles()
    named = "大学等の役割を定める研究機関連携条例"
    query = QuestionParser(AliasIndex(articles)).parse(f"{named}で、市内に施設を有する研究機関は？")
    plain = ArticleFacts(articles, None)  # type: ignore[arg-type]
    assert plain.best(query, [])[0].title == "大学等の役割"
    knowing = ArticleFacts(articles, None, ordinance_names=(named,))  # type: ignore[arg-type]
    assert knowing.best(query, [])[0].title == "定義"


def test_the_ordinances_the_report_quotes_are_read_from_it(corpus: Corpus) -> None:
    text = "平成28年4月に「A市研究機関連携条例」(以下「連携\n条例」)を施行。"
    quoting = Section("s-intro", "introduction", "はじめに", text, 1, Span(1, 1))
    terms = corpus_terms(dataclasses.replace(corpus, sections=(*corpus.sections, quoting)))
    assert terms.ordinance_names[-2:] == ("A市研究機関連携条例", "連携条例")


def test_an_article_the_topics_stage_is_all_but_certain_of_is_the_one_quoted() -> None:
    from assistant.topics import CERTAIN, ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import certain_article  # noqa: PLC0415 - this test's only

    articles = _articles()
    query = QuestionParser(AliasIndex(articles)).parse("条例で、市内に施設を有する研究機関は？")
    facts = ArticleFacts(articles, None)  # type: ignore[arg-type]
    assert facts.best(query, [])[0].title == "定義"
    roles = Topic("article", "8", "第8条")
    certain = certain_article(query, [ScoredTopic(roles, 2.0, CERTAIN)])
    assert facts.best(certain, [])[0].title == "大学等の役割"
    # Less sure, the article is chosen by its words as before.
    unsure = certain_article(query, [ScoredTopic(roles, 1.0, CERTAIN - 0.1)])
    assert facts.best(unsure, [])[0].title == "定義"
    # A question asking what a term means still gets the definitions first.
    meaning = QuestionParser(AliasIndex(articles)).parse("条例でいう「大学等」って何？")
    assert (
        facts.best(certain_article(meaning, [ScoredTopic(roles, 2.0, 0.9)]), [])[0].title == "定義"
    )
