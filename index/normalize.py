"""Text normalisation shared by documents and queries (NFKC, era years, kanji numerals).

Both sides go through the same rules so 平成28年度 in a question meets 2016年度 in a
chunk (and the reverse), 第十五条 meets 第15条, and full-width digits meet half-width.
The era and numeral rules themselves are core's (one implementation for every stage).
"""

from __future__ import annotations

import re
import unicodedata

from core import KANJI_NUMERAL_CHARS, era_years, era_years_as_western, kanji_to_int

__all__ = [
    "lexical_form",
    "normalize_query",
    "normalize_text",
    "western_years",
]

_WESTERN_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# 第十五条, 第十五項, 第三号 … : kanji numbers in legal references become digits.
_LEGAL_KANJI_RE = re.compile(r"第([" + KANJI_NUMERAL_CHARS + r"]{1,8})(条|項|号|章|節)")
# A space the PDF dump put inside a number or between Japanese characters carries no meaning.
_CJK = r"\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"
_INNER_SPACE_RE = re.compile(rf"(?<=[\d{_CJK},.])[ \t]+(?=[\d{_CJK},.%])")


def _legal_kanji(match: re.Match[str]) -> str:
    value = kanji_to_int(match.group(1))
    return match.group(0) if value is None else f"第{value}{match.group(2)}"


def normalize_text(text: str) -> str:
    """NFKC, no spaces inside numbers or Japanese runs, legal kanji numerals as digits."""
    # Plain NFKC, not core.nfkc: chunk text keeps the wave dash (〜) the report prints.
    text = unicodedata.normalize("NFKC", text)
    text = _INNER_SPACE_RE.sub("", text)
    return _LEGAL_KANJI_RE.sub(_legal_kanji, text)


def western_years(text: str) -> tuple[int, ...]:
    """Western years a text names, era years converted (平成28年度 → 2016)."""
    text = normalize_text(text)
    years = set(era_years(text)) | {int(m.group(1)) for m in _WESTERN_RE.finditer(text)}
    return tuple(sorted(years))


def normalize_query(text: str) -> str:
    """A query as the lexical index sees it: normalised, era years rewritten as western.

    Documents get the same rewrite (see :func:`lexical_form`), so either spelling matches.
    """
    return lexical_form(text)


def lexical_form(text: str) -> str:
    """Normalised text with era years as western years (平成28年度 → 2016年度)."""
    return era_years_as_western(normalize_text(text))
