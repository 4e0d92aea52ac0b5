"""The kinds of entry of the rule catalogue (see :mod:`assistant.catalogue`): word lists, texts,
patterns and tables, frozen once loaded."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from core import is_katakana

__all__ = ["SCOPES", "SLOT", "TERMS", "Entry", "Pattern", "Table", "Text", "Words", "stands_in"]

SCOPES = ("generic", "report")
# Facts of the corpus a rule may name; :mod:`assistant.corpus_terms` reads their values.
TERMS = ("city", "city_stem", "city_kana")
SLOT = re.compile(r"\$\{([a-z_]+)\}")  # ${name}: a fragment or a corpus term


@dataclass(frozen=True, slots=True)
class Words:
    """A list of words: a cue fires when one of them is in the text (see :func:`stands_in`)."""

    name: str
    scope: str
    words: tuple[str, ...]
    as_set: frozenset[str] = field(default=frozenset(), compare=False)
    examples: tuple[str, ...] = ()  # texts in which a word that works only in context fires

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def found_in(self, text: str) -> bool:
        return any(stands_in(w, text) for w in self.words)

    def count_in(self, text: str) -> int:
        return sum(1 for w in self.words if stands_in(w, text))


def stands_in(word: str, text: str) -> bool:
    """``word`` is in ``text``, a katakana word not as the tail of a longer one there (サイト
    in ビッグサイト, a venue's name, is not the word サイト)."""
    start = text.find(word)
    if start < 0 or not is_katakana(word[0]):
        return start >= 0
    while start >= 0:
        if start == 0 or not is_katakana(text[start - 1]):
            return True
        start = text.find(word, start + 1)
    return False


@dataclass(frozen=True, slots=True)
class Pattern:
    """A regular expression with the strings it must and must not find."""

    name: str
    scope: str
    source: str  # fragments filled in; corpus terms still as ${term}
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    sample_terms: Mapping[str, str] = field(default_factory=dict)  # for the examples

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(SLOT.findall(self.source)))

    def compiled(self, **terms: str) -> re.Pattern[str]:
        return _compile(self.source, tuple(sorted(terms.items())))


@dataclass(frozen=True, slots=True)
class Table:
    """Word → value, in the catalogue's order; ``scopes`` gives each item's scope."""

    name: str
    scope: str
    items: Mapping[str, str | int]
    scopes: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Text:
    """A run of words read as one text (bigrams are taken across the joins, as written);
    ``${term}`` stands for a fact of the corpus."""

    name: str
    scope: str
    parts: tuple[str, ...]

    def filled(self, **terms: str) -> str:
        return SLOT.sub(lambda m: terms.get(m.group(1), ""), "".join(self.parts))


Entry = Words | Text | Pattern | Table


@lru_cache(maxsize=512)
def _compile(source: str, terms: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    values = dict(terms)

    def value(m: re.Match[str]) -> str:
        given = values.get(m.group(1))
        # A corpus without the term (no city found): that alternative never matches.
        return re.escape(given) if given else "(?!)"

    return re.compile(SLOT.sub(value, source))
