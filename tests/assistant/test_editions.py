"""A question naming one edition of an event (…2017) is not answered by another's facts."""

from __future__ import annotations

from assistant.evidence import other_editions


def test_a_sibling_editions_text_is_flagged():
    question = "見本市inかわさき2017はいつ開かれる？"
    assert other_editions(question, "見本市inかわさき2016(28年7月)を開催しました。") == [
        "見本市inかわさき2017"
    ]


def test_text_about_the_asked_edition_or_no_edition_is_not_flagged():
    question = "見本市inかわさき2017はいつ開かれる？"
    assert other_editions(question, "見本市inかわさき2017を開催します。") == []
    assert other_editions(question, "商店街の催しを支援しました。") == []
    assert other_editions("見本市の会場はどこ？", "見本市inかわさき2016を開催しました。") == []
