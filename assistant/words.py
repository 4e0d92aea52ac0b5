"""Content words (Sudachi normalised forms) for matching questions to report sentences.

Character bigrams match wording; content words match meaning across inflection and
script variants (来る/来場 stay apart, but 働い/働く or 受け取っ/受け取る meet).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.catalogue import rules
from ingest import sudachi_content_forms

__all__ = ["ContentWords"]

_CACHE_LIMIT = 50_000
_KANJI = re.compile(r"[\u4e00-\u9fff]+")


class ContentWords:
    """Normalised content words of a text, cached (report sentences recur across questions)."""

    def __init__(self, also_stop: Iterable[str] = ()) -> None:
        """``also_stop``: words of the corpus no question is about (its city's name)."""
        self._cache: dict[str, frozenset[str]] = {}
        self._stop = rules().words("stopwords.content_words").as_set | frozenset(also_stop)

    def __call__(self, text: str) -> frozenset[str]:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        words = frozenset(self._words(text))
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = words
        return words

    def _words(self, text: str) -> list[str]:
        return [
            form
            for form in sudachi_content_forms(text[:2000])
            if form not in self._stop and (len(form) >= 2 or _KANJI.fullmatch(form))
        ]
