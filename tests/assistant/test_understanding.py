from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.aliases import AliasIndex
from assistant.corpus_terms import corpus_terms
from assistant.models import Intent
from assistant.text import kanji_to_int, nfkc, numbers_in, quoted_numbers
from assistant.understanding import QuestionParser
from ingest import Article, ArticleParagraph, Span


@pytest.fixture()
def parser(corpus):
    return QuestionParser(AliasIndex(corpus), terms=corpus_terms(corpus))


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("産学共同研究の補助率は？", Intent.SUBSIDY),
        ("お金を借りたい。利率は？", Intent.LOAN),
        ("どこに相談すればいい？", Intent.CONTACT),
        ("平成28年度の予算はいくら？", Intent.BUDGET),
        ("目標に対する実績は？", Intent.KPI),
        ("条例の第3条は？", Intent.ORDINANCE),
        ("市内の事業所数は？", Intent.STATISTICS),
        # A casual question drops the particle of a cue (お金をかける): it still asks a budget.
        ("その支援、来年度はどれくらいお金かけるの？", Intent.BUDGET),
    ],
)
def test_intent_from_generic_cues(parser, question, intent):
    assert parser.parse(question).intent == intent


@pytest.mark.parametrize(
    ("question", "articles"),
    [("第十五条は？", (15,)), ("15条の内容", (15,)), ("第２４条", (24,))],
)
def test_article_numbers(parser, question, articles):
    assert parser.parse(question).articles == articles


def test_articles_without_a_number_are_named_by_their_label_in_the_corpus(corpus):
    preamble = Article(
        "a0", 0, "前文", (ArticleParagraph(1, "この条例を制定する。"),), 69, Span(1, 1)
    )
    with_preamble = replace(corpus, articles=(preamble, *corpus.articles))
    parser = QuestionParser(AliasIndex(with_preamble), terms=corpus_terms(with_preamble))
    assert parser.parse("前文には？").articles == (0,)
    # The tiny report has no preamble: the word names none of its articles.
    plain = QuestionParser(AliasIndex(corpus), terms=corpus_terms(corpus))
    assert plain.parse("前文には？").articles == ()


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("平成28年度予算", (2016,)),
        ("2016年度の実績", (2016,)),
        ("29年度予算は", (2017,)),
        ("平成二十九年度", (2017,)),
    ],
)
def test_fiscal_years(parser, question, years):
    assert parser.parse(question).fiscal_years == years


def test_programme_full_short_and_acronym(parser):
    assert parser.parse("間接融資事業の概要").programmes == ("p-loan",)
    # An acronym the record itself uses belongs to that programme (derived, not listed).
    assert parser.parse("ＫＯＢＳに相談したい").programmes == ("p-kobs",)
    assert parser.parse("ものづくり中小企業経営革新等支援の補助").programmes == ("p-mono",)


def test_profile(parser):
    q = parser.parse("うちは社員８人の町工場で、川崎で10年やってる個人事業主です")
    assert q.profile.employees == 8
    assert q.profile.industry == "manufacturing"
    assert q.profile.years_in_city == 10
    assert q.profile.sole_proprietor
    assert parser.parse("NPO法人ですが使える補助は？").profile.npo


def test_a_named_product_is_not_the_askers_profile(parser):
    # "小規模" inside a loan's name says nothing about the asker's business ...
    assert not parser.parse("小規模事業資金（ミニ）の限度額は？").profile.small
    # ... but the same word describing the asker does.
    assert parser.parse("小規模事業者ですが、借りられる資金は？").profile.small


def test_attributes(parser):
    assert "phone" in parser.parse("KOBSの電話番号は？").attributes
    assert "deadline" in parser.parse("応募の締切はいつ？").attributes
    assert parser.parse("KOBSとは？").attributes == ()


def test_follow_up_detection(parser):
    assert parser.parse("その補助率は？").follow_up
    assert parser.parse("小規模事業者だったら？").follow_up
    assert not parser.parse("今日の天気は？").follow_up
    assert not parser.parse("間接融資事業の利率は？").follow_up


def test_text_helpers():
    assert nfkc("１，５００万円　２/３") == "1,500万円 2/3"
    assert numbers_in("１，５００万円、年1 .3％") == ["1500", "1.3"]
    assert numbers_in("実 績（件） ３ 2") == ["3", "2"]  # two KPI values, not 32
    assert "20.9" in quoted_numbers("2 0 . 9%")
    # A chart's count and share printed on two lines, each broken by spaces.
    assert {"342", "40.9"} <= quoted_numbers("悪化している\n3 42  \n4 0 . 9%")
    assert kanji_to_int("二十四") == 24
    assert kanji_to_int("十") == 10
    assert kanji_to_int("条") is None


def test_the_query_names_the_kinds_of_value_asked_for(assistant) -> None:
    query = assistant.parser.parse("補助の上限はいくらで、いつまでに申し込む？")
    assert "amount" in query.kinds and "date" in query.kinds
    assert assistant.parser.parse("KOBSとは何ですか").kinds == ()


def test_a_need_without_a_named_programme_is_exploratory(assistant) -> None:
    assert assistant.parser.parse("うちみたいな町工場でも使える補助はある？").exploratory
    # Naming the programme makes it a question about that programme.
    assert not assistant.parser.parse("間接融資事業で使える資金はある？").exploratory
    assert not assistant.parser.parse("小規模事業資金（ミニ）の利率は？").exploratory


def test_how_much_is_not_which_one(assistant) -> None:
    # どれ asks which of several; どれくらい / どれだけ ask how much of one thing.
    assert assistant.parser.parse("どれが使えるの？").exploratory
    for question in ("相談窓口って、どれくらい使われてるの？", "売上はどれだけ減ったの？"):
        assert not assistant.parser.parse(question).list_ask, question


def test_an_indefinite_count_tells_of_the_asker_and_asks_nothing(assistant) -> None:
    parse = assistant.parser.parse
    # 何店舗か (several shops) describes the asker: no count is asked …
    told = parse("美容室を何店舗かやってるんだけど、無料で相談できるところってある？")
    assert told.explicit_kinds == () and told.counters == ()
    # … while a formal question ending on 何件か asks one, and 何日かかる asks how long.
    assert parse("交付決定件数は何件か。").counters == ("件",)
    assert "duration" in parse("融資まで何日かかる？").explicit_kinds
