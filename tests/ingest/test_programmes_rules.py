"""Record-parsing rules on small synthetic snippets in the report's layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Programme
from ingest.budget_kpi import focus_budget, kpis, short_budget
from ingest.contacts import contacts
from ingest.programme_records import ProgrammeParser
from ingest.record_layout import Line, paragraphs
from ingest.record_parts import focus_parts, short_parts
from ingest.source import SourceText
from ingest.support_menus import support_menus
from ingest.text import normalize

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini_report.txt"


def lines(*texts: str, start: int = 1) -> list[Line]:
    return [Line(start + i, normalize(t).replace(" ", " ")) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def mini() -> dict[str, Programme]:
    return {p.name: p for p in ProgrammeParser().parse(SourceText.from_path(FIXTURE))}


def test_mini_report_table_and_records(mini: dict[str, Programme]) -> None:
    assert list(mini) == ["甲創業支援事業", "乙相談事業", "丙融資事業"]
    assert [(p.article, p.focus, p.page) for p in mini.values()] == [
        (1, True, 5),
        (1, False, 6),
        (2, False, 7),  # first row of a group whose title wraps: closed by a lone page line
    ]
    assert all(p.record_lines is not None for p in mini.values())
    column = (
        FIXTURE.read_text(encoding="utf-8").splitlines().index(" 〈甲創業支援事業コラム〉 ") + 1
    )
    last = mini["丙融資事業"].record_lines
    assert last is not None and last.last < column  # a column ends the record


def test_mini_focus_record(mini: dict[str, Programme]) -> None:
    p = mini["甲創業支援事業"]
    assert p.budget is not None
    assert (p.budget.fy2016_budget, p.budget.fy2016_actual, p.budget.fy2017_budget) == (
        1_000_000,
        980_000,
        1_200_000,
    )
    got = [(k.indicator, k.unit, k.target, k.fy2015, k.fy2016) for k in p.kpis]
    assert got == [
        ("セミナーの参加人数", "人", "30", "12", "14"),
        ("相談会の開催回数", "回", "6", None, "6"),  # table printed before the 件 one
        ("マッチング成立件数", "件", "4", None, "3"),  # one printed figure = the report year
    ]
    assert p.plan is not None and "主な取組" in p.plan.text and "参加人数" not in p.plan.text
    assert [a.text for a in p.activities][-1] == "○新製品開発の支援(3件)"
    assert not any("研究の支援" in a.text for a in p.activities)  # sidebar dropped
    assert [o.text for o in p.council_opinions] == [
        "○相談件数が伸びている点は評価できる。",
        "○情報発信の充実も必要ではないか。",
    ]
    assert [r.text for r in p.responses] == ["○効果的な情報発信について検討を行う。"]
    menu = p.support_menus[0]
    assert (menu.name, menu.kind, menu.cap_yen, menu.rate) == (
        "新製品開発支援",
        "subsidy",
        1_000_000,
        "1/2",
    )
    assert [c.name for c in p.contacts] == ["甲市創業サポートセンター"]


def test_mini_short_records(mini: dict[str, Programme]) -> None:
    p = mini["乙相談事業"]
    assert p.budget is not None
    assert (p.budget.fy2016_budget, p.budget.fy2016_actual, p.budget.fy2017_budget) == (
        None,
        1_500_000,
        2_000_000,
    )
    assert p.plan is not None and p.plan.text == "市内事業者の相談に対応します。"
    assert [a.text for a in p.activities] == [
        "「特別相談窓口」を開設し、相談を行いました。",
        "・相談件数88件",
    ]
    assert [c.name for c in p.contacts] == ["特別相談窓口"]
    loan = mini["丙融資事業"].support_menus[0]
    assert (loan.name, loan.kind, loan.cap_yen, loan.rate, loan.term) == (
        "小規模資金(ミニ)",
        "loan",
        3_000_000,
        "年1.3%以内",
        "4年以内",
    )


def test_budget_needs_labels() -> None:
    assert focus_budget(lines("予算の説明です。", "10,000千円の事業")) is None
    b = focus_budget(
        lines(
            "30年度予算 5,000千円 増減なし",
            "29年度予算 4,000千円 ー 29年度決算",
            "(見込) 3,500千円",
        )
    )
    assert b is not None
    assert (b.fy2016_budget, b.fy2016_actual, b.fy2017_budget) == (4_000_000, 3_500_000, 5_000_000)
    assert (b.lines.first, b.lines.last) == (1, 3)
    assert b.year == 2017  # the 決算 column's year, whatever edition of the report


def test_short_budget_line() -> None:
    b = short_budget(
        Line(7, normalize("平成 28 年度の実績 （1,502 千円） 平成 29 年度の概要 （０千円）"))
    )
    assert b is not None and (b.fy2016_actual, b.fy2017_budget) == (1_502_000, 0)
    assert b.year == 2016
    assert short_budget(Line(7, "平成28年度の実績")) is None


def test_kpi_pairs_in_order_when_units_agree_and_keeps_unnamed_tables() -> None:
    got = kpis(
        lines(
            "主な成果・活動指標",
            "○A事業の来場者数",
            "2015(27)年度 2016(28)年度",
            "目標(人) 100",
            "実績(人) 90 120",
            "2015(27)年度 2016(28)年度",
            "目標(人) 5",
            "実績(人) 4 6",
        )
    )
    assert [(k.indicator, k.fy2015, k.fy2016) for k in got] == [
        ("A事業の来場者数", "90", "120"),
        ("", "4", "6"),
    ]
    assert {k.year for k in got} == {2016}  # the header's later year


def test_short_parts_split_on_tense() -> None:
    parts = short_parts(
        [
            Line(1, "市内企業の支援を行いました。", indented=True),
            Line(2, "・支援件数12件"),
            Line(3, "市内企業の支援を行いま", indented=True),
            Line(4, "す。"),
            Line(5, "・表彰15名"),
        ]
    )
    assert parts.plan is not None and parts.plan.text == "市内企業の支援を行います。"
    assert [a.text for a in parts.activities] == [
        "市内企業の支援を行いました。",
        "・支援件数12件",
        "・表彰15名",
    ]


def test_a_desks_schedule_stays_in_the_plan_it_is_printed_under() -> None:
    parts = short_parts(
        [
            Line(1, "相談窓口を開設しました。", indented=True),
            Line(2, "・相談件数 193 件"),
            Line(3, "相談窓口を開設します。", indented=True),
            Line(4, "・各区役所（第 3火曜日 9:00～12:00）"),
            Line(5, "・てくのかわさき"),
            Line(6, "（第 2・4土曜日 13:00～16:00）"),
        ]
    )
    assert parts.plan is not None
    assert "第3火曜日" in parts.plan.text.replace(" ", "")
    assert "第2・4土曜日" in parts.plan.text.replace(" ", "")
    # The count is a result, wherever it is printed.
    assert [a.text for a in parts.activities] == ["相談窓口を開設しました。", "・相談件数193件"]


def test_unheaded_opinions_are_told_from_responses_by_their_ending() -> None:
    parts = focus_parts(
        lines(
            "事業計画 Plan",
            "○計画です。",
            "事業の実施状況 Do",
            "○イベントの開催",
            "○連携があっても良いのではないか。",
            "○連携により活性化を推進する。",
            "川崎市産業振興協議会からの主な検証意見 Check",
            "平成29年度以降の対応 Action",
        ),
        frozenset(),
    )
    assert [a.text for a in parts.activities] == ["○イベントの開催"]
    assert [o.text for o in parts.council_opinions] == ["○連携があっても良いのではないか。"]
    assert [r.text for r in parts.responses] == ["○連携により活性化を推進する。"]


def test_paragraphs_keep_labels_with_their_indented_text() -> None:
    ls = [
        Line(1, "・貸付事業"),
        Line(2, "100万円を限度額に貸付。", indented=True),
        Line(3, "・相談件数 88件"),
        Line(4, "新しい段落で", indented=True),
        Line(5, "す。"),
        Line(6, "次の段落です。"),
    ]
    assert [[x.n for x in p] for p in paragraphs(ls)] == [[1, 2], [3], [4, 5], [6]]


def test_menu_needs_an_amount_as_a_limit() -> None:
    assert support_menus(lines("○補助金の交付決定 5件", "・保証料補助実績 486百万円")) == ()
    raised = support_menus(
        lines(
            "〇融資限度額の拡充", "小規模事業資金(小口型)の限度額を1,500万円から", "2,000万円に拡充"
        )
    )
    assert [(m.name, m.kind, m.cap_yen) for m in raised] == [
        ("小規模事業資金(小口型)", "loan", 20_000_000)
    ]


def test_menu_rate_from_attribute_block_and_duplicates_merged() -> None:
    got = support_menus(
        lines(
            "○展示会出展料の補助",
            "(1件あたり上限15万円)",
            "○展示会出展料の補助",
            "・1件あたり上限15万円",
            "【対象者】",
            "市内の中小製造業者",
            "【補助率】",
            "補助対象経費の1/2以内",
        )
    )
    assert len(got) == 1
    assert (got[0].name, got[0].cap_yen, got[0].rate, got[0].eligibility) == (
        "展示会出展料補助",
        150_000,
        "1/2",
        "市内の中小製造業者",
    )


def test_contacts_rules() -> None:
    got = contacts(
        lines(
            "○「川崎市海外ビジネス支援センター(KOBS※)」を運営します。",
            "○海外ビジネス支援センター(KOBS)による支援件数",
            "○相談窓口を設置し、川崎市信用保証協会と連携します。",
            "○研究施設「NANOBIC」において、「かわさき基準」に基づく認証を行います。",
        )
    )
    assert [c.name for c in got] == [
        "川崎市海外ビジネス支援センター(KOBS)",
        "川崎市信用保証協会",
        "NANOBIC",
    ]
    assert got[1].description == "○相談窓口を設置し、川崎市信用保証協会と連携します。"


def test_contact_names_respect_line_breaks_except_a_wrapped_suffix() -> None:
    got = contacts(
        lines(
            "○NPO法人産業・環境創造リエゾンセンタ",
            "ーとの連携に努め、優良事例を創出",
            "神奈川県情報サービス協会を中心に連携します。川崎商",
            "工会議所に対し助成を行います。",
        )
    )
    assert [c.name for c in got] == [
        "産業・環境創造リエゾンセンター",
        "神奈川県情報サービス協会",
        "川崎商工会議所",
    ]


def test_a_name_among_a_diagrams_labels_is_no_contact() -> None:
    got = contacts(
        lines(
            "○試作品の開発に着手。",
            "甲産業連携促進事業イメージ",
            "市内",
            "製造業 ICT産業",
            "乙県情報サービス協会を",
            "中心としたICT産業と連携",
            "○甲市産業振興財団が相談に応じます。",
        )
    )
    assert [c.name for c in got] == ["甲市産業振興財団"]


def test_a_venue_a_dated_table_row_or_an_affiliation_is_no_contact() -> None:
    got = contacts(
        lines(
            "平成28年10月15日、甲大学工学部 加工センター",
            "にて開催。全10社が参加。甲大学工学部 加工センターに設置された機械を使う。",
            "開催日・開催場所平成28年9月15日甲市生命科学研究センター医療現場のニーズ",
            "講師(株)甲研究開発センター所長甲野太郎",
            "すくらむ２１（甲市男女共同参画センター）での開催状況",
            "○「甲市海外ビジネス支援センター」において相談に応じます。",
            "○平成29年4月1日から甲市産業振興財団で相談を受け付けます。",
            "開催日・開催場所参加大企業等平成29年1月27日乙県甲電機、乙電力、乙県工業技術センター",
            "、乙県食品開発センター、乙大学",
            "○平成29年5月1日から、甲市中小企業相談センター、甲市創業支援センターで受け付けます。",
        )
    )
    assert [c.name for c in got] == [
        "甲市海外ビジネス支援センター",
        "甲市産業振興財団",
        "甲市中小企業相談センター",
        "甲市創業支援センター",
    ]
