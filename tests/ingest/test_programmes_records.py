"""Programme records parsed from the bundled report (budgets, KPIs, menus, contacts, text)."""

from __future__ import annotations

import re

import pytest

from core import get_settings
from ingest import Programme
from ingest.programme_records import ProgrammeParser, programme_id
from ingest.source import SourceText

# Budgets of the 23 focus programmes in 千円, read by hand from the report:
# (28年度予算, 28年度決算（見込）, 29年度予算).
FOCUS_BUDGETS = {
    "起業化総合支援事業": (10_220, 9_676, 10_220),
    "新産業創造支援事業": (41_385, 8_367, 114_958),
    "ウェルフェアイノベーション推進事業": (48_077, 45_465, 46_054),
    "コミュニティビジネス振興事業": (5_950, 5_950, 5_675),
    "知的財産戦略の推進": (10_955, 10_955, 12_627),
    "ものづくり中小企業経営革新等支援事業": (17_463, 13_982, 36_190),
    "新川崎・創造のもり推進事業": (4_039_170, 4_034_108, 76_192),
    "医工連携等推進事業": (2_904, 2_900, 2_817),
    "科学技術基盤の強化・連携": (2_000, 1_861, 1_408),
    "川崎市産業振興財団運営費等補助事業": (352_886, 349_192, 479_125),
    "ものづくり中小企業販路開拓支援事業": (2_300, 2_300, 2_300),
    "かわさきブランド推進事業": (4_610, 4_610, 4_600),
    "間接融資事業": (23_896_000, 23_895_943, 22_567_500),
    "商店街課題対応事業": (40_944, 23_294, 40_996),
    "商業ネットワーク事業": (20_746, 20_112, 18_908),
    "商業力強化事業": (18_093, 17_035, 14_428),
    "先端産業等立地促進事業": (215_379, 1_132, 185_724),
    "観光振興事業": (54_427, 53_961, 68_938),
    "雇用労働対策・就業支援事業": (76_825, 73_327, 72_268),
    "地域ものづくり等支援事業": (1_561, 1_438, 1_472),
    "海外販路開拓事業": (42_391, 38_134, 44_314),
    "国際環境産業推進事業": (41_883, 40_957, 41_800),
    "対内投資促進事業": (1_371, 1_371, 1_371),
}

# Short records: (平成28年度の実績, 平成29年度の概要) in 千円, read by hand from the report.
SHORT_AMOUNTS = {
    "かわさき基準推進事業": (0, 0),
    "福祉製品創出支援事業": (0, 0),
    "福祉サービス高度化事業": (0, 0),
    "環境調和型まちづくり(エコタウン)推進事業": (30_070, 29_850),
    "環境調和型産業振興事業": (304, 255),
    "コンテンツ産業振興事業": (3_441, 3_395),
    "産業デザイン振興育成事業": (4_228, 13_534),
    "新エネルギー産業創出事業": (0, 0),
    "川崎臨海部スマートコンビナートの推進事業": (3_737, 2_550),
    "先端科学技術啓発推進事業": (3_269, 3_021),
    "事業承継・事業継続支援事業": (0, 0),
    "商工業従業員永年勤続者表彰事業": (1_502, 1_476),
    "建設業振興事業": (1_393, 1_500),
    "テクノトランスファー事業": (3_000, 3_000),
    "信用保証等促進支援事業": (526_738, 717_504),
    "金融対策指導事業": (155, 2_098),
    "中小企業の経営相談・金融相談事業": (9_295, 9_867),
    "担い手・後継者育成事業": (7_089, 9_532),
    "農業経営支援・研究事業": (95_116, 77_292),
    "農業生産基盤維持・管理事業": (64_499, 24_698),
    "援農ボランティア育成・活用事業": (104, 52),
    "多様な連携推進事業": (12_378, 11_387),
    "地域連携事業": (56_718, 45_151),
    "まちづくり連動事業": (202_119, 199_850),
    "商業バリューアップ事業": (1_287, 1_319),
    "内陸部操業環境保全対策事業": (948, 49_937),
    "経済団体等助成・支援事業": (30_873, 33_166),
    "マイコンシティ地区活性化推進事業": (130, 1_652),
    "水江町地区活性化推進事業": (0, 5_249),
    "新川崎A地区活性化推進事業": (0, 0),
    "産業振興協議会等推進事業": (1_611, 7_514),
    "産業人材育成事業": (0, 1_100),
    "かわさきマイスター制度事業": (6_522, 5_568),
    "技能奨励事業": (8_875, 9_250),
    "生活文化会館の管理運営事業": (43_650, 48_026),
    "勤労者福祉共済": (89_106, 97_834),
    "勤労者福祉対策事業": (109_565, 109_868),
    "労働会館の管理運営事業": (162_590, 163_593),
    "労働資料の調査及び刊行業務": (14_682, 15_106),
    "住宅相談事業": (1_715, 1_715),
    "アジア起業家誘致交流促進事業": (10_602, 7_169),
}


@pytest.fixture(scope="module")
def report() -> SourceText:
    return SourceText.from_path(get_settings().corpus)


@pytest.fixture(scope="module")
def programmes(report: SourceText) -> dict[str, Programme]:
    parsed = ProgrammeParser().parse(report)
    assert len({p.name for p in parsed}) == len(parsed)
    return {p.name: p for p in parsed}


def _texts(p: Programme) -> list[str]:
    blocks = [p.plan] if p.plan else []
    blocks += [*p.activities, *p.council_opinions, *p.responses]
    out = [b.text for b in blocks]
    out += [m.text for m in p.support_menus] + [c.description or "" for c in p.contacts]
    out += [k.indicator for k in p.kpis]
    return out


def test_counts_and_ids(report: SourceText, programmes: dict[str, Programme]) -> None:
    assert len(programmes) == 65  # the table's ※ note row is not a 事務事業
    assert sum(p.focus for p in programmes.values()) == 23
    ids = {p.id for p in programmes.values()}
    assert len(ids) == 65
    p = programmes["間接融資事業"]
    assert p.id == programme_id(report.name, "間接融資事業")
    assert re.fullmatch(r"[0-9a-f]{16}", p.id)
    assert programme_id("other.txt", "間接融資事業") != p.id


def test_records_found_in_table_order(programmes: dict[str, Programme]) -> None:
    with_record = [p for p in programmes.values() if p.record_lines is not None]
    assert len(with_record) == 64  # only 「…(溝口事務所)」 has no record in the report
    assert programmes["中小企業の経営相談・金融相談事業(溝口事務所)"].record_lines is None
    firsts = [p.record_lines.first for p in with_record if p.record_lines]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize(("name", "amounts"), FOCUS_BUDGETS.items())
def test_focus_budgets(programmes: dict[str, Programme], name: str, amounts: tuple) -> None:
    budget = programmes[name].budget
    assert budget is not None
    got = (budget.fy2016_budget, budget.fy2016_actual, budget.fy2017_budget)
    assert got == tuple(a * 1000 for a in amounts)


@pytest.mark.parametrize(("name", "amounts"), SHORT_AMOUNTS.items())
def test_short_record_amounts(programmes: dict[str, Programme], name: str, amounts: tuple) -> None:
    p = programmes[name]
    assert not p.focus
    assert p.budget is not None
    assert (p.budget.fy2016_actual, p.budget.fy2017_budget) == tuple(a * 1000 for a in amounts)
    assert p.budget.fy2016_budget is None
    assert p.plan is not None or p.activities


def test_budget_text_keeps_the_printed_change(programmes: dict[str, Programme]) -> None:
    budget = programmes["商業力強化事業"].budget
    assert budget is not None and budget.text is not None
    assert "3,665千円減" in budget.text and "14,428千円" in budget.text
    short = programmes["経済団体等助成・支援事業"].budget
    assert short is not None and short.text is not None and "33,166千円" in short.text


def test_budget_spans_hold_the_figures(
    report: SourceText, programmes: dict[str, Programme]
) -> None:
    for p in programmes.values():
        if p.budget is None or p.budget.fy2016_actual is None:
            continue
        raw = "".join(report.line(n) for n in range(p.budget.lines.first, p.budget.lines.last + 1))
        digits = re.sub(r"\D", "", raw)
        assert str(p.budget.fy2016_actual // 1000) in digits or p.budget.fy2016_actual == 0


def test_kpis(programmes: dict[str, Programme]) -> None:
    rows = [k for p in programmes.values() for k in p.kpis]
    complete = [k for k in rows if k.indicator and k.target and k.fy2016]
    assert len(complete) >= 40
    assert len(rows) == 57  # figure tables printed in the report
    assert all(k.indicator for k in rows)
    fest = programmes["商業ネットワーク事業"].kpis[1]  # indicator printed beside its chart
    assert (fest.indicator, fest.target) == ("かわさきアジアンフェスタの来場者数", "120,000")
    assert fest.lines.first <= 4809 and fest.lines.last >= 4888
    first = programmes["起業化総合支援事業"].kpis[0]
    assert (first.indicator, first.unit, first.target, first.fy2015, first.fy2016) == (
        "かわさき起業家塾の参加人数",
        "人",
        "20",
        "12",
        "14",
    )
    venture = programmes["起業化総合支援事業"].kpis[3]
    assert (venture.fy2015, venture.fy2016) == (None, "3")  # printed 「ー 3【…】」
    loans = programmes["間接融資事業"].kpis[0]
    assert (loans.unit, loans.target, loans.fy2015, loans.fy2016) == (
        "百万円",
        "39,331",
        "39,331",
        "32,332",
    )


def test_kpi_tables_printed_out_of_order_are_paired_by_unit(
    programmes: dict[str, Programme],
) -> None:
    by_name = {k.indicator: k for k in programmes["知的財産戦略の推進"].kpis}
    assert (
        by_name["知的財産スクール開催回数"].unit,
        by_name["知的財産スクール開催回数"].target,
    ) == (
        "回",
        "6",
    )
    assert by_name["マッチング成立件数"].unit == "件"
    shops = {k.indicator: k for k in programmes["商店街課題対応事業"].kpis}
    assert shops["創業予定者向けセミナーの講義回数"].target == "12"


def _menu(p: Programme, part: str):
    found = [m for m in p.support_menus if part in m.name]
    assert found, [m.name for m in p.support_menus]
    return found[0]


def test_support_menus_subsidies(programmes: dict[str, Programme]) -> None:
    p = programmes["ものづくり中小企業経営革新等支援事業"]
    expected = [
        ("新製品・新技術開発等支援", 1_000_000, "1/2"),
        ("産学共同研究開発プロジェクト支援", 5_000_000, "2/3"),
        ("経営改善事業支援", 500_000, "1/2"),
    ]
    for part, cap, rate in expected:
        m = _menu(p, part)
        assert (m.kind, m.cap_yen, m.rate) == ("subsidy", cap, rate)
    fair = _menu(programmes["ものづくり中小企業販路開拓支援事業"], "展示会出展料")
    assert (fair.kind, fair.cap_yen, fair.rate) == ("subsidy", 150_000, "1/2")
    assert "20万円" in fair.text and "ブランド認定企業" in fair.text
    assert fair.eligibility and "中小製造業者" in fair.eligibility


def test_support_menus_loans(programmes: dict[str, Programme]) -> None:
    p = programmes["間接融資事業"]
    mini = _menu(p, "小規模事業資金(ミニ)")
    assert (mini.kind, mini.cap_yen, mini.rate, mini.term) == (
        "loan",
        3_000_000,
        "年1.3%以内",
        "4年以内",
    )
    small = _menu(p, "小口サポート型")
    assert (small.kind, small.cap_yen) == ("loan", 20_000_000)
    assert "1,500万円から2,000万円" in small.text
    welfare = programmes["勤労者福祉共済"].support_menus
    assert len(welfare) == 1
    assert (welfare[0].kind, welfare[0].cap_yen, welfare[0].rate) == (
        "loan",
        1_000_000,
        "年1.2~1.8%",
    )


def test_menu_spans_are_inside_records(programmes: dict[str, Programme]) -> None:
    for p in programmes.values():
        for m in p.support_menus:
            assert p.record_lines is not None
            assert p.record_lines.first <= m.lines.first <= m.lines.last <= p.record_lines.last


@pytest.mark.parametrize(
    ("programme", "contact"),
    [
        ("川崎市産業振興財団運営費等補助事業", "川崎市産業振興財団"),
        ("海外販路開拓事業", "KOBS"),
        ("新産業創造支援事業", "KBIC"),
        ("新川崎・創造のもり推進事業", "NANOBIC"),
        ("雇用労働対策・就業支援事業", "キャリアサポートかわさき"),
        ("雇用労働対策・就業支援事業", "コネクションズかわさき"),
        ("中小企業の経営相談・金融相談事業", "特別相談窓口"),
        ("間接融資事業", "川崎市信用保証協会"),
    ],
)
def test_contacts(programmes: dict[str, Programme], programme: str, contact: str) -> None:
    found = [c for c in programmes[programme].contacts if contact in c.name]
    assert found, [c.name for c in programmes[programme].contacts]
    assert found[0].description and contact.strip("()") in found[0].description.replace("※", "")


def test_contacts_are_not_generic_words(programmes: dict[str, Programme]) -> None:
    names = {c.name for p in programmes.values() for c in p.contacts}
    assert not names & {"窓口", "相談窓口", "センター", "財団", "協会"}
    assert not any(n.startswith(("・", "回", "百万円", "法人")) for n in names)
    assert "川崎商工会議所" in names
    # A participant in a dated table row (知的財産スクール's venues and guests) is no desk,
    # nor is a partner drawn in a diagram (ICT産業連携促進事業イメージ).
    assert not names & {"宮崎県工業技術センター", "神奈川県情報サービス協会"}


def test_opinions_and_responses(programmes: dict[str, Programme]) -> None:
    p = programmes["起業化総合支援事業"]
    assert len(p.council_opinions) == 4
    assert len(p.responses) == 3
    assert p.council_opinions[0].text.startswith("○起業に向けた段階的な支援")
    loans = programmes["間接融資事業"]  # printed after the side labels, responses first
    assert any("NPO法人支援資金" in r.text for r in loans.responses)
    assert any("必要性を感じない" in o.text for o in loans.council_opinions)
    assert not any("必要性を感じない" in r.text for r in loans.responses)
    with_check = [p for p in programmes.values() if p.focus and p.council_opinions]
    assert len(with_check) == 23
    assert sum(bool(p.responses) for p in programmes.values() if p.focus) == 23


def test_plans_and_activities(programmes: dict[str, Programme]) -> None:
    plan = programmes["起業化総合支援事業"].plan
    assert plan is not None
    assert plan.text.startswith("○各種セミナー・研修会等の実施を通じて")
    assert "主な取組" in plan.text
    assert "参加人数" not in plan.text  # indicators are KPIs, not plan
    assert "予算" not in plan.text
    assert all(p.plan is not None for p in programmes.values() if p.focus)
    loans = programmes["間接融資事業"]
    assert any("限度額300万円" in a.text for a in loans.activities)
    eco = programmes["環境調和型まちづくり(エコタウン)推進事業"]
    assert eco.plan is not None and eco.plan.text.endswith("情報発信します。")
    assert eco.activities[0].text.endswith("業務支援を行いました。")


def test_text_has_no_footers_or_split_numbers(programmes: dict[str, Programme]) -> None:
    for p in programmes.values():
        for text in _texts(p):
            assert not re.search(r"- ?\d{1,3} ?-$", text), text
            assert not re.search(r"\d [,.]\d|\d[,.] \d", text), text
            assert "Check" not in text and "Action" not in text, text


def test_sidebar_labels_are_not_in_text(
    report: SourceText, programmes: dict[str, Programme]
) -> None:
    p = programmes[
        "医工連携等推進事業"
    ]  # its record follows the 「研究及び開発の支援 第14条」 sidebar
    assert p.record_lines is not None
    assert all(n not in report.noise for n in range(p.record_lines.first, p.record_lines.first + 3))
    assert not any("研究及び開発の支援第14条" in t for t in _texts(p))
