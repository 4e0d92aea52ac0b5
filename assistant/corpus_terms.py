"""Facts about the corpus the rules need, read from the parsed report, never written in code
or in the catalogue: the city whose report it is, and the articles without a number."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from assistant.catalogue import rules
from assistant.text import nfkc
from ingest import Corpus, sudachi_place_names, sudachi_reading

__all__ = ["NO_TERMS", "CorpusTerms", "corpus_terms"]

_KATAKANA_TO_HIRAGANA = 0x60  # code point distance between the two kana blocks
_KATAKANA = re.compile(r"[\u30a1-\u30f6]")
_WHITESPACE = re.compile(r"\s+")  # a quoted name may be broken across the dump's lines
_SAMPLE_CHARS = 2000  # of each section and contact read for place names


@dataclass(frozen=True, slots=True)
class CorpusTerms:
    """The report's city (「川崎市」, its stem 「川崎」 and the stem in hiragana, which local
    names use), its unnumbered articles by label (前文 → 0, 附則 → its number) and the
    names of the ordinances it quotes."""

    city: str = ""
    city_stem: str = ""
    city_kana: str = ""
    unnumbered: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    ordinance_names: tuple[str, ...] = ()  # the ordinances the report names in quotes

    @property
    def slots(self) -> dict[str, str]:
        """The values of the catalogue's corpus terms (``${city}`` …)."""
        return {"city": self.city, "city_stem": self.city_stem, "city_kana": self.city_kana}

    @property
    def city_words(self) -> tuple[str, ...]:
        """The city's name and its stem, as a question writes them."""
        return tuple(w for w in (self.city_stem, self.city) if w)


NO_TERMS = CorpusTerms()


def corpus_terms(corpus: Corpus) -> CorpusTerms:
    """The terms of ``corpus``: its city is the city (a place name with the catalogue's city
    suffix) its sections and contacts name most often."""
    suffixes = tuple(rules().words("places.city_suffix"))
    texts = [s.text[:_SAMPLE_CHARS] for s in corpus.sections]
    texts += [c.name + (c.description or "") for p in corpus.programmes for c in p.contacts]
    counts = Counter(
        place
        for text in texts
        for place in sudachi_place_names(nfkc(text)[:_SAMPLE_CHARS])
        if place.endswith(suffixes)
    )
    unnumbered = {nfkc(a.label): a.number for a in corpus.articles if not a.numbered}
    quoted = rules().pattern("patterns.report.quoted_ordinance")
    names = tuple(
        dict.fromkeys(
            name
            for section in corpus.sections
            for name in quoted.findall(_WHITESPACE.sub("", nfkc(section.text)))
        )
    )
    if not counts:
        return CorpusTerms(unnumbered=MappingProxyType(unnumbered), ordinance_names=names)
    city = counts.most_common(1)[0][0]
    stem = next(city[: -len(s)] for s in suffixes if city.endswith(s))
    kana = "".join(
        chr(ord(c) - _KATAKANA_TO_HIRAGANA) if _katakana(c) else c for c in sudachi_reading(stem)
    )
    return CorpusTerms(city, stem, kana, MappingProxyType(unnumbered), names)


def _katakana(char: str) -> bool:
    return bool(_KATAKANA.fullmatch(char))
