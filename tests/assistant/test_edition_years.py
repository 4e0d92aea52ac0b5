"""Rules that must hold for any edition of the report: years come from the records, a
calendar month before April lies in the previous fiscal year, a short next sentence
finishes the one before, and casual follow-ups keep the topic."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from pathlib import Path

from assistant import Assistant
from assistant.asked_values import asked_value, missing_value
from assistant.entities import asks_making, fiscal_years
from assistant.figure_facts import figure_years
from assistant.models import Intent
from assistant.sources import SourceLines
from core import Settings
from index import Hit
from ingest import ChunkKind, Corpus

from .conftest import FakeSearcher
from .test_passages import _facts


def _next_edition(corpus: Corpus, tmp_path: Path, report_path: Path) -> Assistant:
    """The tiny corpus as if its records came from the following year's report."""
    programmes = []
    for p in corpus.programmes:
        budget = p.budget and dataclasses.replace(p.budget, year=(p.budget.year or 0) + 1)
        kpis = tuple(dataclasses.replace(k, year=(k.year or 0) + 1) for k in p.kpis)
        programmes.append(dataclasses.replace(p, budget=budget, kpis=kpis))
    corpus = dataclasses.replace(corpus, programmes=tuple(programmes))
    settings = Settings(corpus_path=report_path, store_dir=tmp_path / "store", embedder="hash")
    return Assistant(corpus, FakeSearcher(corpus), settings, SourceLines.read(settings.corpus))


def test_budget_labels_follow_the_records_year(
    corpus: Corpus, tmp_path: Path, report_path: Path
) -> None:
    assistant = _next_edition(corpus, tmp_path, report_path)
    programme = next(p for p in assistant.composer.corpus.programmes if p.budget)
    assert programme.budget is not None and programme.budget.year == 2017
    (fact,) = assistant.composer.records.budget_facts(programme, (2018,))
    assert "平成30年度" in fact.text and "平成29年度" not in fact.text
    assert figure_years(assistant.composer.corpus)[Intent.BUDGET] == {2017, 2018}


def test_this_reports_years_are_covered(corpus: Corpus) -> None:
    covered = figure_years(corpus)
    assert covered[Intent.BUDGET] == {2016, 2017}
    assert covered[Intent.KPI] == {2015, 2016}


def test_a_month_before_april_is_the_previous_fiscal_year() -> None:
    assert fiscal_years("平成29年3月時点の入居率は？") == (2016,)
    assert fiscal_years("平成29年4月に開設") == (2017,)
    assert fiscal_years("平成29年度の予算") == (2017,)


def test_a_venue_named_in_passing_is_not_asked_for() -> None:
    kind = asked_value("NEDOの会場で開催されたサロンの参加者数は。")
    assert kind is not None and kind[0] == "people"
    assert not kind[1].search("NEDOの会場提供のもと")
    venue = asked_value("サロンの会場はどこ？")
    assert venue is not None and venue[0] == "place"


def test_a_short_next_sentence_brings_the_count() -> None:
    texts = [
        "○NEDOの会場提供のもと、第31回サロンを開催。124名が参加。講演の後に交流会を実施。",
        "○サロン会員数 企業会員368組織",
    ]
    facts = _facts(texts, "NEDOの会場で開催された第31回サロンの参加者数は。")
    assert facts and "124名" in facts[0]


def test_jaa_starts_a_follow_up(assistant: Assistant) -> None:
    query = assistant.parser.parse("じゃあ平成28年度の入居率は？")
    assert query.follow_up


def test_a_year_heading_a_figure_is_not_a_date() -> None:
    kpi = "経営改善事業支援の件数(件): 目標 4、2016年度実績 4"
    assert missing_value("経営改善の補助金、29年度はいつ頃公募するの？", [kpi]) == "date"
    assert missing_value("AIRBICはいつ開設するの？", ["平成30年度に開設予定"]) is None


def test_the_ask_word_is_not_the_topic(assistant: Assistant) -> None:
    """「何割」 asks for a share: a survey sentence sharing only 割 is off the topic."""
    ask_words = assistant.composer.ask_words
    assert {"割", "割合"} <= ask_words
    topic = assistant.composer.passages.words("創業者向け融資の保証料補助は何割？") - ask_words
    assert {"保証料", "融資"} <= topic and "割" not in topic


def test_how_the_ordinance_was_made_is_searched_in_the_report(assistant: Assistant) -> None:
    """The articles state the ordinance's content; its making is told by the report."""
    assert asks_making("中小企業活性化条例っていつ作られたの？")
    assert asks_making("条例制定のきっかけは？")
    assert not asks_making("条例第3条の基本理念は？")
    chunks = assistant.corpus.chunks
    section = next(c for c in chunks if c.kind == ChunkKind.SECTION)
    article = next(c for c in chunks if c.kind == ChunkKind.ARTICLE)
    # Found for the question: articles first, then report sections (enough of each).
    found = [
        Hit(replace(c, id=f"{c.id}-{i}"), 1.0, rank)
        for rank, (i, c) in enumerate(
            [(i, article) for i in range(3)] + [(i, section) for i in range(3)], start=1
        )
    ]
    making = assistant.parser.parse("この条例って、いつ作られたの？")
    read = assistant.chooser.choose(making, found)
    assert read and {h.chunk.kind for h in read} == {ChunkKind.SECTION}
    principle = assistant.parser.parse("条例の基本理念は？")
    read = assistant.chooser.choose(principle, found)
    assert read and {h.chunk.kind for h in read} == {ChunkKind.ARTICLE}


def test_a_broad_subsidy_ask_lists_every_fitting_menu(assistant: Assistant) -> None:
    """「使える補助金はある?」 names no need: one menu would hide the others open to the asker."""
    answer = assistant.ask("従業員5人の製造業です。使える補助金はありますか？")
    assert answer.answerable
    assert sum(cap in answer.answer for cap in ("100万円", "500万円", "50万円")) >= 2
    # A need the question names still singles out its menu.
    named = assistant.ask("産学共同研究開発プロジェクトの補助の上限は？")
    assert "500万円" in named.answer and "100万円" not in named.answer


def test_a_need_named_is_not_a_broad_ask(assistant: Assistant) -> None:
    parse = assistant.parser.parse
    assert not parse("従業員5人の製造業です。使える補助金はありますか？").names_a_need
    assert parse("プライバシーマークを取りたいんだけど、市の補助ってある？").names_a_need
