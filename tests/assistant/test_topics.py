"""The Topics stage on the tiny report: named and described programmes, confidence, weights."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.topics import (
    DEFAULT_WEIGHTS,
    FEATURES,
    ScoredTopic,
    TopicFeatures,
    TopicStage,
    TopicWeights,
    build_profiles,
    load_weights,
)
from core import ConfigError
from eval.stage_metrics import find_topic_ranker, topics_from_units
from index import HashEmbedder, Hit, SearchFilters, TextSimilarity
from index.embed_cache import EmbeddingCache
from ingest import Corpus, Section, Span


class SimilarSearcher:
    """The fixture's bigram searcher plus meaning-level similarity from the hash embedder."""

    name = "fake+hash"

    def __init__(self, corpus: Corpus, fake_searcher_cls: type) -> None:
        self.inner = fake_searcher_cls(corpus)
        self.semantic = TextSimilarity(HashEmbedder(64))

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        return self.inner.search(query, k, filters)

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        return self.semantic.similarity(query, texts)


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.documents = 0

    def embed_documents(self, texts):
        self.documents += len(texts)
        return super().embed_documents(texts)


class NoHits:
    """A searcher that finds nothing: only the names and the profiles are left."""

    name = "empty"

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        return []


@pytest.fixture()
def stage(corpus: Corpus, fake_searcher_cls: type) -> TopicStage:
    return TopicStage.for_corpus(corpus, SimilarSearcher(corpus, fake_searcher_cls))


def _names(ranked: list[ScoredTopic]) -> list[str]:
    return [t.topic.name for t in ranked]


@pytest.mark.parametrize(
    ("question", "programme"),
    [
        ("海外展開支援事業の相談先はどこですか。", "海外展開支援事業"),
        ("KOBSって何をしてくれるところ？", "海外展開支援事業"),
        ("間接融資事業の利率は？", "間接融資事業"),
    ],
)
def test_a_named_programme_ranks_first(stage: TopicStage, question: str, programme: str) -> None:
    ranked = stage.rank(question)
    assert ranked[0].programme == programme
    assert ranked[0].article is None and ranked[0].section is None


def test_a_named_article_ranks_first(stage: TopicStage) -> None:
    top = stage.rank("条例の第15条には何が書いてある？")[0]
    assert (top.topic.kind, top.article, top.programme) == ("article", 15, None)


@pytest.mark.parametrize("searcher_kind", ["hits", "no hits"])
def test_a_casual_description_of_a_menu_reaches_its_programme(
    corpus: Corpus, fake_searcher_cls: type, searcher_kind: str
) -> None:
    # No programme name in the question: only the menu's words (大学, 共同研究) describe it.
    searcher = SimilarSearcher(corpus, fake_searcher_cls) if searcher_kind == "hits" else NoHits()
    ranked = TopicStage.for_corpus(corpus, searcher).rank("大学と組んで新しい素材を研究したい")
    assert "ものづくり中小企業経営革新等支援事業" in _names(ranked)[:3]
    assert ranked[0].programme == "ものづくり中小企業経営革新等支援事業"


def test_a_casual_borrowing_question_reaches_the_loan_programme(corpus: Corpus) -> None:
    ranked = TopicStage.for_corpus(corpus, NoHits()).rank("お金を借りたい。返済期間はどれくらい？")
    assert ranked[0].programme == "間接融資事業"


def test_every_topic_is_ranked_once_with_a_confidence_that_rises_with_the_score(
    stage: TopicStage,
) -> None:
    for question in ("大学と共同研究したい", "海外の販路", "条例の目的", "相談窓口はどこ"):
        ranked = stage.rank(question)
        assert len({t.topic for t in ranked}) == len(ranked) == len(stage.features.topics)
        scores = [t.score for t in ranked]
        confidences = [t.confidence for t in ranked]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)
        for a, b in pairwise(ranked):
            assert (a.score > b.score) <= (a.confidence >= b.confidence)
            assert (a.confidence > b.confidence) <= (a.score > b.score)


def test_extreme_scores_give_confidences_of_zero_and_one(corpus: Corpus) -> None:
    features = TopicFeatures(corpus, NoHits())
    named = features.compute("海外展開支援事業")[:, FEATURES.index("named")]
    huge = TopicWeights(tuple(2000.0 if f == "named" else 0.0 for f in FEATURES), -1000.0)
    ranked = TopicStage(features, huge).rank("海外展開支援事業")
    assert named.sum() == 1
    assert ranked[0].confidence == pytest.approx(1.0) and ranked[-1].confidence == 0.0
    assert min(t.confidence for t in ranked) >= 0.0


def test_profiles_are_read_from_the_records(corpus: Corpus) -> None:
    survey = Section("s1", "survey", "実態調査 (1) 人材", "人材確保の状況は…", 20, Span(1, 2))
    survey_2 = Section("s2", "survey", "実態調査 (2) 海外", "海外ビジネスの課題は…", 21, Span(3, 4))
    column = Section("s3", "column", "商店街コラム", "空き店舗を…", 30, Span(5, 6))
    column_2 = Section("s4", "column", "観光コラム", "外国人観光客…", 31, Span(7, 8))
    corpus = replace(corpus, sections=(survey, survey_2, column, column_2))
    profiles = {p.topic.key: p for p in build_profiles(corpus, lambda pid: ["KOBS"])}
    mono = " ".join(profiles["p-mono"].passages)
    for part in ("産学共同研究開発プロジェクト支援", "大学等と連携", "川崎市産業振興財団"):
        assert part in mono  # menu names and text, KPI indicators, contacts
    assert "KOBS" in profiles["p-kobs"].passages[0]  # short names beside the full name
    assert any("経営基盤の強化" in p for p in profiles["15"].passages)
    assert profiles["survey"].topic.kind == "section"
    assert "人材確保" in profiles["survey"].passages[0]
    assert "海外ビジネス" in profiles["survey"].passages[1]
    # A section key is named by its sections' shared heading, else by all their titles.
    assert profiles["survey"].topic.name == "実態調査"
    assert profiles["column"].topic.name == "商店街コラム / 観光コラム"


def test_the_bundled_weights_load_and_cover_every_feature() -> None:
    weights = load_weights()
    assert len(weights.weights) == len(FEATURES)
    assert all(np.isfinite(weights.weights))
    assert json.loads(DEFAULT_WEIGHTS.read_text("utf-8"))["training"]["items"] > 0


def test_weights_round_trip_through_their_file(tmp_path: Path) -> None:
    weights = TopicWeights(tuple(float(i) / 7 for i in range(len(FEATURES))), -2.5)
    path = tmp_path / "w.json"
    path.write_text(weights.as_json(), encoding="utf-8")
    loaded = load_weights(path)
    assert loaded.intercept == -2.5
    assert loaded.weights == pytest.approx(weights.weights, abs=1e-6)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "missing"),
        ("{not json", "cannot read"),
        ('{"format": 1, "intercept": 0, "weights": {"alias": 1}}', "missing features"),
        ('{"format": 2, "intercept": 0, "weights": {}}', "format"),
        ('{"format": 1, "intercept": "x", "weights": {}}', "finite"),
    ],
)
def test_a_missing_or_bad_weights_file_is_a_config_error(
    tmp_path: Path, corpus: Corpus, content: str | None, reason: str
) -> None:
    path = tmp_path / "weights.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason) as caught:
        load_weights(path)
    assert str(path) in str(caught.value)
    with pytest.raises(ConfigError):
        TopicStage.for_corpus(corpus, NoHits(), weights=path)


def test_the_assistant_ranks_topics_for_the_evaluation(assistant: Assistant) -> None:
    before = assistant.ask("海外展開支援事業の相談先はどこですか。")
    assistant.answers.clear()
    ranked = assistant.rank_topics("海外展開支援事業の相談先はどこですか。")
    assert find_topic_ranker(assistant) is assistant
    assert topics_from_units(ranked)[0] == ("programme", "海外展開支援事業")
    assert assistant.ask("海外展開支援事業の相談先はどこですか。").answer == before.answer


def test_a_restart_reads_the_profile_vectors_from_the_store_cache(
    corpus: Corpus, fake_searcher_cls: type, tmp_path: Path
) -> None:
    cache = EmbeddingCache(tmp_path / "embed_cache.sqlite")
    counts = []
    for _start in range(2):  # two server starts on one store
        embedder = CountingEmbedder()
        searcher = SimilarSearcher(corpus, fake_searcher_cls)
        searcher.semantic = TextSimilarity(embedder, cache)
        features = TopicFeatures(corpus, searcher)
        features.warm()
        features.compute("大学と共同研究したい")
        counts.append(embedder.documents)
    assert counts[0] >= len(features.passages) > 0
    assert counts[1] == 0
