"""Whether the report states a requested attribute: decided from the matched text itself."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text import nfkc, squash
from ingest import sudachi_tokenizer

__all__ = [
    "ATTRIBUTE_LABELS",
    "evidence_pattern",
    "has_evidence",
    "named_terms",
    "other_editions",
    "other_places",
    "unknown_breakdowns",
    "unknown_counts",
    "unknown_indicators",
    "unknown_money",
    "unknown_names",
    "unknown_places",
    "unknown_titles",
]

# A number where it starts (not after a digit, or a digit and a comma), its digits never
# given back: retried at every digit of a long run of digits, it took quadratic time.
_AMOUNT = r"(?<!\d)(?<!\d,)\d[\d,]*+\s*+"
_DIGITS = r"(?<!\d)\d++\s*+"

# What a passage that *states* each attribute looks like.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"\d{2,5}[-‐(（)）]\d{1,4}[-‐]\d{3,4}|TEL|電話番号"),
    "hours": re.compile(
        r"\d{1,2}(?::\d{2}|時)(?:\d{1,2}分)?\s*[~〜から-]|開館時間|受付時間|営業時間"
    ),
    "deadline": re.compile(
        r"(?:締切|締め切り|期限|まで(?:に)?(?:申請|応募|申込))|(?<!\d)\d++月\d++日(?:\(.\))?まで"
        r"|受付期間|受付を?終了|募集を?終了|をもって終了"
    ),
    "address": re.compile(r"〒|丁目|番地|https?://|www\.|@|所在地"),
    "rate": re.compile(
        r"(?<!\d)\d++(?:\.\d++)?\s*+%|" + _DIGITS + r"/\s*\d+|(?<!\d)\d++分の\d+"
        r"|[\d一二三四五六七八九]割"
    ),
    "cap": re.compile(_AMOUNT + r"(?:万|千|億)?円"),
    "term": re.compile(
        _DIGITS + r"(?:年|か月|ヶ月|カ月)以内|期間\s*[:：(（]?\s*(?:平成|令和)?\s*\d"
        r"|" + _DIGITS + r"年度?\s*(?:から|~|〜)\s*(?:平成|令和)?\s*\d+\s*年度?"
    ),
    "count": re.compile(
        _DIGITS
        + r"(?:累[積計])?\s*(?:件|社|人|名|回|団体|校|組織|製品|店|者|か所|箇所|ブース|小間|区画)"
        r"|(?:件数|人数|社数|回数|数)\s*[:：]?\s*\d"
    ),
    "fee": re.compile(
        r"(?:料|費|賞金|報酬|会費|家賃|賃料)[^。]{0,4}\d[\d,]*\s*(?:万|千)?円"
        r"|" + _AMOUNT + r"(?:万|千)?円[^。]{0,6}(?:料|費)|無料|有料"
    ),
    "documents": re.compile(r"書類|申請書|提出"),
    "penalty": re.compile(r"罰則|罰金|過料|懲役"),
    "next_date": re.compile(r"次回[^。]{0,20}\d+月\d+日"),
    "booking": re.compile(r"予約"),
    "requirements": re.compile(r"対象|要件|条件|資格|以上|以内|以下|未満|限る|有する"),
}

ATTRIBUTE_LABELS = {
    "phone": "電話番号などの連絡先",
    "hours": "受付時間・開館時間",
    "deadline": "申請・応募の締切",
    "address": "所在地・URL",
    "rate": "利率・補助率",
    "cap": "上限額",
    "term": "期間",
    "count": "件数・人数",
    "fee": "料金・費用",
    "documents": "必要書類・手続き",
    "penalty": "罰則",
    "next_date": "今後の開催日程",
    "booking": "予約の要否・方法",
    "requirements": "条件・要件",
}

_HOME_WORDS = ("川崎", "本", "当", "同", "各", "市", "都道府")


def evidence_pattern(attribute: str) -> re.Pattern[str] | None:
    """What a passage stating ``attribute`` looks like (None: any passage may state it)."""
    return _EVIDENCE.get(attribute)


def has_evidence(attribute: str, texts: Iterable[str]) -> bool:
    pattern = _EVIDENCE.get(attribute)
    if pattern is None:
        return True
    return any(pattern.search(nfkc(t)) for t in texts)


def _place_names(question: str) -> list[str]:
    """Place names (Sudachi's 固有名詞・地名: 横浜市, 世田谷区, 名古屋) in the question."""
    return [
        m.surface()
        for m in sudachi_tokenizer().tokenize(nfkc(question)[:500])
        if m.part_of_speech()[1:3] == ("固有名詞", "地名")
    ]


def _home(place: str) -> bool:
    return place.startswith("川崎") or place in _HOME_WORDS


# 「国の…補助金」: the national government's scheme, not one of the city's.
_NATIONAL = re.compile(
    r"(?:^|[^\u4e00-\u9fff])国の(?=[^、。]{0,12}(?:補助金|助成金|融資|制度|支援))"
)


def other_places(question: str) -> list[str]:
    """Governments other than the report's own city that the question names (other cities
    and prefectures, or the national government's schemes)."""
    # 町/村/区 also name districts and wards inside the city (水江町, 中原区): only cities,
    # prefectures and the nation count as another government.
    out = [p for p in _place_names(question) if not _home(p) and p[-1] in "市県府都"]
    if _NATIONAL.search(nfkc(question)):
        out.append("国")
    return out


def unknown_places(question: str, corpus_text: str) -> list[str]:
    """Place names in the question that the report never mentions."""
    return [p for p in _place_names(question) if not _home(p) and p not in corpus_text]


# A named scheme/organisation: a compound ending in a naming suffix.
_NAMED = re.compile(
    r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{2,20}"
    r"(?:資金|補助金|助成金|奨励金|給付金|基金|制度|センター|協会|財団|賞|アワード|フェア"
    r"|プロジェクト|プログラム)"
)


def named_terms(question: str) -> list[str]:
    """Compounds in the question that name a scheme or organisation (…資金, …協会)."""
    return [m.group(0) for m in _NAMED.finditer(nfkc(question))]


def unknown_names(question: str, flat_corpus: str) -> list[str]:
    """Named schemes in the question (…資金, …補助金, …制度) that the report never mentions.

    ``flat_corpus`` is the report in comparison form (:func:`squash`).
    """
    flat = flat_corpus
    out = []
    for m in _NAMED.finditer(nfkc(question)):
        name = m.group(0)
        # A name counts as known when the report has it, or its core without a generic prefix.
        if squash(name) not in flat and squash(name[1:]) not in flat:
            out.append(name)
    return out


# A named ratio or rate (開業率, 有効求人倍率): an indicator the question asks the value of.
_INDICATOR = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{1,10}(?:倍率|率)")


# Rates that are a scheme's terms, not indicators: the report states them as figures
# (補助対象経費の1/2以内, 年1.3%以内) without always writing the word; `rate` evidence checks them.
_TERM_RATES = ("補助率", "助成率", "利率", "金利", "保証料率")


def unknown_indicators(question: str, flat_corpus: str) -> list[str]:
    """Ratios the question names (…率) that the report never mentions: any percentage the
    report gives is about another indicator and must not stand in for the asked one."""
    return [
        m.group(0)
        for m in _INDICATOR.finditer(nfkc(question))
        if squash(m.group(0)) not in flat_corpus and not m.group(0).endswith(_TERM_RATES)
    ]


# A sum of money asked about by name (お祝い金っていくら): a word of its own.
_MONEY = re.compile(
    r"((?:お[\u4e00-\u9fff][ぁ-ん]?|[ァ-ヴー\u4e00-\u9fff]{1,6})金)"
    r"(?=(?:って|は)(?:いくら|どのくらい|どれくらい))"
)


def unknown_money(question: str, flat_corpus: str) -> list[str]:
    """Named sums (…金) the question asks about that the report never mentions: another
    amount in the report (a loan limit) is not that sum."""
    return [
        m.group(1) for m in _MONEY.finditer(nfkc(question)) if squash(m.group(1)) not in flat_corpus
    ]


# A counted thing (廃業件数は, 来場者数って): the report must speak of the thing itself.
_COUNTED = re.compile(
    r"([\u4e00-\u9fff]{2,6}?)(?:件数|者数|社数|人数)(?=は|って|を|が|の|について)"
)


def unknown_counts(question: str, flat_corpus: str) -> list[str]:
    """Counts of things the report never mentions (廃業件数 when it only counts 倒産): the
    count it does give is of something else."""
    out = []
    for m in _COUNTED.finditer(nfkc(question)):
        # A new compound of known words (累積実施件数) is still about known things.
        words = [w.surface() for w in sudachi_tokenizer().tokenize(m.group(1))]
        if any(len(w) >= 2 and squash(w) not in flat_corpus for w in words):
            out.append(m.group(0))
    return out


# An edition of a named event or scheme (テクノトランスファーinかわさき2017, …展2018): a
# year right after a run of letters (kana, kanji, Latin) whose name part starts with three
# non-hiragana ones. Tried only where a run starts, skipping to its first such three, and
# never re-split: nested quantifiers over one run took cubic time on a long kanji question
# (minutes, holding the GIL) and a retry at every position of a run takes quadratic time.
_EDITION_HEAD = r"A-Za-zァ-ヴー\u4e00-\u9fff"
_EDITION_RUN = r"A-Za-zぁ-んァ-ヴー\u4e00-\u9fff"
_EDITION = re.compile(
    rf"(?<![{_EDITION_RUN}])(?>[{_EDITION_RUN}]*?(?=[{_EDITION_HEAD}]{{3}}))"
    rf"(?P<edition>[{_EDITION_HEAD}]{{3}}[{_EDITION_RUN}]*+(?:19|20)\d{{2}})"
)


# 「業種別の内訳」「従業者規模別の回答件数」: a breakdown by some dimension (not 特別, 個別).
_BREAKDOWN = re.compile(r"([\u4e00-\u9fff]{2,6}別)(?=の|に|で|は|って|を)")


def unknown_breakdowns(question: str, texts: list[str]) -> list[str]:
    """Breakdowns the question asks for (業種別) that none of the on-topic ``texts`` gives."""
    flat = [squash(nfkc(t)) for t in texts]
    return [
        m.group(1)
        for m in _BREAKDOWN.finditer(nfkc(question))
        if not any(squash(m.group(1)) in t for t in flat)
    ]


def unknown_titles(question: str, flat_corpus: str) -> list[str]:
    """Editions of events the report never names (another year's fair): the edition it
    does report is not the one asked about."""
    return [
        m["edition"]
        for m in _EDITION.finditer(nfkc(question))
        if squash(m["edition"]) not in flat_corpus
    ]


_YEAR_SUFFIX = re.compile(r"((?:19|20)\d{2})$")


def other_editions(question: str, text: str) -> list[str]:
    """Editions the question names (…2017) that ``text`` does not speak of while it speaks
    of the same series in another year (…2016): a sibling edition's facts."""
    flat = squash(nfkc(text))
    out = []
    for m in _EDITION.finditer(nfkc(question)):
        edition = m["edition"]
        year = _YEAR_SUFFIX.search(edition)
        if year is None:
            continue
        series = squash(edition[: year.start()])
        if squash(edition) in flat or series not in flat:
            continue
        if re.search(re.escape(series) + r"(?:19|20)\d{2}", flat):
            out.append(edition)
    return out
