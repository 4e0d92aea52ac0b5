"""The project's one implementation of each Japanese text helper.

- :func:`nfkc`: NFKC (全角 digits and Latin → half-width, ％ → %, ㍿ → 株式会社) with the wave
  dashes unified, so every stage compares the same characters.
- Era years: :data:`ERA_OFFSETS` (明治 … 令和), :func:`era_to_western`, :func:`western_to_era`,
  :func:`era_label` and :func:`era_years` (every year a text names by era, ``元年`` and kanji
  numerals included, with the short forms ``H28`` / ``R2``).
- Kanji numerals: :func:`kanji_to_int` reads both positional digits (二〇一六 → 2016, 二三 → 23)
  and unit numerals (二十四 → 24, 三千五百万 → 35,000,000).
- Figures broken by spaces: :func:`join_spaced_digits` (a PDF dump prints ``3 42`` /
  ``4 0 . 9%`` for 342 and 40.9).

Every pattern here is linear on any input (no nested quantifiers), because questions pass
through them before anything else looks at them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ERA_OFFSETS",
    "KANJI_NUMERAL_CHARS",
    "EraYear",
    "era_label",
    "era_to_western",
    "era_years",
    "era_years_as_western",
    "find_era_years",
    "is_katakana",
    "join_spaced_digits",
    "kanji_to_int",
    "nfkc",
    "western_to_era",
]

# The western year before each era's first year (元年 = offset + 1), oldest first.
ERA_OFFSETS: dict[str, int] = {
    "明治": 1867,
    "大正": 1911,
    "昭和": 1925,
    "平成": 1988,
    "令和": 2018,
}
# The first western year each era was in force (for the reverse conversion).
_ERA_STARTS = tuple((era, offset + 1) for era, offset in ERA_OFFSETS.items())
_ERA_INITIALS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
KANJI_NUMERAL_CHARS = "".join([*_DIGITS, *_SMALL_UNITS, *_LARGE_UNITS])


_ERA_YEAR = re.compile(
    r"(" + "|".join(ERA_OFFSETS) + r")\s*(元|\d{1,2}|[" + KANJI_NUMERAL_CHARS + r"]{1,4})\s*年"
    r"|(?<![A-Za-z])([MTSHR])(\d{1,2})(?:\s*年|\.(?=\d))"
)


_SPACED_DIGITS = re.compile(r"(?<=[\d.,])[ \t\u3000]+(?=[\d.,])")


def is_katakana(char: str) -> bool:
    """A katakana letter, the middle dot or the long mark (ァ … ヴ, ・, ー): what a katakana
    word is written with."""
    return "\u30a1" <= char <= "\u30fc"


def join_spaced_digits(line: str) -> str:
    """``line`` with the spaces between its digits removed (「3 42」 → 342, 「4 0 . 9%」 →
    40.9%). One line at a time: a number is never glued across a line break."""
    return _SPACED_DIGITS.sub("", line)


@lru_cache(maxsize=65536)
def nfkc(text: str) -> str:
    """NFKC with both wave dashes (〜, ～) as ``~``: the comparison form of every stage.

    Cached: the answerer compares the same report sentences with every question."""
    # NFKC already folds the full-width tilde (～); the wave dash (〜) it keeps.
    return unicodedata.normalize("NFKC", text).replace("〜", "~")


def kanji_to_int(text: str) -> int | None:
    """The value of a kanji numeral, or None when ``text`` is not one.

    Digits without units are positional (二〇一六 → 2016, 二三 → 23); units multiply what
    stands before them (二十四 → 24, 百二 → 102, 三千五百万 → 35,000,000, 十 → 10).
    """
    if not text or any(ch not in KANJI_NUMERAL_CHARS for ch in text):
        return None
    total = section = digits = 0
    has_digits = False
    for ch in text:
        if ch in _DIGITS:
            digits, has_digits = digits * 10 + _DIGITS[ch], True
        elif ch in _SMALL_UNITS:
            section += (digits if has_digits else 1) * _SMALL_UNITS[ch]
            digits, has_digits = 0, False
        else:
            block = section + digits
            if block == 0 and not has_digits:
                return None  # 万 alone, or 万万: not a numeral
            total += block * _LARGE_UNITS[ch]
            section = digits = 0
            has_digits = False
    return total + section + digits


def era_to_western(era: str, year: int) -> int:
    """Western year of ``era`` year ``year`` (平成, 28 → 2016); the era may be an initial (H)."""
    name = _ERA_INITIALS.get(era, era)
    if name not in ERA_OFFSETS:
        raise ValueError(f"unknown era: {era!r}")
    if year < 1:
        raise ValueError(f"era years start at 1: {year}")
    return ERA_OFFSETS[name] + year


def western_to_era(year: int) -> tuple[str, int]:
    """The era and its year for western ``year`` (2016 → 平成, 28; 2019 → 令和, 1).

    A year in which the era changed gets the newer era (1989 → 平成1, 2019 → 令和1), as a
    fiscal year that starts in April does.
    """
    for era, start in reversed(_ERA_STARTS):
        if year >= start:
            return era, year - start + 1
    raise ValueError(f"before the first modern era: {year}")


def era_label(year: int) -> str:
    """``年`` label of a western year the Japanese way: 2016 → 平成28年, 2019 → 令和元年."""
    era, n = western_to_era(year)
    return f"{era}{'元' if n == 1 else n}年"


def _era_number(raw: str) -> int | None:
    if raw == "元":
        return 1
    return int(raw) if raw.isdigit() else kanji_to_int(raw)


@dataclass(frozen=True, slots=True)
class EraYear:
    """An era year found in a text: its western year and where it stands."""

    year: int
    start: int
    end: int


def find_era_years(text: str) -> list[EraYear]:
    """Every era year in ``text`` (already NFKC-normalised), in order, with its span."""
    found: list[EraYear] = []
    for m in _ERA_YEAR.finditer(text):
        era, raw = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        n = _era_number(raw)
        if n is not None and n >= 1:
            found.append(EraYear(era_to_western(era, n), m.start(), m.end()))
    return found


def era_years(text: str) -> tuple[int, ...]:
    """Western years of every era year ``text`` names, in order of appearance.

    平成28年度 → 2016, 令和元年 → 2019, 昭和六十四年 → 1989, H28年度 / H28. → 2016.
    The text is NFKC-normalised first, so full-width digits count.
    """
    return tuple(found.year for found in find_era_years(nfkc(text)))


def era_years_as_western(text: str) -> str:
    """``text`` with every era year written as a western year (平成28年度 → 2016年度,
    令和元年 → 2019年); short forms such as ``H28.5.21`` are left as they are."""

    def western(m: re.Match[str]) -> str:
        if not m.group(1) and not m.group(0).endswith("年"):
            return m.group(0)
        era, raw = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        n = _era_number(raw)
        return m.group(0) if n is None or n < 1 else f"{era_to_western(era, n)}年"

    return _ERA_YEAR.sub(western, text)
