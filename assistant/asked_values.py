"""What a question asks for (a figure, an amount, a rate, a date, an organisation, a place)
and the patterns that find that kind of value in a sentence."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.text import nfkc, numbers_in

__all__ = ["FIGURE", "VALUE_LABELS", "ask_cues", "asked_value", "has_value", "missing_value"]

# A number is matched only where it starts (not after a digit, or a digit and a separator)
# and its digits are never given back: retrying inside a long run of digits took quadratic
# time. A match starting inside a number would extend to one starting earlier anyway.
_NUMBER = r"(?<!\d)(?<!\d[,.])\d[\d,.]*+\s*+"
_DIGITS = r"(?<!\d)\d++\s*+"

# A figure that answers "how many": a number with a counter/unit or thousands separators,
# not a date (平成28年, 5月31日).
FIGURE = re.compile(
    _NUMBER + r"(?:%|件|人|社|事業所|円|百万|万|千|億|倍|ポイント|割|回|者|名|か所|箇所|店|団体|"
    r"校|小間|製品|区画|室|企業|グループ|台)"
    r"|\d{1,3}(?:,\d{3})+|[約]?[0-9一二三四五六七八九]割"
    # 「全65の事務事業」「23の重点事業」: a count of programmes, written with の.
    r"|" + _DIGITS + r"の?(?:事務事業|重点事業|事業|施策)"
)
_PEOPLE = re.compile(_NUMBER + r"(?:人|名)|延べ\s*\d")
_AMOUNT = re.compile(_NUMBER + r"(?:百万|万|千|億)?円")
_RATE = re.compile(
    r"(?<!\d)\d++(?:\.\d++)?\s*+%|" + _DIGITS + r"/\s*\d+|(?<!\d)\d++分の\d+"
    r"|[\d一二三四五六七八九]割"
)
_DATE = re.compile(
    r"(?<!\d)\d++月\d++日|第\d[・\d]*+[月火水木金土日]曜|[月火水木金土日]曜日|(?<!\d)\d++年度?"
)
_ORG = re.compile(
    r"協議会|財団|センター|協会|会議所|大学|区役所|委員会|\(株\)|株式会社|組合|機構|事務所|"
    r"ステーション|窓口|部会|かわさき」"
)
_COMPANY = re.compile(r"\(株\)|株式会社|有限会社|合同会社|\(有\)")
_PLACE = re.compile(r"会館|ホール|区役所|公園|駅|会場|センター|[^\s]{1,6}(?:区|町|エリア)|にて")
# How long something takes (申し込んでから入金まで何日): a span of time, not a date.
_DURATION = re.compile(_DIGITS + r"(?:営業日|日間?|か月|ヶ月|カ月|週間|年間)")
_DURATION_CUES = (
    *("どのくらいかかる", "どれくらいかかる", "どのぐらいかかる", "何日かかる", "何か月かかる"),
    *("何ヶ月かかる", "何週間", "日数は", "期間はどのくらい", "期間はどれくらい"),
)
# 「費用はどのくらいかかる」 asks a cost, not a span of time.
_COST_ASK = re.compile(
    r"(?:費用|お金|コスト|料金|予算|経費)(?:は|が|って|も)?(?:どの|どれ)[くぐ]らい"
)
# What a question asks for, and the words that ask it (checked in order).
_ASKS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("amount", _AMOUNT, ("いくら", "金額", "予算", "助成額", "補助額", "総額")),
    ("rate", _RATE, ("何割", "何%", "割合", "率は", "率を", "パーセント", "シェア")),
    # Counts of people: a number of sessions (各期8回) does not say how many took part.
    (
        "people",
        _PEOPLE,
        (
            *("何人", "何名", "人数", "参加者数", "来場者数", "受講者数", "参加者は"),
            *("来場者は", "人が来", "人来", "人が参加", "人参加"),
        ),
    ),
    (
        "figure",
        FIGURE,
        (
            "何件",
            "何人",
            "何社",
            "何回",
            "何名",
            "何校",
            "何団体",
            "何製品",
            "何か所",
            "どのくらい",
            "どれくらい",
            "どれだけ",
            "どの程度",
            "規模",
            "数は",
            "件数",
            "人数",
            "実績",
            "いくつ",
            "何店",
            "多い",
            "少な",
        ),
    ),
    ("duration", _DURATION, _DURATION_CUES),
    ("date", _DATE, ("いつ", "何日", "何月", "日程", "開催日", "何曜", "時期")),
    (
        "company",
        _COMPANY,
        ("どの会社", "どこの会社", "どの企業", "どこの企業", "企業名", "会社名", "どこが選ば"),
    ),
    ("organisation", _ORG, ("誰が", "誰に", "どこが", "どこに", "機関", "団体は", "主体", "誰")),
    # 「会場で開催された…の参加者数」 names the venue; 「会場は?」 asks for it.
    (
        "place",
        _PLACE,
        (
            *("どこで", "どこの", "エリア", "どこにある"),
            *("場所は", "場所を", "場所って", "会場は", "会場を", "会場って", "会場どこ"),
        ),
    ),
)

_QUALIFIER = re.compile(r"(?<![(（])[(（][^)）]*+[)）]")


def ask_cues() -> str:
    """Every word that asks for a kind of value (何割, いつ, 何人…), for telling a question's
    topic from its ask."""
    return " ".join(c for _, _, cues in _ASKS for c in cues)


def has_value(pattern: re.Pattern[str], text: str, given: set[str]) -> bool:
    """The text holds the asked kind of value, other than a number the question gave."""
    for m in pattern.finditer(text):
        numbers = set(numbers_in(m.group(0)))
        if not numbers or not numbers <= given:
            return True
    return False


def asked_value(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The kind of value the question asks for and a pattern that finds it, if any."""
    # A bracketed qualifier (負債総額1,000万円以上) names the subject, not the ask.
    text = _QUALIFIER.sub("", nfkc(question))
    names = tuple(name for name, _, cues in _ASKS if any(c in text for c in cues))
    if "duration" in names and _COST_ASK.search(text):
        names = tuple(n for n in names if n != "duration")  # 「費用はどのくらいかかる」
    if "people" in names or "duration" in names:
        names = tuple(n for n in names if n != "figure")  # the specific kind, not any figure
    if not names:
        return None
    # 「誰が整備していつ開く?」 asks two things: a sentence holding either helps.
    return names[0], _union(names)


@lru_cache(maxsize=64)
def _union(names: tuple[str, ...]) -> re.Pattern[str]:
    patterns = {name: pattern for name, pattern, _ in _ASKS}
    if len(names) == 1:
        return patterns[names[0]]
    return re.compile("|".join(f"(?:{patterns[n].pattern})" for n in names))


# Words that ask for exactly one kind of value: an answer without such a value does not
# answer (「何人参加した？」 needs a count, 「いくら？」 an amount), however close its topic.
_EXPLICIT: dict[str, tuple[str, ...]] = {
    "amount": ("いくら", "金額"),
    "rate": ("何割", "何%", "パーセント"),
    "people": ("何人", "何名"),
    "figure": ("何件", "何社", "何回", "何校", "何団体", "何か所", "何店"),
    "date": ("いつ", "何日", "何月"),
    "duration": _DURATION_CUES,
}
VALUE_LABELS = {
    "people": "人数",
    "amount": "金額",
    "rate": "割合",
    "figure": "件数・人数",
    "date": "日付・時期",
    "duration": "かかる期間",
}


def missing_value(question: str, texts: list[str]) -> str | None:
    """The kind of value the question explicitly asks for that none of ``texts`` holds."""
    text = _QUALIFIER.sub("", nfkc(question))
    given = set(numbers_in(text))
    patterns = {name: pattern for name, pattern, _ in _ASKS}
    for name, cues in _EXPLICIT.items():
        if name == "duration" and _COST_ASK.search(text):
            continue
        if any(c in text for c in cues) and not any(
            has_value(patterns[name], _NOT_A_LEVEL.sub("", nfkc(t)), given) for t in texts
        ):
            return name
    return None


# A bound (負債総額1,000万円以上) names a class and a change (年0.1%引下げ, 52千円増) a
# difference: neither is the level a question asks for.
_NOT_A_LEVEL = re.compile(
    _NUMBER + r"(?:%|百万|万|千|億)?円?\s*"
    r"(?:以上|未満|超|を超え|引下げ|引き下げ|引上げ|引き上げ|増|減)"
    # A year heading a figure (2016年度実績 4) labels a column; it is not a date asked for.
    r"|" + _DIGITS + r"年度\s*(?:実績|予算|決算|目標|の実績|の概要)"
)
