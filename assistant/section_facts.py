"""Facts the ingest stage read from sections as (label, value) pairs: survey counts, members."""

from __future__ import annotations

import re

from assistant.catalogue import rules
from assistant.citing import Citer, Fact
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.phrases import phrase
from assistant.text import bigrams, nfkc, squash
from ingest import Corpus, Section

__all__ = ["SectionFacts"]

_MIN_KEY_OVERLAP = 2
# A bracketed note holding a date (委員名簿(平成29年8月現在)); read from the first of a run of
# openers, never re-split, so it takes linear time on any text.
_DATED_NOTE = re.compile(r"(?<![(（])[(（][^)）\d]*+\d[^)）]*+[)）]")


class SectionFacts:
    """Answers from ``Section.facts`` whose label the question names."""

    def __init__(self, corpus: Corpus, citer: Citer, terms: CorpusTerms = NO_TERMS) -> None:
        self.citer = citer
        # Question wording no label is about (the city's name included).
        self.noise = bigrams(rules().text("stopwords.bigrams.section_label", **terms.slots))
        self.pairs = [(s, k, v) for s in corpus.sections for k, v in s.facts]

    def facts(self, question: str, limit: int = 3) -> tuple[list[Fact], float]:
        q = bigrams(question) - self.noise
        scored: list[tuple[int, Section, str, str]] = []
        for section, key, value in self.pairs:
            key_grams = bigrams(key) - self.noise
            key_overlap = len(q & key_grams)
            if key_overlap < _MIN_KEY_OVERLAP or key_overlap < 0.5 * len(key_grams):
                continue
            score = key_overlap + len(q & bigrams(value)) + len(q & bigrams(section.title))
            scored.append((score, section, key, value))
        scored.sort(key=lambda t: -t[0])
        if not scored:
            return [], 0.0
        best = scored[0][0]
        out: list[Fact] = []
        seen: set[str] = set()
        for score, section, key, value in scored:
            if score < best * 0.75 or len(out) >= limit or squash(value) in seen:
                continue
            seen.add(squash(value))
            needles = re.findall(r"\d[\d,.]*", nfkc(value)) or [value]
            citation = self.citer.cite(
                section.lines, needles, kind="section", section=section.key, page=section.page
            )
            if citation is None:
                continue
            # Titles such as 「委員名簿(平成29年8月現在)」 carry dates the quote may not hold.
            title = _DATED_NOTE.sub("", nfkc(section.title)).strip()
            fact = phrase("section.fact", title=title, label=nfkc(key), value=nfkc(value))
            out.append(Fact(fact, (citation,)))
        return out, float(best)
