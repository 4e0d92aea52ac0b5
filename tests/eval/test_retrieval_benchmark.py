"""The retrieval benchmark scores any search function with the harness's own metrics."""

from __future__ import annotations

from eval.gold_schema import GoldSource
from eval.retrieval_benchmark import evaluate, judged


def test_evaluate_ranks_systems_and_lists_misses(kit):
    menu = kit.make_chunk("c1", "補助の上限は500万円", 10, programme="支援事業")
    other = kit.make_chunk("c2", "条例の目的", 20, article=1)
    items = [
        kit.gold("a", "上限は？", "500万円", ["500万円"], [GoldSource(programme="支援事業")]),
        kit.gold("b", "目的は？", "目的", ["目的"], [GoldSource(article=1)], style="colloquial"),
        kit.gold("u", "電話番号は？", "記載なし", category="unanswerable"),
    ]
    scored = judged(items)
    assert [i.id for i in scored] == ["a", "b"]  # unanswerable items are not retrieval-scored

    perfect = evaluate(lambda q, k: [menu, other] if "上限" in q else [other, menu], scored)
    backwards = evaluate(lambda q, k: [other, menu] if "上限" in q else [menu, other], scored)
    assert perfect["all"]["recall@1"] == 1.0 and perfect["all"]["mrr"] == 1.0
    assert backwards["all"]["recall@1"] == 0.0 and backwards["all"]["mrr"] == 0.5
    assert backwards["all"]["recall@5"] == 1.0
    assert perfect["colloquial"]["n"] == 1 and perfect["formal"]["n"] == 1
    blind = evaluate(lambda q, k: [], scored)
    assert blind["misses@5"] == ["a", "b"]
