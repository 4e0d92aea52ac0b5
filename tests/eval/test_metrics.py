"""Every metric on small hand-made cases, including the ones that must fail."""

from __future__ import annotations

import pytest

from eval import metrics
from eval.gold_schema import GoldSource

# --- retrieval ------------------------------------------------------------------------


def test_source_matches_programme_by_id_through_the_name_map(kit):
    chunk = kit.make_chunk("a", "x", 1, programme="P-loan")
    src = GoldSource(programme="経営安定資金")
    assert metrics.source_matches(chunk, src, {"P-loan": "経営安定資金"})
    assert not metrics.source_matches(chunk, src, {"P-loan": "別の事業"})
    assert not metrics.source_matches(chunk, src)


def test_source_matches_article_and_section_exactly(kit):
    art = kit.make_chunk("a", "x", 1, article=14)
    sec = kit.make_chunk("b", "x", 1, section="statistics")
    assert metrics.source_matches(art, GoldSource(article=14))
    assert not metrics.source_matches(art, GoldSource(article=15))
    assert metrics.source_matches(sec, GoldSource(section="statistics"))
    assert not metrics.source_matches(sec, GoldSource(section="survey"))
    assert not metrics.source_matches(sec, GoldSource(article=14))


def test_retrieval_recall_and_mrr(kit):
    miss = [kit.make_chunk(f"m{i}", "x", 1, article=1) for i in range(3)]
    good = kit.make_chunk("g", "x", 1, article=14)
    src = [GoldSource(article=14)]
    first = metrics.retrieval_scores([good, *miss], src)
    assert first == {"recall@1": 1.0, "recall@5": 1.0, "mrr": 1.0}
    third = metrics.retrieval_scores([*miss[:2], good], src)
    assert third["recall@1"] == 0.0
    assert third["recall@5"] == 1.0
    assert third["mrr"] == pytest.approx(1 / 3)
    none = metrics.retrieval_scores(miss, src)
    assert none == {"recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0}
    # beyond the top 5 does not count for recall@5 but still for MRR
    late = metrics.retrieval_scores([*miss, *miss, good], src)
    assert late["recall@5"] == 0.0
    assert late["mrr"] == pytest.approx(1 / 7)


def test_recall_with_two_sources_needs_both_within_k(kit):
    a = kit.make_chunk("a", "x", 1, article=14)
    b = kit.make_chunk("b", "x", 1, section="statistics")
    other = kit.make_chunk("o", "x", 1, article=2)
    srcs = [GoldSource(article=14), GoldSource(section="statistics")]
    assert metrics.retrieval_scores([a, other, b], srcs)["recall@1"] == 1.0
    assert metrics.retrieval_scores([a, other, b], srcs)["recall@5"] == 1.0
    assert metrics.retrieval_scores([a, other], srcs)["recall@5"] == 0.5


def test_recall_never_exceeds_one_when_a_chunk_matches_two_sources(kit):
    both = kit.make_chunk("a", "x", 1, programme="P-loan", article=15)
    srcs = [GoldSource(programme="経営安定資金"), GoldSource(article=15)]
    scores = metrics.retrieval_scores([both], srcs, programme_names={"P-loan": "経営安定資金"})
    assert scores == {"recall@1": 1.0, "recall@5": 1.0, "mrr": 1.0}


# --- key facts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "facts", "ok"),
    [
        ("融資限度額は８，０００万円です。", ["8,000万円"], True),  # full width, separators
        ("限度額は 80,000,000 円です", ["8,000万円"], True),  # unit alias
        ("平成28年度の予算です", ["2016年度"], True),  # era alias
        ("補助率は2分の1です", ["1/2"], True),
        ("限度額は18,000万円です", ["8,000万円"], False),  # glued digits are another number
        ("上限は500万円です", ["500万円", "1/2"], False),  # one fact missing
        ("融資限度額は定めがありません", ["8,000万円"], False),
    ],
)
def test_key_facts(kit, text, facts, ok):
    assert metrics.key_facts_ok(kit.answer(text), facts) is ok
    assert (not metrics.missing_facts(kit.answer(text), facts)) is ok


def test_key_facts_fail_when_refused_even_if_text_has_them(kit):
    assert not metrics.key_facts_ok(kit.answer("8,000万円", False), ["8,000万円"])


# --- citations ------------------------------------------------------------------------


def test_citation_precision_counts_quotes_holding_a_fact(kit):
    cites = kit.answer("x", True, "限度額 8,000 万円", "関係のない文", "利率 1.3％").citations
    assert metrics.citation_precision(cites, ["8,000万円", "1.3%"]) == pytest.approx(2 / 3)
    assert metrics.citation_precision(cites[1:2], ["8,000万円"]) == 0.0
    assert metrics.citation_precision((), ["8,000万円"]) == 0.0


def test_fact_support(kit):
    supported = kit.answer("限度額は8,000万円、利率1.3%です", True, "8,000 万円", "年 1.3％以内")
    assert metrics.fact_support(supported, ["8,000万円", "1.3%"]) == 1.0
    half = kit.answer("限度額は8,000万円、利率1.3%です", True, "8,000 万円")
    assert metrics.fact_support(half, ["8,000万円", "1.3%"]) == 0.5
    assert metrics.fact_support(kit.answer("わかりません"), ["8,000万円"]) is None


# --- numbers --------------------------------------------------------------------------


def test_numbers_supported_by_quotes_are_faithful(kit):
    ans = kit.answer(
        "限度額は8,000万円、利率は年1.3%以内です[1]。",
        True,
        "融資限度額 8,000 万円\n利率 年 1.3％以内",
    )
    assert metrics.unfaithful_numbers(ans) == []


def test_a_figure_broken_by_spaces_on_its_line_is_faithful(kit):
    ans = kit.answer("悪化している: 342件(40.9%)。", True, "悪化している\n3 42  \n4 0 . 9%")
    assert metrics.unfaithful_numbers(ans) == []
    joined_lines = kit.answer("342409件。", True, "悪化している\n3 42  \n4 0 . 9%")
    assert metrics.unfaithful_numbers(joined_lines) == ["342409"]


def test_invented_numbers_are_counted(kit):
    ans = kit.answer("限度額は9,000万円、締切は3月31日です。", True, "融資限度額 8,000 万円")
    assert metrics.unfaithful_numbers(ans) == ["9000", "3", "31"]


def test_numbers_without_citations_are_unfaithful(kit):
    assert metrics.unfaithful_numbers(kit.answer("上限は500万円です。")) == ["500"]


def test_unit_and_era_aliases_are_faithful(kit):
    ans = kit.answer("上限は500万円、2016年度の実績です。", True, "上限 5,000 千円", "平成 28 年度")
    assert metrics.unfaithful_numbers(ans) == []
    wrong = kit.answer(
        "上限は600万円、2017年度の実績です。", True, "上限 5,000 千円", "平成 28 年度"
    )
    assert metrics.unfaithful_numbers(wrong) == ["600", "2017"]


def test_markers_metadata_and_question_numbers_are_allowed(kit):
    ans = kit.answer(
        "1. 限度額は8,000万円です【1】\n"
        "2. 第12条をご覧ください（10行目）。従業員20人でも対象です。",
        True,
        "限度額 8,000 万円",
    )
    assert metrics.unfaithful_numbers(ans) == ["12", "20"]
    assert metrics.unfaithful_numbers(ans, "従業員20人です") == ["12"]


def test_parts_of_a_dotted_date_are_supported(kit):
    ans = kit.answer("H28.\n5.\n21に展示しました。", True, "H28.５.21 イトーヨーカドーで展示")
    assert metrics.unfaithful_numbers(ans) == []
    assert metrics.unfaithful_numbers(kit.answer("1.3%です", True, "年 1.3％以内")) == []
    assert metrics.unfaithful_numbers(kit.answer("3%です", True, "年 1.3％以内")) == ["3"]


def test_abbreviated_heisei_years_support_the_western_year(kit):
    ans = kit.answer("2017年度の予算は10,220千円です。", True, "29年度予算 10,220千円")
    assert metrics.unfaithful_numbers(ans) == []
    assert metrics.unfaithful_numbers(kit.answer("H29に開始", True, "2017年に開始")) == []
    wrong = kit.answer("2018年度の予算は10,220千円です。", True, "29年度予算 10,220千円")
    assert metrics.unfaithful_numbers(wrong) == ["2018"]


def test_a_decimal_at_line_start_is_not_list_numbering(kit):
    ans = kit.answer("割合は\n5.9%です。", True, "割合 5.8％")
    assert metrics.unfaithful_numbers(ans) == ["5.9"]


def test_circled_enumerators_are_not_numbers(kit):
    ans = kit.answer(
        "①限度額は8,000万円②利率は年1.3%以内", True, "限度額 8,000 万円 利率 年 1.3％以内"
    )
    assert metrics.unfaithful_numbers(ans) == []


def test_numbers_split_by_spaces_in_a_table_row_stay_apart(kit):
    ans = kit.answer("目標は120件です。", True, "相談件数 100 120 130")
    assert metrics.unfaithful_numbers(ans) == []


# --- refusals -------------------------------------------------------------------------


def test_refusal_of_unanswerable_needs_a_pointer(kit):
    bare = kit.answer("報告書には記載がありません。", False)
    pointed = kit.answer("報告書には記載がありません。融資制度については記載があります。", False)
    cited = kit.answer("報告書には記載がありません。", False, "融資限度額 8,000 万円")
    assert not metrics.refusal_ok(bare, answerable=False)
    assert metrics.refusal_ok(pointed, answerable=False)
    assert metrics.refusal_ok(cited, answerable=False)
    assert not metrics.refusal_ok(kit.answer("法人税率は10%です。", True, "x"), answerable=False)


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("締切は報告書には記載がありません。報告書に記載があるのは次の点です。", True),
        ("電話番号は記載されていません。支援内容は記載されています。", True),
        ("詳しくは財団の窓口にお問い合わせください。", True),
        ("報告書には記載がありません。", False),
        ("記載されていません。掲載されていません。", False),
    ],
)
def test_pointer_cues(kit, text, pointer):
    assert metrics.has_pointer(kit.answer(text, False)) is pointer


def test_answerable_items_must_not_be_refused(kit):
    assert metrics.refusal_ok(kit.answer("8,000万円です"), answerable=True)
    assert not metrics.refusal_ok(kit.answer("記載がありません", False, "x"), answerable=True)


# --- aggregation ----------------------------------------------------------------------


def test_mean_and_percentile():
    assert metrics.mean([1.0, None, 0.0]) == 0.5
    assert metrics.mean([None]) is None
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert metrics.percentile([float(i) for i in range(1, 101)], 95) == pytest.approx(95.05)
