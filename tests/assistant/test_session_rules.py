"""This session's answer rules, each on a tiny record set built here (no real report)."""

from __future__ import annotations

import pytest

from assistant.aliases import AliasIndex
from assistant.asked_values import missing_value
from assistant.entities import asked_attributes, relative_years
from assistant.evidence import has_evidence, unknown_money
from assistant.intents import detect_intent
from assistant.models import Intent
from assistant.records import RecordFacts, _shared_topic
from assistant.sentence_scoring import _notes
from assistant.text import nfkc, squash
from assistant.understanding import Query, QuestionParser
from ingest import Corpus, Kpi, Programme, Span, TextBlock

# -- 1. distinctive loanwords ----------------------------------------------------------


def _programme(pid: str, name: str, plan: str, line: int, **extra: object) -> Programme:
    return Programme(
        id=pid,
        name=name,
        article=15,
        focus=False,
        page=20,
        lines=Span(line, line),
        plan=TextBlock(plan, Span(line + 50, line + 50)),
        **extra,  # type: ignore[arg-type]
    )


def _loanword_corpus(users_of_word: int) -> Corpus:
    """A programme whose name core holds ネットワーク, plus ``users_of_word`` other records
    whose text uses the word too."""
    owner = _programme("p-net", "ネットワーク交流会推進事業", "異業種の交流会を開きます。", 1)
    others = tuple(
        _programme(
            f"p-{i}",
            f"{topic}振興事業",
            f"{topic}の事業者のネットワークを広げます。"
            if i < users_of_word
            else f"{topic}を進めます。",
            i + 2,
        )
        for i, topic in enumerate(("観光施設", "商店街路", "農業生産", "福祉機器"))
    )
    return Corpus("r.txt", "0" * 64, (owner, *others), (), ())


def test_a_common_loanword_names_no_programme() -> None:
    aliases = AliasIndex(_loanword_corpus(users_of_word=3))
    assert aliases.find("取引先とのネットワークを広げたい") == []


def test_a_distinctive_loanword_names_its_programme() -> None:
    aliases = AliasIndex(_loanword_corpus(users_of_word=0))
    assert aliases.find("取引先とのネットワークを広げたい") == ["p-net"]


# -- 2. a programme spelled in full restricts the menus -----------------------------------


def _spelled(corpus: Corpus, question: str) -> tuple[str, ...]:
    return QuestionParser(AliasIndex(corpus)).parse(question).spelled


def test_spelled_programme_offers_only_its_own_menus(corpus: Corpus) -> None:
    facts = RecordFacts(corpus, None)  # type: ignore[arg-type]  # menus() cites nothing
    spelled = _spelled(corpus, "海外展開支援事業の補助金の上限は？")
    # Its record has no subsidy menu: another programme's cap is no answer.
    assert facts.menus("subsidy", ("p-kobs",), spelled) == []
    own = facts.menus("loan", ("p-loan",), _spelled(corpus, "間接融資事業の限度額は？"))
    assert own and {p.id for p, _ in own} == {"p-loan"}


def test_programme_found_through_the_askers_word_falls_back_to_all_menus(corpus: Corpus) -> None:
    facts = RecordFacts(corpus, None)  # type: ignore[arg-type]
    found = facts.menus(
        "subsidy", ("p-kobs",), _spelled(corpus, "海外に進出したい。補助金の上限は？")
    )
    assert found and {p.id for p, _ in found} == {"p-mono"}


# -- 3. a fit reason is a noun ------------------------------------------------------------


def test_fit_reason_is_a_shared_noun() -> None:
    assert _shared_topic("展示会に出たい", "展示会への出展を支援") == "展示会"


@pytest.mark.parametrize(
    ("question", "menu"),
    [
        ("海外展開する会社ですが", "海外展開する中小企業を支援"),  # a verb ending
        ("上限額を知りたい", "1件あたりの上限額100万円"),  # the asked field
        ("利率年何%？", "利率年1.3%以内"),
    ],
)
def test_verb_endings_and_field_words_are_no_fit_reason(question: str, menu: str) -> None:
    reason = _shared_topic(question, menu)
    assert reason is None or not (
        reason.endswith("する") or any(w in reason for w in ("上限", "利率"))
    )


# -- 4. everyday words reach the indicator ------------------------------------------------


def _kpi_corpus() -> Corpus:
    kpi = Kpi("外国人宿泊者数", "人", "1000", "900", "800", Span(5, 7), 2016)
    return Corpus(
        "r.txt", "0" * 64, (_programme("p-tour", "観光振興事業", "", 1, kpis=(kpi,)),), (), ()
    )


def test_kpi_matches_expands_everyday_words() -> None:
    corpus = _kpi_corpus()
    facts = RecordFacts(corpus, None)  # type: ignore[arg-type]
    programme = corpus.programmes[0]
    asked = "外国人は何人泊まったの？"
    assert facts.kpi_matches(programme, Query(asked, nfkc(asked), Intent.KPI))
    other = "外国人は何人働いているの？"
    assert not facts.kpi_matches(programme, Query(other, nfkc(other), Intent.KPI))


# -- 6. budget cues and compare words -----------------------------------------------------


@pytest.mark.parametrize("question", ["新事業にはいくら計上された？", "前年度比でどうなった？"])
def test_budget_cues(question: str) -> None:
    assert detect_intent(question, False) == (Intent.BUDGET, True)


def test_variation_asks_for_a_comparison(corpus: Corpus) -> None:
    parser = QuestionParser(AliasIndex(corpus))
    assert parser.parse("予算は変動した？").compares
    assert not parser.parse("予算はいくら？").compares


# -- 7. fee and booking attributes ---------------------------------------------------------


@pytest.mark.parametrize("question", ["自己負担はある？", "負担額はどれくらい？"])
def test_own_share_asks_the_fee(question: str) -> None:
    assert "fee" in asked_attributes(question)


def test_booking_is_its_own_attribute_and_needs_the_word() -> None:
    assert "booking" in asked_attributes("相談は予約が必要？")
    assert "booking" not in asked_attributes("相談はどこで？")
    assert not has_evidence("booking", ["相談は財団の窓口で受け付けています。"])
    assert has_evidence("booking", ["相談は事前予約制です。"])


# -- 10. an explicit value ask needs that value ---------------------------------------------


def test_missing_value_names_the_kind_not_given() -> None:
    texts = ["セミナーを市内で開催しました。"]
    assert missing_value("セミナーには何人参加した？", texts) == "people"
    assert missing_value("セミナーは何回開いた？", texts) == "figure"
    assert missing_value("セミナーには何人参加した？", ["セミナーに120人参加しました。"]) is None
    assert missing_value("参加費はいくら？", texts) == "amount"
    assert missing_value("参加費はいくら？", ["参加費は3,000円です。"]) is None
    assert missing_value("次はいつ？", texts) == "date"
    assert missing_value("セミナーの内容は？", texts) is None  # no explicit value ask


# -- 11. a named sum the report never mentions ----------------------------------------------


def test_unknown_money_is_the_sum_the_report_never_names() -> None:
    flat = squash(nfkc("限度額300万円。創業支援金は50万円。"))
    assert unknown_money("創業のお祝い金っていくら？", flat) == ["お祝い金"]
    assert unknown_money("創業支援金っていくら？", flat) == []
    assert unknown_money("限度額は？", flat) == []


# -- 12. a bullet's note carries its figure -------------------------------------------------


def test_note_after_a_bullet_holds_a_figure() -> None:
    assert _notes(["(市立中学校5校)"]) == ("(市立中学校5校)",)
    assert _notes(["(市立中学校)"]) == ()  # no figure
    assert _notes(["・次の取組を行いました5件"]) == ()  # not a note


# -- 13. years relative to the report --------------------------------------------------------


def test_relative_years_resolve_against_the_report_year() -> None:
    assert relative_years("来年度の予算は？", 2016) == (2017,)
    assert relative_years("今年度の実績は？", 2016) == (2016,)
    assert relative_years("昨年度はどうだった？", 2016) == (2015,)
    assert relative_years("来年度の予算は？", None) == ()


def test_parser_uses_the_report_year(corpus: Corpus) -> None:
    parser = QuestionParser(AliasIndex(corpus), 2016)
    assert parser.parse("来年度の予算は？").fiscal_years == (2017,)
    assert parser.parse("平成27年度の予算は？").fiscal_years == (2015,)  # a named year wins
    assert QuestionParser(AliasIndex(corpus)).parse("来年度の予算は？").fiscal_years == ()
