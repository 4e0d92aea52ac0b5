"""The gold Q&A set is well-formed and every key fact is in the unit of the report it cites."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import core
import ingest
from eval.gold_schema import (
    ANSWERABLE_CATEGORIES,
    SECTION_KEYS,
    GoldFormatError,
    GoldItem,
    GoldSource,
    contains_fact,
    fact_variants,
    gold_set_problems,
    load_gold,
    normalize_fact,
    unit_text,
)
from ingest import Article, ArticleParagraph, Budget, Corpus, Programme, Section, Span

GOOD: dict[str, Any] = {
    "id": "t-1",
    "category": "loan",
    "style": "formal",
    "question": "融資の上限は？",
    "answer": "500万円です。",
    "must_include": ["500万円"],
    "sources": [{"programme": "間接融資事業"}],
    "answerable": True,
}


def _write(tmp_path: Path, *objs: Any) -> Path:
    path = tmp_path / "g.jsonl"
    lines = [o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- loader -----------------------------------------------------------------------------


def test_load_good_item(tmp_path):
    multi = GOOD | {
        "id": "t-2",
        "category": "multi_turn",
        "question": ["間接融資事業とは？", "その上限は？"],
    }
    items = load_gold(_write(tmp_path, GOOD, "", multi))
    assert [i.id for i in items] == ["t-1", "t-2"]
    assert items[0].sources == (GoldSource(programme="間接融資事業"),)
    assert items[1].turns == ("間接融資事業とは？", "その上限は？")
    assert items[1].last_question == "その上限は？"
    assert items[1].line == 3


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "invalid JSON"),
        ([1, 2], "JSON object"),
        ({k: v for k, v in GOOD.items() if k != "answer"}, "missing keys ['answer']"),
        (GOOD | {"extra": 1}, "unknown keys ['extra']"),
        (GOOD | {"category": "weather"}, "category"),
        (GOOD | {"style": "slang"}, "style"),
        (GOOD | {"category": "multi_turn"}, "list of 2-3 strings"),
        (GOOD | {"question": ["a", "b"]}, "question must be a non-empty string"),
        (GOOD | {"must_include": []}, "1-3 must_include"),
        (GOOD | {"sources": []}, "at least one source"),
        (GOOD | {"sources": [{"article": 26}]}, "bad source"),
        (GOOD | {"sources": [{"section": "weather"}]}, "bad source"),
        (GOOD | {"sources": [{"article": 1, "section": "survey"}]}, "exactly one key"),
        (GOOD | {"answerable": False}, "answerable must be false exactly"),
        (GOOD | {"category": "unanswerable", "answerable": False}, "must_include []"),
        (GOOD | {"answerable": "yes"}, "true or false"),
    ],
)
def test_malformed_line_names_line_and_reason(tmp_path, bad, reason):
    path = _write(tmp_path, GOOD | {"id": "ok"}, bad)
    with pytest.raises(GoldFormatError) as err:
        load_gold(path)
    assert err.value.line == 2
    assert reason in err.value.reason
    assert f"{path}:2" in str(err.value)
    assert isinstance(err.value, core.ConfigError)


def test_duplicate_ids_across_files_rejected(tmp_path):
    (tmp_path / "a").mkdir()
    _write(tmp_path / "a", GOOD)
    with pytest.raises(GoldFormatError, match="duplicate id"):
        load_gold([tmp_path / "a" / "g.jsonl", tmp_path / "a"])


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(GoldFormatError, match="cannot read"):
        load_gold(tmp_path / "nope.jsonl")


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fact", "found"),
    [
        ("上限 １ ,500万円", "1500万円", True),
        ("事業所数は 41,028 となり", "41028", True),
        ("事業所数は 41,028 となり", "41,028", True),
        ("有効回答837件", "837件", True),
        ("上限 5,000千円", "500万円", True),
        ("上限 5,000,000円", "500万円", True),
        ("上限 1,500万円", "500万円", False),
        ("上限 500万円以内", "5000万円", False),
        ("利率 年１．３％以内", "1.3%", True),
        ("利率 年11.3%", "1.3%", False),
        ("補助率 ３分の２", "2/3", True),
        ("平成 28 年度予算", "2016年度", True),
        ("2017年度", "平成29年度", True),
        ("1億5,000万円", "15000万円", True),
        ("10,220千円", "10220千円", True),
        ("1,234 567", "1234567", False),
    ],
)
def test_contains_fact(text, fact, found):
    assert contains_fact(text, fact) is found


def test_normalize_fact_is_nfkc_without_spaces_or_separators():
    assert normalize_fact("ＫＯＢＳ　１２，３４５ ％") == "KOBS12345%"
    assert normalize_fact("1,234,567円") == "1234567円"
    assert "500万円" in fact_variants("5,000千円")


# --- the bundled gold set ------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold()


def test_gold_set_rules(gold):
    assert gold_set_problems(gold) == []
    counts = Counter(i.category for i in gold)
    assert counts["unanswerable"] >= 24
    for category in ANSWERABLE_CATEGORIES:
        assert counts[category] >= 6, category
    for item in gold:
        assert (item.category == "multi_turn") == isinstance(item.question, tuple), item.id


def test_gold_set_problems_detects_bad_sets(gold):
    formal_only = [i for i in gold if i.style == "formal"]
    problems = gold_set_problems(formal_only)
    assert any("colloquial" in p for p in problems)
    assert any("unanswerable" in p or "items" in p for p in gold_set_problems(gold[:10]))


# --- every fact is in the unit it cites ----------------------------------------------------

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus" / "kawasaki_sme_report_h28.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus | None:
    """The parsed report once ``ingest.load_corpus`` exists; None before (raw-text fallback)."""
    load = getattr(ingest, "load_corpus", None)
    if load is None:
        return None
    return load(core.Settings(store_dir=tmp_path_factory.mktemp("store")))


def _kind(source: GoldSource) -> str:
    if source.programme is not None:
        return "programmes"
    return "articles" if source.article is not None else "sections"


def _cited_text(corpus: Corpus | None, source: GoldSource, raw: str) -> str | None:
    # Until a kind of unit is parsed at all, the whole report stands in for it.
    if corpus is None or not getattr(corpus, _kind(source)):
        return raw
    return unit_text(corpus, source)


def test_every_fact_is_in_a_cited_unit(gold, corpus):
    raw = REPORT.read_text(encoding="utf-8")
    missing = []
    for item in gold:
        texts = [t for t in (_cited_text(corpus, s, raw) for s in item.sources) if t is not None]
        for fact in item.must_include:
            if not any(contains_fact(text, fact) for text in texts):
                cited = [s.as_dict() for s in item.sources]
                missing.append(f"{item.id}: {fact!r} not in {cited}")
    assert not missing, "\n".join(missing)


def test_every_cited_unit_exists(gold, corpus):
    raw = normalize_fact(REPORT.read_text(encoding="utf-8"))
    unknown = []
    for item in gold:
        for source in item.sources:
            if _cited_text(corpus, source, raw) is None:
                unknown.append(f"{item.id}: {source.as_dict()}")
            elif source.programme is not None and normalize_fact(source.programme) not in raw:
                unknown.append(f"{item.id}: programme not in the report: {source.programme}")
    assert not unknown, "\n".join(unknown)


def test_gold_covers_the_report(gold):
    articles = {s.article for i in gold for s in i.sources if s.article is not None}
    assert articles == set(range(26)), sorted(set(range(26)) - articles)
    sections = {s.section for i in gold for s in i.sources if s.section is not None}
    assert sections >= set(SECTION_KEYS)
    programmes = {s.programme for i in gold for s in i.sources if s.programme is not None}
    assert len(programmes) >= 30


def _tiny_corpus() -> Corpus:
    span = Span(1, 1)
    programme = Programme(
        id="p",
        name="間接融資事業",
        article=15,
        focus=True,
        page=38,
        lines=span,
        budget=Budget(23_896_000_000, None, 22_567_500_000, span, year=2016),
    )
    article = Article(
        id="a",
        number=14,
        title="研究及び開発の支援",
        paragraphs=(ArticleParagraph(1, "市は、研究及び製品開発の取組の支援を図る。"),),
        page=None,
        lines=span,
    )
    section = Section(
        "s", "survey", "アンケート", "有効回答837件", None, span, (("発送", "4,918件"),)
    )
    return Corpus("r.txt", "0" * 64, (programme,), (article,), (section,))


def test_unit_text_reads_the_cited_unit_only():
    corpus = _tiny_corpus()
    budget = unit_text(corpus, GoldSource(programme="間接融資事業"))
    assert budget is not None
    assert contains_fact(budget, "23,896,000千円")
    assert not contains_fact(budget, "837件")
    article = unit_text(corpus, GoldSource(article=14))
    assert article is not None
    assert "研究及び開発の支援" in article
    assert "製品開発" in article
    survey = unit_text(corpus, GoldSource(section="survey"))
    assert survey is not None
    assert contains_fact(survey, "4918件")
    assert unit_text(corpus, GoldSource(article=3)) is None
    assert unit_text(corpus, GoldSource(programme="観光振興事業")) is None
    assert unit_text(corpus, GoldSource(section="council")) is None


def test_gold_source_matches_chunk_metadata():
    assert GoldSource(programme="新川崎Ａ地区活性化推進事業").matches(
        programme="新川崎A地区活性化推進事業"
    )
    assert not GoldSource(programme="間接融資事業").matches(programme="観光振興事業")
    assert GoldSource(article=14).matches(article=14, programme=None)
    assert not GoldSource(article=14).matches(article=15)
    assert GoldSource(section="survey").matches(section="survey")
    assert not GoldSource(section="survey").matches(programme="survey")
