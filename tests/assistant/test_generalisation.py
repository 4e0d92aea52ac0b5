"""Generic answerability rules: the asked attribute of the asked entity, or a decline."""

from __future__ import annotations

import pytest

from assistant.aliases import AliasIndex
from assistant.evidence import has_evidence, unknown_indicators
from assistant.models import Intent
from assistant.ordinance import ArticleFacts
from assistant.text import squash
from assistant.understanding import QuestionParser

from .test_scope_rules import _articles


def _before_pointer(text: str) -> str:
    return text.split("報告書に記載があるのは", maxsplit=1)[0]


def test_sibling_menus_term_does_not_answer_for_the_named_menu(assistant):
    # The report gives 小口サポート型 only a limit; the 4年以内 beside it is ミニ's.
    a = assistant.ask("小口サポート型の融資って、返済期間は何年まで？")
    assert not a.answerable
    assert "記載がありません" in a.answer and "小口サポート型" in _before_pointer(a.answer)
    assert "4年以内" not in _before_pointer(a.answer)
    # The sibling's figure may be shown as the closest thing, but only under its own name.
    assert all("ミニ" in line for line in a.answer.splitlines() if "4年以内" in line)


def test_named_menu_with_its_own_term_is_answered(assistant):
    a = assistant.ask("小規模事業資金（ミニ）の返済期間は何年？")
    assert a.answerable and "4年以内" in a.answer


def test_ratio_the_report_never_names_is_declined(assistant):
    a = assistant.ask("市内の開業率は何%ですか？")
    assert not a.answerable
    assert "「開業率」" in _before_pointer(a.answer)


def test_unknown_indicators_only_lists_ratios_missing_from_the_report() -> None:
    flat = squash("市内宿泊者数の外国人比率は11.0%、入居率は90%です。")
    assert unknown_indicators("開業率と入居率は？", flat) == ["開業率"]
    assert unknown_indicators("外国人比率は？", flat) == []
    assert unknown_indicators("この補助金の補助率と金利は？", flat) == []  # a scheme's terms


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("研修会、次はいつあるの？", "next_date"),
        ("認定までにかかる日数は？", "term"),
        ("審査って何か月かかる？", "term"),
    ],
)
def test_colloquial_asks_name_their_attribute(assistant, question, attribute):
    assert attribute in assistant.parser.parse(question).attributes


def test_next_date_needs_a_future_session_not_a_past_one(assistant):
    assert not has_evidence("next_date", ["開催日平成28年9月27日(火)開催場所川崎市産業振興会館"])
    a = assistant.ask("相談会って次はいつあるの？")
    assert not a.answerable


def test_cumulative_count_is_a_count() -> None:
    # A figure stated with its unit (累積件数) must not be reported missing and quoted at once.
    assert has_evidence("count", ["目標77累積件数、平成28年度実績84累積件数"])
    assert not has_evidence("count", ["商店街のエコ化を進めます。"])


def test_what_kind_of_x_goes_to_the_defining_article() -> None:
    question = "条例に出てくる「大学等」って、どういうところのことを言ってるの？"
    articles = _articles()
    query = QuestionParser(AliasIndex(articles)).parse(question)
    best = ArticleFacts(articles, None).best(query, [])  # type: ignore[arg-type]
    assert best and best[0].title == "定義"


def test_count_of_a_recorded_indicator_comes_from_the_record(assistant):
    a = assistant.ask(
        "ものづくり中小企業経営革新等支援事業で、産学共同研究って実際に何件くらい支援できたの？"
    )
    assert a.answerable
    assert any(c.kind == "kpi" for c in a.citations)
    assert "目標3" in a.answer.replace(" ", "")


def test_another_laws_article_is_not_the_ordinance(assistant):
    query = assistant.parser.parse(
        "中小企業信用保険法第2条第5項の規定に基づく認定は、どの事業で行っている？"
    )
    assert query.articles == () and query.intent != Intent.ORDINANCE
    own = assistant.parser.parse("条例第2条の規定は？")
    assert own.articles == (2,) and own.intent == Intent.ORDINANCE


def test_colloquial_money_ask_is_a_budget_question(assistant):
    query = assistant.parser.parse("それって来年度はどのくらいお金が出る予定？")
    assert query.intent == Intent.BUDGET


def test_asking_whether_a_site_exists_is_not_asking_its_address(assistant):
    parse = assistant.parser.parse
    assert "address" not in parse("イベント情報をまとめて見られるサイトってある？").attributes
    assert "address" in parse("そのサイトのURLは？").attributes
    assert "address" in parse("相談できるサイトってどこにある？").attributes


def test_can_i_still_apply_needs_a_stated_closing(assistant):
    assert "deadline" in assistant.parser.parse("その助成金って今から申し込める？").attributes
    assert has_evidence("deadline", ["認定申請の受付期間は平成28年度末をもって終了しました。"])
    assert not has_evidence("deadline", ["1件あたり500万円以内、補助対象経費の2/3以内"])
    a = assistant.ask("産学共同研究開発プロジェクト支援って今から申し込める？")
    assert not a.answerable and "締切" in a.answer
