"""Names come from the data: programme names, their stems, acronyms, article titles."""

from __future__ import annotations

from dataclasses import replace

from index import NameIndex


def test_aliases_come_from_records_and_chunk_text(corpus):
    names = NameIndex.from_corpus(corpus, corpus.chunks)
    assert names.analyze("ＫＯＢＳの場所は？").programmes == ("海外展開支援事業",)
    assert names.analyze("kobsの場所は？").programmes == ("海外展開支援事業",)
    assert names.analyze("間接融資の金利").programmes == ("間接融資事業",)
    assert names.analyze("KOBSKOBS2").programmes == ()  # an acronym must stand alone


def test_acronym_spread_over_programmes_is_not_an_alias(corpus):
    chunks = list(corpus.chunks)
    # "ICT" appears once in each of two programmes: it names neither
    chunks[0] = replace(chunks[0], text=chunks[0].text + "ICTを活用。")
    chunks[3] = replace(chunks[3], text=chunks[3].text + "ICTを活用。")
    names = NameIndex.from_corpus(corpus, chunks)
    assert "ict" not in names.programme_aliases
    assert names.analyze("ICTの支援").programmes == ()


def test_longest_name_wins():
    names = NameIndex(
        programme_aliases={
            "経営相談事業": "経営相談事業",
            "経営相談事業(溝口)": "経営相談事業(溝口)",
        }
    )
    assert names.analyze("経営相談事業(溝口)の窓口").programmes == ("経営相談事業(溝口)",)


def test_articles_and_ordinance_intent(corpus):
    names = NameIndex.from_corpus(corpus, corpus.chunks)
    assert names.analyze("第十五条の内容").articles == (15,)
    assert names.analyze("研究及び開発の支援について").articles == (14,)
    assert names.analyze("条例の前文と附則").articles == (0, 25)
    assert names.analyze("条例は何を定めている？").ordinance
    assert not names.analyze("融資の限度額").ordinance


def test_without_corpus_records_uses_chunk_programmes(corpus):
    names = NameIndex.from_corpus(None, corpus.chunks)
    assert names.analyze("海外展開支援事業の実績").programmes == ("海外展開支援事業",)
    assert names.article_titles == {}
