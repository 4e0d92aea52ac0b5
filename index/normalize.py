"""Text normalisation shared by documents and queries (NFKC, era years, kanji numerals).

Both sides go through the same rules so 平成28年度 in a question meets 2016年度 in a
chunk (and the reverse), 第十五条 meets 第15条, and full-width digits meet half-width.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ERA_OFFSETS",
    "kanji_to_int",
    "lexical_form",
    "normalize_query",
    "normalize_text",
    "western_years",
]

# First western year minus one for each modern era (元年 = offset + 1).
ERA_OFFSETS: dict[str, int] = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_KANJI_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUM = "[〇零一二三四五六七八九十百千]+"

_ERA_RE = re.compile(r"(" + "|".join(ERA_OFFSETS) + r")\s*(元|\d{1,2})\s*年")
_WESTERN_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# 第十五条, 第十五項, 第三号 … : kanji numbers in legal references become digits.
_LEGAL_KANJI_RE = re.compile(r"第(" + _KANJI_NUM + r")(条|項|号|章|節)")
# A space the PDF dump put inside a number or between Japanese characters carries no meaning.
_CJK = r"\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"
_INNER_SPACE_RE = re.compile(rf"(?<=[\d{_CJK},.])[ \t]+(?=[\d{_CJK},.%])")


def kanji_to_int(text: str) -> int | None:
    """Value of a kanji numeral below 10,000 (十五 → 15, 二十四 → 24, 百二 → 102)."""
    if not text or any(ch not in _KANJI_DIGITS and ch not in _KANJI_UNITS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch]
        else:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
    return total + current


def _legal_kanji(match: re.Match[str]) -> str:
    value = kanji_to_int(match.group(1))
    return match.group(0) if value is None else f"第{value}{match.group(2)}"


def normalize_text(text: str) -> str:
    """NFKC, no spaces inside numbers or Japanese runs, legal kanji numerals as digits."""
    text = unicodedata.normalize("NFKC", text)
    text = _INNER_SPACE_RE.sub("", text)
    return _LEGAL_KANJI_RE.sub(_legal_kanji, text)


def _era_to_western(match: re.Match[str]) -> str:
    year = 1 if match.group(2) == "元" else int(match.group(2))
    return f"{ERA_OFFSETS[match.group(1)] + year}年"


def western_years(text: str) -> tuple[int, ...]:
    """Western years a text names, era years converted (平成28年度 → 2016)."""
    text = normalize_text(text)
    years = {int(m.group(1)) for m in _WESTERN_RE.finditer(_ERA_RE.sub(_era_to_western, text))}
    return tuple(sorted(years))


def normalize_query(text: str) -> str:
    """A query as the lexical index sees it: normalised, era years rewritten as western.

    Documents get the same rewrite (see :func:`lexical_form`), so either spelling matches.
    """
    return lexical_form(text)


def lexical_form(text: str) -> str:
    """Normalised text with era years as western years (平成28年度 → 2016年度)."""
    return _ERA_RE.sub(_era_to_western, normalize_text(text))
