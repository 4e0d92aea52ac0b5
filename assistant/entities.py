"""Entity extraction: the ordinance articles, fiscal years and attributes a question names."""

from __future__ import annotations

import re

from assistant.text import kanji_to_int
from core import era_years_as_western, find_era_years
from ingest import short_year

__all__ = [
    "article_numbers",
    "asked_attributes",
    "fiscal_years",
    "relative_years",
]

# Requested attributes and the words that ask for them.
_ATTRIBUTE_CUES: dict[str, tuple[str, ...]] = {
    "phone": ("電話", "TEL", "tel", "番号", "FAX", "ファックス"),
    "hours": (
        "営業時間",
        "受付時間",
        "何時",
        "開館",
        "曜日",
        "時間帯",
        "土日",
        "休日",
        "祝日",
        "夜間",
    ),
    "deadline": (
        "締切",
        "締め切り",
        "期限",
        "いつまで",
        "募集期間",
        "申請期間",
        "応募期間",
        "今から申し込",
        "まだ申し込",
        "今から申請",
        "まだ申請",
    ),
    "address": ("住所", "所在地", "URL", "ホームページ", "サイト", "メール", "アクセス"),
    "rate": ("利率", "金利", "補助率", "何割", "何%", "利息"),
    "cap": ("上限", "限度", "いくらまで", "最大", "最高"),
    "term": ("返済期間", "期間", "何年", "日数", "何日", "何か月", "何ヶ月", "何カ月"),
    "count": ("何件", "何社", "何人", "件数", "応募数", "採択数", "社数"),
    "fee": (
        "手数料",
        "参加費",
        "会費",
        "相談料",
        "出展料は",
        "利用料",
        "使用料",
        "料金",
        "賞金",
        "報酬",
        "いくらで使",
        "受講料",
        "費用はかか",
        "家賃",
        "賃料",
        "月いくら",
        "お金かか",
        "自己負担",
        "負担額",
        "費用負担",
    ),
    "documents": ("書類", "必要なもの", "手続き", "申請方法", "申し込み方法"),
    "penalty": ("罰則", "罰金", "違反"),
    "next_date": ("次回", "次の開催", "今度の開催", "次はいつ", "今度はいつ", "次いつ"),
    "booking": ("予約",),
    "requirements": ("条件", "要件", "資格", "応募できる"),
}
# Numbers are read where they start and never given back (a retry at every digit of a long
# run took quadratic time; a match inside a number extends to one starting earlier anyway).
_ARTICLE = re.compile(
    r"第?((?<![0-9])[0-9]++|(?<![一二三四五六七八九十])[一二三四五六七八九十]++)条"
)
_EARLY_MONTH = re.compile(r"\s*+[1-3]月")
_SHORT_FY = re.compile(r"(?<![0-9])([0-9]{2})年度")
_WESTERN_FY = re.compile(r"(20[0-9]{2})年度?")
_WHERE_WORDS = ("住所", "所在地", "URL", "メール", "アクセス", "どこ")
_EXISTS = re.compile(r"(?:って|は|が)(?:ある|あります)(?:の|か)?[?？。]?$")


# How the ordinance came to be (who asked for it, when it was made) and its full name are told
# by the report's introduction, not by the articles, which state its content and 施行 date.
_MAKING = (
    *("制定", "作られ", "つくられ", "作った", "できた", "出来た", "きっかけ", "経緯", "言い出"),
    *("正式名称", "正式な名前", "正式な名称"),
)


def asks_making(text: str) -> bool:
    """Whether an ordinance question asks how it came to be (制定の経緯, いつ作られた) or
    its full name."""
    return any(w in text for w in _MAKING)


def article_numbers(text: str) -> list[int]:
    """Ordinance articles the text cites (前文 as 0, 附則 as 25), in order, repeats kept."""
    articles: list[int] = []
    for m in _ARTICLE.finditer(text):
        if text[: m.start()].endswith("法"):
            continue  # 〇〇法第2条 cites another law, not the ordinance
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else kanji_to_int(raw)
        if n is not None and 1 <= n <= 99:
            articles.append(n)
    if "前文" in text:
        articles.append(0)
    if "附則" in text:
        articles.append(25)
    return articles


# Years named relative to the report's own (the report speaks from its fiscal year).
_RELATIVE_FY = {"来年度": 1, "次年度": 1, "翌年度": 1, "今年度": 0, "本年度": 0, "昨年度": -1}


def relative_years(text: str, report_year: int | None) -> tuple[int, ...]:
    """Fiscal years named relative to the report's year (来年度 → the year after it)."""
    if report_year is None:
        return ()
    return tuple(dict.fromkeys(report_year + d for w, d in _RELATIVE_FY.items() if w in text))


def fiscal_years(text: str) -> tuple[int, ...]:
    """Western fiscal years the text names (平成28年度, H28, 28年度, 2016年度 → 2016)."""
    # 平成29年3月 lies in fiscal year 平成28年度 (April to March).
    years = [f.year - bool(_EARLY_MONTH.match(text, f.end)) for f in find_era_years(text)]
    years.extend(int(m.group(1)) for m in _WESTERN_FY.finditer(text))
    # What is left once every dated year is gone: years written without an era (28年度).
    stripped = _WESTERN_FY.sub("", era_years_as_western(text))
    years.extend(short_year(int(m.group(1))) for m in _SHORT_FY.finditer(stripped))
    return tuple(dict.fromkeys(years))


def _asks_existence(text: str) -> bool:
    """A site or page asked about by whether it exists, without asking where it is."""
    return bool(_EXISTS.search(text)) and not any(w in text for w in _WHERE_WORDS)


def asked_attributes(text: str) -> tuple[str, ...]:
    """The attributes (phone, cap, deadline…) the question asks for, in cue-table order."""
    attributes = tuple(a for a, cues in _ATTRIBUTE_CUES.items() if any(c in text for c in cues))
    if "address" in attributes and _asks_existence(text):
        # 「…が見られるサイトってある？」 asks which site, not its address.
        attributes = tuple(a for a in attributes if a != "address")
    return attributes
