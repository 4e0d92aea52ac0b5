"""Training the Rank stage: labels from must_include and sources, folds by item, same data →
same weights file."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.facts import FEATURES, load_fact_weights
from eval.fact_training import FactExample, answer_figures, cross_validate, fit
from eval.gold_schema import GoldItem, GoldSource
from eval.train_facts import train


def _item(i: int, facts: tuple[str, ...] = ("500万円",)) -> GoldItem:
    return GoldItem(
        id=f"g-{i:03d}",
        category="subsidy",
        style="colloquial" if i % 2 else "formal",
        question="補助の上限は？",
        answer="500万円です。",
        must_include=facts,
        sources=(GoldSource(programme="事業A"),),
        answerable=True,
    )


def _synthetic(n: int = 24, seed: int = 5) -> list[FactExample]:
    """Items whose answering candidate tends to have the largest first feature."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        rows = rng.normal(size=(6, len(FEATURES)))
        answer = int(rng.integers(6))
        rows[answer, 0] += 4.0
        covered = tuple(frozenset({0}) if j == answer else frozenset() for j in range(6))
        texts = tuple(f"候補{j}" for j in range(6))
        out.append(FactExample(_item(i), "gold", texts, rows, covered, (True,) * 6))
    return out


def test_a_candidate_stating_more_key_facts_is_the_label() -> None:
    covered = (frozenset({0}), frozenset({0, 1}), frozenset())
    example = FactExample(_item(1, ("a", "b")), "gold", ("x", "y", "z"), np.zeros((3, 2)), covered)
    assert example.labels.tolist() == [False, True, False]


def test_a_candidate_from_a_gold_source_wins_over_one_elsewhere() -> None:
    covered = (frozenset({0}), frozenset({0}))
    example = FactExample(
        _item(1, ("3",)), "gold", ("3件", "3件"), np.zeros((2, 2)), covered, (False, True)
    )
    assert example.labels.tolist() == [False, True]


def test_learned_weights_rank_the_answer_first_out_of_fold() -> None:
    examples = _synthetic()
    oof = cross_validate(examples, folds=3)
    figures = answer_figures(examples, oof)["all sets"]
    assert figures["facts@1"] > 0.6 and figures["facts@3"] >= figures["facts@1"]
    weights = fit(examples)
    assert weights.weights[0] > 0  # the informative feature counts for the answer


def test_the_same_data_writes_the_same_weights_file(tmp_path) -> None:
    examples = _synthetic()
    first, figures = train(examples, folds=2)
    second, _ = train(examples, folds=2)
    assert first.as_json() == second.as_json()
    path = tmp_path / "weights.json"
    path.write_text(first.as_json(), encoding="utf-8")
    assert load_fact_weights(path).weights == pytest.approx(first.weights, abs=1e-6)
    assert "kfold" in figures and "gold" in figures["kfold"]


def test_one_questions_candidates_leave_the_other_questions_pairs_as_they_were() -> None:
    from eval.fact_training import _pairs  # noqa: PLC0415 - the sampler itself

    def question(i: int, n: int, answering: int = 1) -> FactExample:
        rows = np.arange(n * len(FEATURES), dtype=np.float64).reshape(n, len(FEATURES)) + i
        covered = tuple(frozenset({0}) if j < answering else frozenset() for j in range(n))
        return FactExample(_item(i), "gold", tuple(f"候補{j}" for j in range(n)), rows, covered)

    # Enough others that each question samples them; a corpus fix gives the first question
    # more candidates, one more of them answering.
    before = _pairs([question(1, 60), question(2, 60)])
    after = _pairs([question(1, 70, answering=2), question(2, 60)])
    assert len(after) == len(before) + 30
    assert np.array_equal(before[-30:], after[-30:])
