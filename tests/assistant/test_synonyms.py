"""Everyday nouns the report never uses reach the report's words through the dictionary's
synonym groups."""

from __future__ import annotations

from assistant.aliases import AliasIndex
from assistant.corpus_terms import corpus_terms
from assistant.synonyms import SynonymReader
from assistant.understanding import QuestionParser

REPORT = "就職相談はハローワークと連携して実施。\nスマートフォン向けのアプリを公開しました。"


def test_a_noun_the_report_never_uses_brings_the_reports_synonyms() -> None:
    reader = SynonymReader(REPORT)
    assert reader.read("職安まで行くのが遠い") == ("ハローワーク",)
    assert reader.read("スマホで見られる？") == ("スマートフォン",)


def test_a_noun_the_report_uses_itself_is_left_as_it_is() -> None:
    reader = SynonymReader(REPORT)
    assert reader.read("ハローワークでの相談") == ()
    # 公共職業安定所 shares the group, but the question's own word is in the report.
    assert reader.read("アプリはある？") == ()


def test_a_synonym_the_report_lacks_is_never_added() -> None:
    assert SynonymReader("市の補助金について。").read("職安に行く") == ()


def test_the_understand_stage_widens_the_questions_wording_with_them(corpus) -> None:
    plain = QuestionParser(AliasIndex(corpus), terms=corpus_terms(corpus))
    widened = QuestionParser(
        AliasIndex(corpus), terms=corpus_terms(corpus), synonyms=SynonymReader(REPORT)
    )
    question = "職安で仕事を紹介してもらえる？"
    assert "ハローワーク" not in plain.parse(question).text
    assert widened.parse(question).text.endswith("ハローワーク")
    assert widened.parse(question).latest == plain.parse(question).latest
