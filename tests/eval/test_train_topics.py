"""Training the Topics stage: studied items only, folds by item, reproducible weights."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.topics import FEATURES, Topic, TopicFeatures, load_weights
from eval.gold_schema import GoldItem, GoldSource
from eval.topic_training import Example, cross_validate, fit, make_example
from eval.train_topics import collect, studied_items, train
from index import Hit, SearchFilters
from ingest import Corpus, Programme, Span, TextBlock


def _line(gid: str, answerable: bool = True, programme: str = "間接融資事業") -> str:
    return json.dumps(
        {
            "id": gid,
            "category": "loan" if answerable else "unanswerable",
            "style": "colloquial",
            "question": "お金を借りたい",
            "answer": "間接融資事業です。",
            "must_include": ["融資"] if answerable else [],
            "sources": [{"programme": programme}] if answerable else [],
            "answerable": answerable,
        },
        ensure_ascii=False,
    )


def _write(root: Path, name: str, lines: list[str]) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "loan.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_only_the_studied_sets_and_the_inspected_half_are_trained_on(tmp_path: Path) -> None:
    for name in ("gold", "heldout", "dev_v3", "dev_v4", "dev_v5"):
        _write(tmp_path, name, [_line(f"{name}-01"), _line(f"{name}-u-02", answerable=False)])
    _write(tmp_path, "heldout_v2", [_line(f"h2-loan-0{i}") for i in range(1, 5)])
    # A blind set in a state no loader accepts: reading it at all would raise.
    (tmp_path / "heldout_v3").mkdir()
    (tmp_path / "heldout_v3" / "loan.jsonl").write_text("{broken\n", encoding="utf-8")
    found = studied_items(tmp_path)
    ids = [item.id for _, item in found]
    assert ids == [
        *("gold-01", "heldout-01", "dev_v3-01", "dev_v4-01", "dev_v5-01"),
        *("h2-loan-02", "h2-loan-04"),
    ]
    assert {group for group, _ in found} >= {"gold", "heldout_v2 (even)"}


TOPICS = tuple(Topic("programme", f"p{i}", f"事業{i}") for i in range(6))


def _synthetic(n: int = 40, seed: int = 3) -> list[Example]:
    """Items whose gold topic tends to have the largest first feature."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        rows = rng.normal(size=(len(TOPICS), len(FEATURES)))
        gold_at = int(rng.integers(len(TOPICS)))
        rows[gold_at, 0] += 2.5
        item = GoldItem(
            id=f"s-{i:02d}",
            category="loan",
            style="colloquial" if i % 2 else "formal",
            question="q",
            answer="a",
            must_include=("a",),
            sources=(GoldSource(programme=TOPICS[gold_at].name),),
            answerable=True,
        )
        out.append(make_example(item, "synthetic", TOPICS, rows))
    return out


def test_training_twice_on_the_same_items_writes_the_same_file(tmp_path: Path) -> None:
    first, figures = train(_synthetic(), folds=4)
    second, _ = train(_synthetic(), folds=4)
    assert first.as_json() == second.as_json()
    path = tmp_path / "weights.json"
    path.write_text(first.as_json(), encoding="utf-8")
    assert load_weights(path).weights == pytest.approx(first.weights, abs=1e-6)
    # The signal is learnt, and out-of-fold ranking beats chance (1/6) by far.
    assert first.weights[0] > 1.0
    assert figures["kfold"]["all sets"]["topic@1"] > 0.6
    assert set(figures) >= {"kfold", "in_sample", "search_hits", "calibration_kfold"}


def test_an_items_out_of_fold_scores_ignore_its_own_labels() -> None:
    examples = _synthetic()
    flipped = list(examples)
    flipped[0] = Example(
        examples[0].item, "synthetic", TOPICS, examples[0].rows, ~examples[0].labels
    )
    assert np.array_equal(cross_validate(examples, 4)[0], cross_validate(flipped, 4)[0])
    assert not np.array_equal(fit(examples).weights, fit(flipped).weights)


def test_gold_programme_names_label_topics_as_the_evaluation_matches_them() -> None:
    item = replace(_synthetic(1)[0].item, sources=(GoldSource(programme="事業３"),))
    labels = make_example(item, "g", TOPICS, np.zeros((6, len(FEATURES)))).labels
    assert labels.tolist() == [False, False, False, True, False, False]


class _NoHits:
    name = "empty"

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        return []


def test_features_of_a_small_report_train_reproducibly() -> None:
    programmes = tuple(
        Programme(
            id=f"p{i}",
            name=name,
            article=15,
            focus=False,
            page=1,
            lines=Span(i + 1, i + 1),
            plan=TextBlock(plan, Span(i + 1, i + 1)),
        )
        for i, (name, plan) in enumerate(
            [
                ("間接融資事業", "低利の融資で資金繰りを支えます。"),
                ("海外展開支援事業", "海外への販路開拓と輸出を支援します。"),
                ("商店街活性化事業", "商店街のにぎわいと人通りを増やすイベントを支援します。"),
            ]
        )
    )
    features = TopicFeatures(Corpus("t.txt", "0" * 64, programmes, (), ()), _NoHits())
    questions = ["資金を借りたい", "海外に輸出したい", "店の前の人通りを増やしたい"] * 3
    items = [
        (
            "synthetic",
            GoldItem(
                id=f"t-{i}",
                category="programme",
                style="colloquial",
                question=q,
                answer="a",
                must_include=("a",),
                sources=(GoldSource(programme=programmes[i % 3].name),),
                answerable=True,
            ),
        )
        for i, q in enumerate(questions)
    ]
    runs = [train(collect(features, items), folds=3)[0].as_json() for _ in range(2)]
    assert runs[0] == runs[1]
