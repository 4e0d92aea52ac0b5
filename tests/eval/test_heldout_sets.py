"""Every held-out set (eval/heldout*/, eval/dev_v3/) is well-formed and grounded in its units.

The held-out sets use the gold schema and the same "fact is in the cited unit" rule as the
gold set (tests/eval/test_gold.py); ids must be unique across gold and all held-out sets so
a report never mixes two items up.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import core
import ingest
from eval.gold_schema import (
    ANSWERABLE_CATEGORIES,
    CATEGORIES,
    GoldItem,
    GoldSource,
    contains_fact,
    load_gold,
    normalize_fact,
    unit_text,
)
from ingest import Corpus

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "data" / "corpus" / "kawasaki_sme_report_h28.txt"
GOLD_DIR = ROOT / "eval" / "gold"
HELDOUT_DIRS = sorted(
    p for pattern in ("heldout*", "dev_v*") for p in (ROOT / "eval").glob(pattern) if p.is_dir()
)


def test_heldout_sets_exist() -> None:
    names = [p.name for p in HELDOUT_DIRS]
    assert "heldout" in names
    assert "heldout_v2" in names
    assert "dev_v3" in names
    assert "heldout_v3" in names
    assert "dev_v4" in names
    assert "heldout_v4" in names
    assert "heldout_v5" in names
    assert "heldout_v6" in names
    assert "dev_v5" in names
    assert "dev_v6" in names
    assert "dev_v7" in names
    assert "dev_v8" in names
    assert "heldout_v7" in names
    assert "heldout_v8" in names
    assert "dev_v9" in names


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[GoldItem]]:
    return {p.name: load_gold(p) for p in HELDOUT_DIRS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return ingest.load_corpus(core.Settings(store_dir=tmp_path_factory.mktemp("store")))


@pytest.fixture(scope="module")
def raw_report() -> str:
    return normalize_fact(REPORT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [p.name for p in HELDOUT_DIRS])
def test_set_is_well_formed(heldout: dict[str, list[GoldItem]], name: str) -> None:
    items = heldout[name]
    assert items, name
    files = {Path(i.path).stem for i in items}
    assert files <= set(CATEGORIES), files - set(CATEGORIES)
    for item in items:
        assert Path(item.path).stem == item.category, f"{item.id} in {item.path}"
        assert (item.category == "multi_turn") == isinstance(item.question, tuple), item.id
    counts = Counter(i.category for i in items)
    assert counts["unanswerable"] >= 1, name
    for category in ANSWERABLE_CATEGORIES:
        styles = {i.style for i in items if i.category == category}
        assert styles == {"formal", "colloquial"}, (name, category, styles)


@pytest.mark.parametrize(
    ("name", "prefix", "min_unanswerable", "colloquial_share"),
    [
        ("heldout_v2", "h2-", 12, (0.4, 0.6)),
        ("dev_v3", "d3-", 20, (0.4, 0.6)),
        ("heldout_v3", "h3-", 20, (0.4, 0.6)),
        ("dev_v4", "d4-", 12, (0.4, 0.6)),
        ("heldout_v4", "h4-", 12, (0.4, 0.6)),
        ("heldout_v5", "h5-", 12, (0.4, 0.6)),
        ("dev_v5", "d5-", 12, (0.6, 0.8)),  # written to be mostly owners' casual needs
        ("dev_v6", "d6-", 10, (0.6, 0.8)),  # owners' needs without programme names
        ("dev_v7", "d7-", 20, (0.7, 0.85)),  # three writers, one part of the report each
        ("dev_v8", "d8-", 20, (0.75, 0.85)),  # three writers, one kind of asker each
        ("dev_v9", "d9-", 20, (0.7, 0.8)),  # three writers, one kind of asker each
    ],
)
def test_set_shape(
    heldout: dict[str, list[GoldItem]],
    name: str,
    prefix: str,
    min_unanswerable: int,
    colloquial_share: tuple[float, float],
) -> None:
    items = heldout[name]
    assert all(i.id.startswith(prefix) for i in items)
    counts = Counter(i.category for i in items)
    assert set(counts) == set(CATEGORIES)
    for category in ANSWERABLE_CATEGORIES:
        assert counts[category] >= 6, category
    assert counts["unanswerable"] >= min_unanswerable
    colloquial = sum(i.style == "colloquial" for i in items)
    low, high = colloquial_share
    assert len(items) * low <= colloquial <= len(items) * high


def test_ids_unique_across_all_sets(heldout: dict[str, list[GoldItem]]) -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for item in [*load_gold(GOLD_DIR), *(i for items in heldout.values() for i in items)]:
        if item.id in seen:
            duplicates.append(f"{item.id}: {seen[item.id]} and {item.path}:{item.line}")
        seen.setdefault(item.id, f"{item.path}:{item.line}")
    assert not duplicates, "\n".join(duplicates)


def test_questions_not_copied_from_other_sets(heldout: dict[str, list[GoldItem]]) -> None:
    def key(item: GoldItem) -> str:
        return normalize_fact(" ".join(item.turns))

    earlier = {key(i) for i in load_gold(GOLD_DIR)}
    # Each set, in the order they were written, copies none of the sets before it.
    for name in (
        "heldout",
        "heldout_v2",
        "dev_v3",
        "heldout_v3",
        "dev_v4",
        "heldout_v4",
        "heldout_v5",
        "dev_v5",
        "dev_v6",
        "dev_v7",
        "dev_v8",
        "heldout_v8",
        "dev_v9",
    ):
        copied = [i.id for i in heldout[name] if key(i) in earlier]
        assert not copied, (name, copied)
        earlier |= {key(i) for i in heldout[name]}


def _cited(corpus: Corpus, source: GoldSource) -> str | None:
    return unit_text(corpus, source)


@pytest.mark.parametrize("name", [p.name for p in HELDOUT_DIRS])
def test_every_fact_is_in_a_cited_unit(
    heldout: dict[str, list[GoldItem]], corpus: Corpus, name: str
) -> None:
    missing = []
    for item in heldout[name]:
        texts = [t for t in (_cited(corpus, s) for s in item.sources) if t is not None]
        for fact in item.must_include:
            if not any(contains_fact(text, fact) for text in texts):
                cited = [s.as_dict() for s in item.sources]
                missing.append(f"{item.id}: {fact!r} not in {cited}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", [p.name for p in HELDOUT_DIRS])
def test_every_cited_unit_exists(
    heldout: dict[str, list[GoldItem]], corpus: Corpus, raw_report: str, name: str
) -> None:
    unknown = []
    for item in heldout[name]:
        for source in item.sources:
            if _cited(corpus, source) is None:
                unknown.append(f"{item.id}: {source.as_dict()}")
            elif (
                source.programme is not None and normalize_fact(source.programme) not in raw_report
            ):
                unknown.append(f"{item.id}: programme not in the report: {source.programme}")
    assert not unknown, "\n".join(unknown)


def test_fact_check_can_fail(corpus: Corpus) -> None:
    # Guard against a validator that accepts anything: a fact from another unit is rejected.
    text = unit_text(corpus, GoldSource(article=24))
    assert text is not None
    assert contains_fact(text, "財政上の措置")
    assert not contains_fact(text, "広報活動")
    assert unit_text(corpus, GoldSource(programme="存在しない事業")) is None
