"""Everyday nouns the report never uses reach the report's words through the dictionary's
synonym groups."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from assistant.aliases import AliasIndex
from assistant.corpus_terms import corpus_terms
from assistant.sources import SourceLines
from assistant.synonyms import SynonymReader
from assistant.understanding import QuestionParser
from core import Settings

REPORT = "就職相談はハローワーク(公共職業安定所)と連携。\nスマートフォン向けのアプリを公開。"


def test_a_noun_the_report_never_uses_brings_the_reports_synonyms() -> None:
    reader = SynonymReader(REPORT)
    assert reader.read("職安まで行くのが遠い") == ("ハローワーク", "公共職業安定所")
    assert reader.read("スマホで見られる？") == ("スマートフォン",)


def test_a_noun_the_report_uses_itself_is_left_as_it_is() -> None:
    # ハローワーク shares its group with 公共職業安定所, which the report uses too: the
    # question's own word is the report's, so nothing is added.
    assert SynonymReader(REPORT).read("ハローワークでの相談") == ()


def test_a_synonym_the_report_lacks_is_never_added() -> None:
    assert SynonymReader("市の補助金について。").read("職安に行く") == ()


def test_the_understand_stage_widens_the_questions_wording_with_them(corpus) -> None:
    plain = QuestionParser(AliasIndex(corpus), terms=corpus_terms(corpus))
    widened = QuestionParser(
        AliasIndex(corpus), terms=corpus_terms(corpus), synonyms=SynonymReader(REPORT)
    )
    question = "職安で仕事を紹介してもらえる？"
    assert "ハローワーク" not in plain.parse(question).text
    assert widened.parse(question).text.endswith("ハローワーク 公共職業安定所")
    assert widened.parse(question).latest == plain.parse(question).latest


def test_synonyms_never_turn_on_the_catalogues_cues(corpus) -> None:
    # トータル shares a group with 合計 and 累計, which ask for a total over the years as cues:
    # the question is widened by them, but what it asks is read in its own words.
    parser = QuestionParser(
        AliasIndex(corpus), terms=corpus_terms(corpus), synonyms=SynonymReader("合計と累計。")
    )
    query = parser.parse("トータルでいくら使ったの？")
    assert "合計" in query.text
    assert not query.asks_totals
    assert parser.parse("合計でいくら使ったの？").asks_totals


def test_the_assistant_reads_its_report_for_synonyms(
    corpus, tmp_path: Path, fake_searcher_cls
) -> None:
    path = tmp_path / "report.txt"
    path.write_text("雇用労働対策\nハローワークと連携した就職相談。\n", encoding="utf-8")
    settings = Settings(corpus_path=path, store_dir=tmp_path / "store", embedder="hash")
    assistant = Assistant(corpus, fake_searcher_cls(corpus), settings, SourceLines.read(path))
    assert assistant.parser.parse("職安に行く").text.endswith("ハローワーク")
