"""Which organisations are offered as desks, and asks that the wording alone settles."""

from __future__ import annotations

import dataclasses

from assistant import Assistant
from assistant.asked_values import asked_counters, asked_value, missing_value, uncounted
from assistant.entities import asked_attributes
from assistant.evidence import applies, has_evidence, unknown_breakdowns
from assistant.intents import detect_intent
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.records import serves_as_desk
from ingest import Contact, Kpi, Span


def _contact(name: str, sentence: str) -> Contact:
    return Contact(name, sentence, Span(1, 1))


def test_a_venue_or_an_affiliation_is_not_a_desk() -> None:
    assert not serves_as_desk(
        _contact("A大学Bセンター", "平成28年10月15日、A大学Bセンターにて開催。")
    )
    assert not serves_as_desk(
        _contact("C市Dセンター", "開催状況すくらむ21(C市Dセンター)での開催状況")
    )
    assert not serves_as_desk(_contact("E研究開発センター", "世話人(株)E研究開発センター所長F氏"))


def test_a_partner_a_channel_or_a_recipient_is_not_a_desk() -> None:
    # The record works with it, through it, or supports it: the report does not name it as
    # a place to ask, and a desk line would say it does.
    assert not serves_as_desk(
        _contact("G信用保証協会", "G信用保証協会や金融機関と連携した融資制度に取り組みます。")
    )
    assert not serves_as_desk(_contact("K商工会議所", "○K商工会議所との連携によるエリア事業"))
    assert not serves_as_desk(
        _contact(
            "Lサポート(Lかわ)", "○「Lサポート(Lかわ)」や、ポータルサイトを活用し、情報発信を図る"
        )
    )
    assert not serves_as_desk(_contact("M商店街連合会", "○M商店街連合会の機能強化と活動支援"))


def test_a_desk_is_named_with_what_it_does() -> None:
    assert serves_as_desk(_contact("特別相談窓口", "5月下旬から「特別相談窓口」を開設。"))
    assert serves_as_desk(
        _contact("Gセンター(GOBS)", "「Gセンター(GOBS※)」において、関係機関と連携を図ります。")
    )
    assert serves_as_desk(_contact("Jサポート", "「Jサポート」による若年者の職業的自立支援の実施"))
    # The acronym may carry a note mark where the sentence names it.
    kbic = _contact(
        "Hセンター(KBIC)", "「Hセンター(KBIC※)」をはじめとする施設で起業家を支援します。"
    )
    assert serves_as_desk(kbic)


def test_the_cost_of_a_programme_is_its_budget(assistant: Assistant) -> None:
    question = (
        "ものづくり中小企業経営革新等支援事業って、28年度は運営にどれくらいお金かかってたの？"
    )
    assert "fee" in asked_attributes(question)
    assert not applies("fee", Intent.BUDGET)
    answer = assistant.ask(question)
    assert answer.answerable and "千円" in answer.answer


def test_weekend_opening_asks_for_hours() -> None:
    assert "hours" in asked_attributes("相談窓口って土日も開いてる？")


def test_a_bound_in_years_states_a_requirement() -> None:
    assert has_evidence("requirements", ["過去3年以内に開業したお店を募集します。"])
    assert not has_evidence("requirements", ["優れたお店を表彰します。"])


def test_can_i_use_it_shows_whom_the_menu_is_for(assistant: Assistant) -> None:
    answer = assistant.ask("従業員30人なんだけど、経営改善の補助（50万円のやつ）って使えるの？")
    assert "市内小規模事業者" in answer.answer
    plain = assistant.ask("経営改善の補助（50万円のやつ）の補助率は？")
    assert "内容：" not in plain.answer


def test_everyday_words_meet_report_terms() -> None:
    assert "通行量" in expand("駅のまわりの人通りって調べてる？")
    assert "財政上の措置" in expand("市がお金の面でも支えるって書いてある？")


def test_two_shared_words_match_a_short_indicator(assistant: Assistant) -> None:
    programme = assistant.composer.corpus.programmes[0]
    kpi = Kpi("窓口相談件数", "件", "100", "90", "123", Span(19, 22), 2016)
    desk = dataclasses.replace(programme, kpis=(kpi,))
    records = assistant.composer.records
    asked = assistant.parser.parse("財団の窓口に相談に来る会社って、1年にどれくらいいるの？")
    assert records.kpi_matches(desk, asked)
    other = assistant.parser.parse("財団のセミナーには1年にどれくらい来るの？")
    assert not records.kpi_matches(desk, other)


def test_the_programmes_name_does_not_name_its_menus(assistant: Assistant) -> None:
    """経営 in …経営革新等支援事業 is not the 経営 of 経営改善事業支援."""
    records = assistant.composer.records
    query = assistant.parser.parse("ものづくり中小企業経営革新等支援事業の広報はどう改善するの？")
    ranked = records.rank_menus(query, records.menus("subsidy", query.programmes, ""), [])
    assert ranked and all(score < 8 for score, _, _ in ranked)
    named = assistant.parser.parse("経営改善の補助の上限は？")
    top = records.rank_menus(named, records.menus("subsidy", named.programmes, ""), [])[0]
    assert top[2].name == "経営改善事業支援"


def test_kana_and_marks_shared_with_a_menu_do_not_make_it_fit(assistant: Assistant) -> None:
    """「あたり」「の補」 are in every question and menu: only a word the two share counts."""
    records = assistant.composer.records
    query = assistant.parser.parse("銭湯をやっています。市の補助って1軒あたりいくら出るの？")
    ranked = records.rank_menus(query, records.menus("subsidy", query.programmes, ""), [])
    assert ranked and all(score == 0 for score, _, _ in ranked)
    word = assistant.parser.parse("銭湯の研究開発に市の補助って1軒あたりいくら出るの？")
    ranked = records.rank_menus(word, records.menus("subsidy", word.programmes, ""), [])
    assert ranked[0][0] > 0


def test_a_term_the_report_uses_is_never_said_to_be_missing(assistant: Assistant) -> None:
    """Salient terms are the report's own words: a miss is the ask's, not the term's."""
    first = assistant.ask("KOBSの補助金って小規模事業者も使える？").answer.splitlines()[0]
    assert "「KOBS」について" not in first


def test_a_breakdown_the_facts_do_not_give_is_missing() -> None:
    question = "アンケートにおける従業者規模別の回答件数を示せ。"
    by_industry = ["P 医療、福祉: 回答件数 85, 発送件数 429, 回答率 19.8%"]
    assert unknown_breakdowns(question, by_industry) == ["従業者規模別"]
    assert unknown_breakdowns("業種別の回答件数は？", ["業種別の回答件数は次のとおり。"]) == []
    assert unknown_breakdowns("特別相談窓口って今も開いてる？", []) == []
    # The share of one industry's firms is a part the overall share does not give.
    industry = "「悪化している」と回答した製造業の事業所の割合は？"
    assert unknown_breakdowns(industry, ["悪化している: 342件(40.9%)"]) == ["製造業"]
    assert unknown_breakdowns(industry, ["製造業の事業所は悪化している: 38%"]) == []


def test_how_long_it_takes_is_a_span_of_time() -> None:
    question = "補助って、申し込んでから実際にお金が入るまでどのくらいかかるの？"
    asked = asked_value(question)
    assert asked is not None and asked[0] == "duration"
    assert missing_value(question, ["公募の内容、説明等が非常に分かりやすい。"]) == "duration"
    assert missing_value(question, ["申込日から最短7営業日で資金交付可能。"]) is None
    cost = asked_value("展示会に出る費用はどのくらいかかるの？")
    assert cost is None or cost[0] != "duration"


def test_which_costs_are_covered_is_not_a_budget_ask() -> None:
    assert detect_intent("揚水機について市が助成している費用は何か。", False)[0] != Intent.BUDGET
    assert detect_intent("この事業の費用はいくら？", False)[0] == Intent.BUDGET


def test_a_how_much_ask_for_a_year_only_the_budgets_cover_is_a_budget_ask(
    assistant: Assistant,
) -> None:
    from assistant.figure_facts import figure_years, table_of_year  # noqa: PLC0415

    covered = figure_years(assistant.corpus)
    parse = assistant.parser.parse
    scale = parse("デザインを応援する市の事業って、29年度はどのくらいの規模でやるの？")
    assert scale.intent == Intent.KPI  # どのくらい reads as an indicator's figure …
    assert table_of_year(scale, covered).intent == Intent.BUDGET  # … of a year only budgets give
    # An indicator's own field, or a count, is still an indicator's: that year is a gap.
    for asked in ("その事業の29年度の実績はどのくらい？", "29年度は何社が参加するの？"):
        query = parse(asked)
        assert table_of_year(query, covered).intent == query.intent
    # A year the indicators cover keeps the question theirs.
    same = parse("その事業、28年度はどのくらいの規模でやったの？")
    assert table_of_year(same, covered) == same


def test_a_count_of_things_is_not_answered_by_a_figure_in_another_unit() -> None:
    asked = asked_counters("商談フェアで、成約までいった商談って何件あったの？")
    assert asked == ("件",)
    assert uncounted(asked, ["フェアの参加者数179名、セミナーを2回開催。"])
    assert not uncounted(asked, ["実施件数：目標77累積件数、平成28年度実績84累積件数"])
    # Firms are counted in 件 (回答件数), and a counter may label the figure after it.
    assert not uncounted(asked_counters("製造業は何社答えたの？"), ["E 製造業: 回答件数 132"])
    # A share or a span is a kind of its own, not a count of things.
    assert not uncounted(asked_counters("経費の何割まで出るの？"), ["1件あたり上限15万円"])


def test_a_count_in_another_unit_is_declined_with_what_the_report_counts(
    assistant: Assistant,
) -> None:
    sessions = assistant.ask("産学共同研究開発プロジェクト支援の説明会は何回開いたの？")
    assert not sessions.answerable
    assert "実績2件" in sessions.answer  # what the report does count, as the pointer
    for question in (
        "産学共同研究開発プロジェクト支援は何件採択された？",
        "産学共同研究開発プロジェクト支援は何社が使ったの？",
    ):
        answer = assistant.ask(question)
        assert answer.answerable and "実績2件" in answer.answer


def test_a_made_up_name_for_a_programme_the_topics_stage_is_certain_of_is_no_gap(
    assistant: Assistant,
) -> None:
    from assistant.decline import unstated_gap  # noqa: PLC0415 - this test's only

    query = assistant.parser.parse("海外で売るときの相談センターって、去年どれくらい使われたの？")
    assert any(u.kind == "name" for u in query.unstated)  # the report has no 相談センター
    # Unless a programme is certain, a name the report never uses is a scheme it lacks …
    assert unstated_gap(query) is not None
    # … but a description of the one it is about is that programme's record to answer from.
    assert unstated_gap(query, described=True) is None


def test_an_events_length_or_its_first_and_last_day_state_its_period() -> None:
    assert has_evidence("term", ["富士見公園一帯で開催され、3日間で575,000人が来場。"])
    assert has_evidence("term", ["市民祭り(平成28年11月4日~6日開催)"])
    assert not has_evidence("term", ["市民祭り(平成28年11月4日開催)。575,000人が来場。"])
