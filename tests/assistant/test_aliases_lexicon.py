"""Programme names in questions, and everyday words mapped to report vocabulary."""

from __future__ import annotations

from assistant.aliases import AliasIndex
from assistant.lexicon import expand
from ingest import Chunk, ChunkKind, Corpus, Programme, Span, TextBlock


def _programme(pid: str, name: str, plan: str) -> Programme:
    return Programme(pid, name, 15, False, 1, Span(1, 1), plan=TextBlock(plan, Span(1, 1)))


def test_generic_bracketed_word_does_not_name_a_programme() -> None:
    corpus = Corpus(
        "r.txt",
        "0" * 64,
        (
            _programme("a", "川崎市産業振興財団運営費等補助事業", "財団の運営を補助します。"),
            _programme("b", "国際環境産業推進事業", "「産業振興」に向けた技術展を開催。"),
        ),
        (),
        (),
    )
    found = AliasIndex(corpus).find("産業振興財団への補助って、29年度はいくら？")
    assert found == ["a"]


def test_everyday_words_gain_report_terms() -> None:
    assert "人材不足" in expand("人手不足に困ってる会社って多い？")
    assert "合計" in expand("アンケートの全体の回答率は？")
    assert "申込" in expand("融資を申し込んだら")
    assert expand("条例第2条の定義は？") == "条例第2条の定義は？"


def test_an_acronym_several_records_use_alike_names_none_of_them() -> None:
    corpus = Corpus(
        "r.txt",
        "0" * 64,
        (
            _programme(
                "a", "臨海部推進事業", "NPO法人と連携。NPO法人の会議。NPO法人を支援。KBICで。"
            ),
            _programme(
                "b", "間接融資事業", "NPO法人向け資金。NPO法人に周知。NPO法人の声。H28年に創設。"
            ),
            _programme("c", "新産業創造支援事業", "KBICの運営。KBICの入居。H28年の入居。"),
        ),
        (),
        (),
    )
    aliases = AliasIndex(corpus)
    assert aliases.find("NPO法人でも借りられる？") == []  # used 3 times by each
    assert aliases.find("KBICに入りたい") == ["c"]  # used twice as often by its own record
    assert aliases.find("H28年の実績は？") == []  # an abbreviated year is no acronym


def test_a_name_the_sections_speak_of_as_often_names_no_programme() -> None:
    section = Chunk(
        "s1",
        ChunkKind.SECTION,
        "「甲専門部会」委員名簿。甲専門部会の委員は9名。甲専門部会を開催。",
        Span(1, 1),
        section="council",
    )
    programme = _programme("a", "協議会等推進事業", "「甲専門部会」と「乙フォーラム」を運営。")
    other = _programme("b", "農業振興事業", "丙技術の導入。丙技術の普及。")
    farm = Chunk("b1", ChunkKind.PLAN, "新技術の導入。", Span(2, 2), programme="b")
    chunks = (
        section,
        Chunk(
            "a1",
            ChunkKind.PLAN,
            "「乙フォーラム」を運営。「丙技術」も。",
            Span(1, 1),
            programme="a",
        ),
        Chunk("b2", ChunkKind.PLAN, "丙技術の導入。丙技術の普及。", Span(3, 3), programme="b"),
        farm,
    )
    corpus = Corpus("r.txt", "0" * 64, (programme, other), (), (), chunks)
    aliases = AliasIndex(corpus)
    assert aliases.find("甲専門部会の委員構成は？") == []  # the council section's subject
    assert aliases.find("乙フォーラムはいつ？") == ["a"]
    # Bracketed by a alone, but the rest of the report (b) uses it more: a generic word.
    assert aliases.find("丙技術の補助は？") == []
