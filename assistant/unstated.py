"""What a question names that the report never states: another city's scheme or a place it
does not cover, a quoted name, indicator, sum, count or title found nowhere in it, an article
the ordinance does not have. Read once, by the Understand stage, from the question alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.evidence import (
    other_places,
    unknown_counts,
    unknown_indicators,
    unknown_money,
    unknown_names,
    unknown_places,
    unknown_titles,
)
from assistant.text import nfkc, squash

__all__ = ["Unstated", "UnstatedReader"]


@dataclass(frozen=True, slots=True)
class Unstated:
    """Something the question names that the report lacks. ``name`` (a term no programme
    named in the conversation explains) only counts when no programme is named."""

    kind: Literal["region", "name", "quoted", "article"]
    name: str = ""  # the term, or the article's number as text


class UnstatedReader:
    """Finds what a question names that the report's text never does."""

    def __init__(
        self,
        corpus_text: str,
        missing_articles: Callable[[str], list[int]],
        terms: CorpusTerms = NO_TERMS,
    ) -> None:
        self.corpus_text = nfkc(corpus_text)
        self.flat_corpus = squash(corpus_text)
        self.missing_articles = missing_articles
        self.terms = terms

    def read(self, question: str) -> tuple[Unstated, ...]:
        """Each finding, in the order they weigh (a region first)."""
        out = []
        if unknown_places(question, self.corpus_text, self.terms):
            out.append(Unstated("region"))
        flat = self.flat_corpus
        out.extend(Unstated("name", n) for n in unknown_names(question, flat)[:1])
        for finder in (unknown_indicators, unknown_money, unknown_counts, unknown_titles):
            out.extend(Unstated("quoted", n) for n in finder(question, flat)[:1])
        out.extend(Unstated("article", str(n)) for n in self.missing_articles(question)[:1])
        return tuple(out)

    def elsewhere(self, question: str) -> bool:
        """The question names another city or government (its scheme is not the report's)."""
        return bool(other_places(question, self.terms))
