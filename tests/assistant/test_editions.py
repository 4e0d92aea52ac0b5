"""Small wording rules: a sibling edition's facts (…2016 for …2017); menu terms' wording."""

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


def test_menu_terms_drop_a_particle_left_by_the_name_cut():
    from assistant.menu_facts import menu_terms  # noqa: PLC0415
    from ingest import Span, SupportMenu  # noqa: PLC0415

    menu = SupportMenu(
        name="小規模資金(小口型)",
        kind="loan",
        cap_yen=20_000_000,
        rate=None,
        term=None,
        eligibility=None,
        text="小規模資金(小口型)の限度額を1,500万円から2,000万円に拡充",
        lines=Span(1, 1),
    )
    assert menu_terms(menu) == "限度額を1,500万円から2,000万円に拡充"
