from __future__ import annotations

import pytest

from assistant import Answer, Intent
from assistant.text import numbers_in, quoted_numbers, squash
from core import AnswerError


def _grounded(answer: Answer, raw: str) -> None:
    quoted = {n for c in answer.citations for n in quoted_numbers(c.quote)}
    for number in numbers_in(answer.answer):
        assert number in quoted, f"{number} not in the cited quotes"
    for c in answer.citations:
        assert c.quote and c.quote in raw
        lines = raw.split("\n")[c.lines.first - 1 : c.lines.last]
        assert c.quote == "\n".join(lines).strip()


def test_subsidy_cap_and_rate(assistant, report_path):
    a = assistant.ask("産学共同研究の補助上限と補助率は？")
    assert a.intent == Intent.SUBSIDY and a.answerable
    assert "500万円" in a.answer and "2/3" in a.answer
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_which_subsidy_fits_profile(assistant, report_path):
    a = assistant.ask(
        "うちは社員8人の町工場で、大学と一緒に新しい材料を研究したい。使える補助はある？"
    )
    first = a.answer.splitlines()[0]
    assert "産学共同研究開発プロジェクト支援" in first and "500万円" in first
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_loan_terms_keep_report_figures(assistant, report_path):
    a = assistant.ask("小規模事業資金（ミニ）の利率と返済期間は？")
    assert a.intent == Intent.LOAN and a.answerable
    assert "1.3%" in a.answer and "300万円" in a.answer and "4年以内" in a.answer
    assert any("1 .3％" in c.quote for c in a.citations)  # verbatim, broken number kept
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_contact_names_the_desk(assistant, report_path):
    a = assistant.ask("ものづくり中小企業経営革新等支援事業はどこに相談すればいい？")
    assert a.intent == Intent.CONTACT and a.answerable
    assert "川崎市産業振興財団" in a.answer
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_a_desk_line_is_of_its_programme(assistant):
    # So the ranker's first fact, when it is the same desk of a programme the Topics stage is
    # sure of, is not put before the rules' facts as news: the answer states the desk once.
    records = assistant.composer.records
    with_desks = [p for p in assistant.corpus.programmes if records.contact_facts(p)]
    assert with_desks
    for programme in with_desks:
        assert {f.record for f in records.contact_facts(programme)} == {programme.name}


def test_budget_with_fiscal_year(assistant, report_path):
    a = assistant.ask("ものづくり中小企業経営革新等支援事業の平成29年度予算は？")
    assert a.answerable and "45,000千円" in a.answer and "29年度" in a.answer
    assert "38,512" not in a.answer  # only the asked year
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_kpi_target_and_actual(assistant, report_path):
    a = assistant.ask("産学共同研究開発プロジェクト支援の件数の目標と実績は？")
    assert a.intent == Intent.KPI and a.answerable
    assert "目標3件" in a.answer and "28年度実績2件" in a.answer
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_ordinance_article(assistant, report_path):
    a = assistant.ask("条例の第十五条には何が書いてありますか")
    assert a.intent == Intent.ORDINANCE and a.answerable
    assert "経営基盤の強化及び小規模企業者の事情の考慮" in a.answer
    assert a.citations[0].article == 15
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_statistics_sentence(assistant, report_path):
    a = assistant.ask("市内の事業所数はいくつ？")
    assert a.answerable and "41,028" in a.answer
    _grounded(a, report_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "question",
    [
        "KOBSの電話番号は？",
        "ものづくり中小企業経営革新等支援事業の申請締切はいつ？",
        "ものづくり中小企業経営革新等支援事業の平成30年度予算は？",
        "横浜市の産学共同研究の補助金は？",
    ],
)
def test_unanswerable_declines_with_pointer(assistant, report_path, question):
    a = assistant.ask(question)
    assert not a.answerable
    assert "報告書には記載がありません" in a.answer
    assert a.citations, "a decline still points to what the report does say"
    _grounded(a, report_path.read_text(encoding="utf-8"))


def test_decline_names_whom_to_ask(assistant):
    a = assistant.ask("ものづくり中小企業経営革新等支援事業の申請締切はいつ？")
    assert "川崎市産業振興財団" in a.answer


def test_rate_not_printed_is_declined(assistant):
    # The report names 小口サポート型 but prints no rate for it: never lend it ミニ's rate.
    a = assistant.ask("小規模事業資金（小口サポート型）の利率は？")
    assert not a.answerable
    assert a.answer.splitlines()[0].endswith("報告書には記載がありません。")
    assert "小口サポート型" in a.answer.splitlines()[0]


def test_out_of_scope(assistant):
    a = assistant.ask("明日の天気を教えて")
    assert a.intent == Intent.OUT_OF_SCOPE and not a.answerable


def test_colloquial_matches_formal(assistant):
    formal = assistant.ask("小規模事業資金（ミニ）の融資限度額は？")
    casual = assistant.ask("ミニってやつ、いくらまで借りれるの？")
    assert "300万円" in formal.answer and "300万円" in casual.answer


def test_follow_ups_resolve_previous_turn(assistant):
    first = assistant.ask("ものづくり中小企業経営革新等支援事業の補助上限は？", "chat")
    cid = first.conversation_id
    assert cid == "chat"
    second = assistant.ask("小規模事業者だったら？", cid)
    assert second.answer.splitlines()[0].startswith("経営改善事業支援")
    assert "50万円" in second.answer.splitlines()[0]
    other = assistant.ask("小規模事業者だったら？")  # a one-shot question has no context
    assert other.conversation_id is None


def test_stream_yields_text_then_answer(assistant):
    pieces = list(assistant.stream("産学共同研究の補助率は？"))
    assert isinstance(pieces[-1], Answer)
    assert "".join(p for p in pieces[:-1] if isinstance(p, str)) == pieces[-1].answer


@pytest.mark.parametrize("question", ["", "   ", "あ" * 5000])
def test_bad_questions_raise(assistant, question):
    with pytest.raises(AnswerError):
        assistant.ask(question)


def test_quotes_never_normalised(assistant):
    a = assistant.ask("小規模事業資金（ミニ）の限度額は？")
    assert all(squash(c.quote) for c in a.citations)
    assert any("（" in c.quote for c in a.citations)  # full-width brackets as printed


def test_new_topic_in_same_conversation_does_not_inherit(assistant):
    assistant.ask("ものづくり中小企業経営革新等支援事業の補助上限は？", "chat")
    other = assistant.ask("海外展開の相談窓口はどこ？", "chat")
    assert "KOBS" in other.answer
    assert "ものづくり中小企業経営革新等支援事業" not in other.answer


def test_profile_reason_is_stated(assistant):
    a = assistant.ask("うちは小規模事業者です。使える補助はある？")
    first = a.answer.splitlines()[0]
    assert first.startswith("経営改善事業支援")
    assert "小規模事業者が対象" in first


def test_named_loan_without_the_asked_rate_is_declined(assistant):
    # The report gives 小口サポート型 a limit but no rate: another loan's rate must not answer.
    a = assistant.ask("小口サポート型の融資の金利って何%？")
    assert not a.answerable
    assert "1.3%" not in a.answer.split("報告書に記載があるのは")[0]


def test_named_loan_with_its_rate_is_answered(assistant):
    a = assistant.ask("小規模事業資金（ミニ）の利率は？")
    assert a.answerable and "1.3%" in a.answer


def test_facts_under_one_label_name_it_once() -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only
    from assistant.composition import compose  # noqa: PLC0415

    facts = [
        Fact("間接融資事業：限度額300万円。", (), None),
        Fact("間接融資事業：利率年1.3%以内。", (), None),
        Fact("海外展開支援事業：KOBSで支援。", (), None),
        Fact("間接融資事業：返済期間4年以内。", (), None),
    ]
    assert compose(facts, True, []).answer.splitlines() == [
        "間接融資事業：限度額300万円。",
        "利率年1.3%以内。",
        "海外展開支援事業：KOBSで支援。",
        "間接融資事業：返済期間4年以内。",
    ]
