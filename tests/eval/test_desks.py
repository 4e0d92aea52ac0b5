"""Finding the desks an answer names and judging them against the gold programme's own."""

from __future__ import annotations

import pytest

from eval.desks import DeskDirectory, desk_aliases, place_stems
from eval.gold_schema import GoldSource
from ingest import Contact, Corpus, Programme, Span, TextBlock


def _programme(name: str, contacts: tuple[str, ...], plan: str = "") -> Programme:
    return Programme(
        id=f"id-{name}",
        name=name,
        article=14,
        focus=False,
        page=1,
        lines=Span(1, 1),
        plan=TextBlock(plan, Span(2, 3)) if plan else None,
        contacts=tuple(Contact(c, None, Span(5, 5)) for c in contacts),
    )


OVERSEAS = _programme(
    "海外販路開拓事業",
    ("川崎市海外ビジネス支援センター(KOBS)", "川崎海外ビジネスサポートデスク"),
)
CONSULTING = _programme(
    "川崎市産業振興財団運営費等補助事業",
    ("川崎市中小企業サポートセンター",),
    plan="窓口相談や専門家の派遣等を実施します。",
)
SHOPS = _programme("商業力強化事業", ("商店街連合会", "川崎商工会議所"))
STATION = _programme("駅前活性化事業", ("川崎駅広域商店街連合会",))
# Another programme's contact, so the foundation is a known desk.
FOUNDATION = _programme("経営支援事業", ("公益財団法人川崎市産業振興財団",))
PROGRAMMES = (OVERSEAS, CONSULTING, SHOPS, STATION, FOUNDATION)


@pytest.fixture
def directory() -> DeskDirectory:
    return DeskDirectory(PROGRAMMES)


def test_a_desk_is_known_by_its_short_name_and_without_its_place_or_legal_form():
    places = place_stems(c.name for p in PROGRAMMES for c in p.contacts)
    assert {"川崎市", "川崎"} <= places
    kobs = desk_aliases("川崎市海外ビジネス支援センター（KOBS）", places)
    assert {"kobs", "海外ビジネス支援センター", "川崎市海外ビジネス支援センター"} <= kobs
    foundation = desk_aliases("公益財団法人川崎市産業振興財団", places)
    assert {"川崎市産業振興財団", "産業振興財団"} <= foundation
    assert "海外ビジネスサポートデスク" in desk_aliases("川崎海外ビジネスサポートデスク", places)
    # Too short to mean one desk once the place is gone.
    assert "連合会" not in desk_aliases("川崎連合会", places)


def test_named_desks_are_canonical_in_order_of_first_mention(directory):
    text = "KOBSのほか、川崎海外ビジネスサポートデスクも使えます。KOBSは無料です。"
    assert directory.named(text) == [
        "川崎市海外ビジネス支援センター(KOBS)",
        "川崎海外ビジネスサポートデスク",
    ]
    assert directory.named("ＫＯＢＳ　に相談") == ["川崎市海外ビジネス支援センター(KOBS)"]
    assert directory.named("市の窓口にご相談ください。") == []


def test_a_longer_desk_name_is_not_also_the_shorter_name_inside_it(directory):
    assert directory.named("川崎駅広域商店街連合会が実施") == ["川崎駅広域商店街連合会"]
    assert directory.named("商店街連合会と川崎駅広域商店街連合会") == [
        "商店街連合会",
        "川崎駅広域商店街連合会",
    ]


def test_the_gold_programmes_own_contacts_are_right_and_others_wrong(directory):
    sources = (GoldSource(programme="海外販路開拓事業"),)
    right = directory.check("川崎市海外ビジネス支援センター（KOBS）にご相談ください。", sources)
    assert right is not None
    assert right.wrong == () and right.precision == 1.0
    mixed = directory.check("KOBS または産業振興財団にご相談ください。", sources)
    assert mixed is not None
    assert mixed.named == ("川崎市海外ビジネス支援センター(KOBS)", "公益財団法人川崎市産業振興財団")
    assert mixed.wrong == ("公益財団法人川崎市産業振興財団",)
    assert mixed.precision == 0.5
    none = directory.check("報告書に窓口の記載はありません。", sources)
    assert none is not None and none.named == () and none.precision is None


def test_the_implementing_body_its_record_names_is_right(directory):
    # The foundation is no contact of this programme, but its name says who runs it.
    sources = (GoldSource(programme="川崎市産業振興財団運営費等補助事業"),)
    check = directory.check("川崎市産業振興財団が窓口相談を行っています。", sources)
    assert check is not None and check.wrong == ()


def test_desks_its_record_text_names_are_right_when_the_record_is_given():
    texts = {"海外販路開拓事業": "海外販路開拓事業 商店街連合会と連携して商談会を開催"}
    directory = DeskDirectory(PROGRAMMES, texts)
    sources = (GoldSource(programme="海外販路開拓事業"),)
    check = directory.check("商店街連合会と連携しています。", sources)
    assert check is not None and check.wrong == ()
    assert DeskDirectory(PROGRAMMES).check("商店街連合会と連携しています。", sources).wrong


def test_items_without_a_known_gold_programme_are_not_judged(directory):
    assert directory.check("KOBS", (GoldSource(section="column"),)) is None
    assert directory.check("KOBS", (GoldSource(programme="存在しない事業"),)) is None
    both = (GoldSource(section="column"), GoldSource(programme="商業力強化事業"))
    assert directory.check("川崎商工会議所", both).wrong == ()


def test_a_derived_name_two_contacts_share_names_neither():
    directory = DeskDirectory(
        (
            _programme("事業A", ("川崎市技術支援センター",)),
            _programme("事業B", ("横浜市技術支援センター",)),
        )
    )
    assert directory.named("技術支援センター") == []
    assert directory.named("横浜市技術支援センター") == ["横浜市技術支援センター"]


def test_from_corpus_reads_each_programmes_record_text():
    corpus = Corpus("r.txt", "0", (OVERSEAS, SHOPS), (), ())
    directory = DeskDirectory.from_corpus(corpus)
    assert directory.names == {
        "川崎市海外ビジネス支援センター(KOBS)",
        "川崎海外ビジネスサポートデスク",
        "商店街連合会",
        "川崎商工会議所",
    }
    check = directory.check("川崎商工会議所", (GoldSource(programme="海外販路開拓事業"),))
    assert check is not None and check.wrong == ("川崎商工会議所",)
