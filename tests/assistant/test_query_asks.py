"""What a question asks is read once, by the Understand stage, into the Query's fields: later
stages take those fields and never re-read the question's text."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.conversation_json import query_from_json, query_to_json

_PLAIN = "補助率は？"  # asks a rate and nothing else below

_ASKS = [
    ("asks_making", "条例はいつ作られたの？", True),
    ("list_ask", "使える補助金はありますか？", True),
    ("asks_indicator", "目標に対する実績は？", True),
    ("asks_eligibility", "小規模事業者でも使えるの？", True),
    ("explicit_kinds", "セミナーには何人参加した？", ("people",)),
    ("given_numbers", "2016年度のセミナーには何人参加した？", ("2016",)),
    ("editions", "見本市inかわさき2017はいつ？", ("見本市inかわさき2017",)),
    ("breakdowns", "業種別の回答件数は？", ("業種別",)),
    ("meanings", "条例でいう「大学等」って、市外の大学も入るの？", ("大学等",)),
    ("spelled", "海外展開支援事業の補助金の上限は？", ("p-kobs",)),
    ("salient", "KOBSの連絡先は？", ("KOBS",)),
    ("schemes", "小規模事業資金（ミニ）の金利は？", ("小規模事業資金", "小規模事業資金(ミニ)")),
    ("contacts", "川崎市産業振興財団以外でも相談できる？", ("川崎市産業振興財団",)),
    ("compares", "予算は変動した？", True),
    ("asks_totals", "これまでの合計は？", True),
    ("paragraphs", "第15条第2項は？", (2,)),
]


@pytest.mark.parametrize(("field", "question", "expected"), _ASKS)
def test_the_parser_reads_what_the_question_asks(
    assistant: Assistant, field: str, question: str, expected: object
) -> None:
    parse = assistant.parser.parse
    assert getattr(parse(question), field) == expected
    assert not getattr(parse(_PLAIN), field)


def test_a_need_is_what_the_money_is_for_not_who_asks(assistant: Assistant) -> None:
    parse = assistant.parser.parse
    assert parse("プライバシーマークを取りたいんだけど、市の補助ってある？").names_a_need
    assert not parse("従業員5人の製造業です。使える補助金はありますか？").names_a_need


def test_an_acronym_is_salient_but_names_no_scheme(assistant: Assistant) -> None:
    query = assistant.parser.parse("KOBSの連絡先は？")
    assert query.salient == ("KOBS",) and query.schemes == ()


def test_a_follow_up_asks_its_own_turn_within_the_whole_conversation(
    assistant: Assistant,
) -> None:
    parse = assistant.parser.parse
    compared = parse("28年度は？").with_context(parse("予算は変動した？"))
    assert compared.compares  # read from the conversation: the earlier turn compares years
    paragraph = parse("その第3項は？").with_context(parse("第15条第2項は？"))
    assert paragraph.paragraphs == (2, 3)
    # What the latest turn asks is its own: the earlier turn's edition is not asked again.
    later = parse("場所はどこ？").with_context(parse("見本市inかわさき2017はいつ？"))
    assert later.editions == () and later.explicit_kinds == ()


def test_what_a_turn_asks_survives_the_conversation_store(assistant: Assistant) -> None:
    query = assistant.parser.parse("小規模事業資金（ミニ）は第15条第2項と比べて何人増えた？")
    assert query.schemes and query.paragraphs and query.compares
    assert query_from_json(query_to_json(query)) == query


def test_a_place_in_the_ask_is_salient_but_not_one_in_the_askers_context() -> None:
    from assistant.report_names import ReportNames  # noqa: PLC0415 - this test's only
    from ingest import Corpus  # noqa: PLC0415

    text = "川崎市の中原区と麻生区の事業所、東京の本社。"
    names = ReportNames(Corpus("r.txt", "0" * 64, (), (), ()), text, home="川崎")
    assert names.salient("アンケートで中原区の会社の回答は？") == ("中原区",)
    assert names.salient("本社は東京なんだけど、使える補助金はある？") == ()
    assert names.salient("川崎市の補助金はある？") == ()
    assert names.salient("世田谷区の会社の回答は？") == ()  # a place the report never names


def test_an_acronym_is_salient_but_a_two_letter_abbreviation_is_not() -> None:
    from assistant.report_names import ReportNames  # noqa: PLC0415 - this test's only
    from ingest import Corpus  # noqa: PLC0415

    text = "KOBSで海外展開を支援。IT企業とICT企業の連携。"
    names = ReportNames(Corpus("r.txt", "0" * 64, (), (), ()), text, home="川崎")
    assert names.salient("KOBSって何をしてくれるの？") == ("KOBS",)
    assert names.salient("うちはIT系の会社。使える補助はある？") == ()


def test_a_scheme_word_the_records_of_many_programmes_use_names_no_scheme() -> None:
    from assistant.report_names import SHARED_SCHEME_WORD, ReportNames  # noqa: PLC0415
    from ingest import Chunk, ChunkKind, Corpus, Span  # noqa: PLC0415

    def chunk(i: int, text: str) -> Chunk:
        return Chunk(f"c{i}", ChunkKind.PLAN, text, Span(i + 1, i + 1), programme=f"p{i}")

    shared = [chunk(i, "市の融資制度を周知する。") for i in range(SHARED_SCHEME_WORD)]
    own = chunk(SHARED_SCHEME_WORD, "創業支援資金を創設。")
    corpus = Corpus("r.txt", "0" * 64, (), (), (), (*shared, own))
    text = "\n".join(c.text for c in corpus.chunks)
    names = ReportNames(corpus, text, home="川崎")
    assert names.salient("創業支援資金の情報はどこで知れる？") == ("創業支援資金",)
    assert names.salient("融資制度の情報はどこで知れる？") == ()
    fewer = ReportNames(Corpus("r.txt", "0" * 64, (), (), (), (*shared[1:], own)), text)
    assert fewer.salient("融資制度の情報はどこで知れる？") == ("融資制度",)


def test_the_final_clause_is_the_ask() -> None:
    from assistant.text import final_clause  # noqa: PLC0415 - this test's only

    assert final_clause("本社は東京なんだけど、使える補助金はある？") == "使える補助金はある"
    assert final_clause("補助率は？") == "補助率は"


def test_a_words_spread_counts_the_texts_that_use_it() -> None:
    from assistant.text import spread  # noqa: PLC0415 - this test's only

    texts = ["融資制度の案内", "融資制度の実績", "販路開拓の補助"]
    assert spread("融資制度", texts) == 2
    assert spread("補助", iter(texts)) == 1  # any iterable, read once
    assert spread("研修", texts) == 0


def test_only_a_follow_up_read_in_its_context_has_a_focus_turn(assistant: Assistant) -> None:
    parse = assistant.parser.parse
    # The lexicon's words appended to a one-turn question are no earlier turn.
    alone = parse("小さい会社でも借りられるお金の上限はいくら？")
    assert alone.text != alone.latest and alone.focus is None
    later = parse("場所はどこ？").with_context(parse("見本市inかわさき2017はいつ？"))
    assert later.focus == later.latest == "場所はどこ?"
    # A turn asked again is still read in its context.
    again = parse("KOBSは？").with_context(parse("KOBSは？"))
    assert again.focus == "KOBSは?"


def test_a_programme_named_only_by_an_alias_gives_way_to_the_topics_stages_first(
    assistant: Assistant,
) -> None:
    from dataclasses import replace  # noqa: PLC0415 - this test's only

    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import trusted  # noqa: PLC0415

    spelled = assistant.parser.parse("海外展開支援事業の相談窓口は？")
    [kobs] = spelled.programmes
    aliased = replace(spelled, spelled=())  # named through a short form only

    def first(key: str) -> list[ScoredTopic]:
        return [ScoredTopic(Topic("section", key, "…"), 2.0, 0.9)]

    assert trusted(aliased, first("survey")).programmes == ()
    assert trusted(aliased, first(kobs)).programmes == (kobs,)
    # A programme called by its full name stays named, whatever the Topics stage says.
    assert trusted(spelled, first("survey")).programmes == (kobs,)


@pytest.mark.parametrize(
    ("question", "breakdowns"),
    [
        ("倒産した会社って、業種でいうとどこが多いの？", ("業種",)),
        ("人手不足の会社って、業種別だとどこが多いの？", ("業種別",)),
        ("もう一回別の商売で独立したい。創業の融資は借りられる？", ()),
        # One industry or ward only is a part of the figure that must be given for it…
        ("倒産は81件だったけど、そのうち製造業は何件？", ("製造業",)),
        ("アンケートで、小売業だけで見ると悪化した会社の割合は？", ("小売業",)),
        ("アンケートって、川崎区の会社は何社答えたの？", ("川崎区",)),
        ("工業団地のうち北山地区の立地企業数は？", ("北山地区",)),
        # …but the asker's own business is no such part.
        ("うちは製造業で社員5人。使える補助金ある？", ()),
        ("中原区の会社です。使える補助金ある？", ()),
    ],
)
def test_a_breakdown_is_asked_by_dimension_not_by_another_of_something(
    question: str, breakdowns: tuple[str, ...]
) -> None:
    from assistant.evidence import asked_breakdowns  # noqa: PLC0415 - this test's only

    assert asked_breakdowns(question) == breakdowns
