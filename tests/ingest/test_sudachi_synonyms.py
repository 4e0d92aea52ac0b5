"""The Sudachi adapter reads the dictionary's synonym groups of nouns."""

from ingest import sudachi_synonym_nouns


def test_synonym_nouns_share_the_dictionarys_group_and_skip_numerals() -> None:
    nouns = dict(sudachi_synonym_nouns("職安とハローワークに3回行った"))
    assert set(nouns["職安"]) & set(nouns["ハローワーク"])
    assert "3" not in nouns
