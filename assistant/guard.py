"""Faithfulness guard: every number and proper noun of a phrased answer must be in the sources."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text import nfkc, numbers_in, quoted_numbers, squash

__all__ = ["unsupported_claims"]

# Proper-noun shaped tokens: Latin words/acronyms, katakana runs, 「quoted names」, and kanji
# compounds ending in an organisation/place suffix.
_PROPER = re.compile(
    r"[A-Za-z][A-Za-z0-9&.\-]{1,}"
    r"|[ァ-ヴー・]{3,}"
    r"|「([^「」]{2,40})」"
    r"|[\u4e00-\u9fffァ-ヴー]{2,12}(?:財団|センター|協議会|銀行|金庫|大学|公社|機構|会議所|協会|株式会社|市|県|区)"
)
# Dates in any written form (their numbers are checked too, this catches 令和/元年 forms).
_DATE_WORDS = re.compile(r"令和|元年|昭和")


def unsupported_claims(answer: str, sources: Iterable[str]) -> list[str]:
    """Numbers, dates and proper nouns of ``answer`` that no source text contains."""
    texts = list(sources)
    flat = "\n".join(squash(s) for s in texts)
    known_numbers = {n for s in texts for n in quoted_numbers(s)}
    missing = [n for n in numbers_in(answer) if n not in known_numbers]
    text = nfkc(answer)
    for m in _PROPER.finditer(text):
        token = m.group(1) or m.group(0)
        if squash(token) not in flat:
            missing.append(token)
    missing.extend(m.group(0) for m in _DATE_WORDS.finditer(text) if m.group(0) not in flat)
    return list(dict.fromkeys(missing))
