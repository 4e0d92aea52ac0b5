"""Sentence scoring: how well each sentence of the retrieved passages answers the question.

A sentence scores by the topic it shares with the question (character bigrams for wording,
Sudachi content words for meaning), plus part of the score of the sentence before it (the
heading or lead of its bullet), and by whether it holds the kind of value asked for (a
figure for 何件/どのくらい, an amount for いくら, an organisation for 誰/どこ, a date for いつ).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from assistant.asked_values import asked_value, figure_pattern, has_value
from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.text import bigrams, is_caption, nfkc, numbers_in, sentences, squash
from assistant.words import ContentWords
from core import era_years
from index import Hit
from ingest import Corpus

__all__ = ["VALUE_BONUS", "Scored", "SentenceScorer"]

_WORD_WEIGHT = 2.0  # a shared content word counts like two shared bigrams
_CONTEXT_SHARE = 0.5  # of the preceding sentence's overlap a sentence inherits
VALUE_BONUS = 3.0
_DETAIL_BONUS = 0.5
_CONTINUATION = 12  # a next sentence this short (「124名が参加。」) finishes the one before
_TOTAL_BONUS = 5.0
_MAX_WEIGHT = 1.4  # a rare bigram counts at most this many average ones
_NO_VALUE_FACTOR = 0.4


@dataclass(frozen=True, slots=True)
class Scored:
    """One sentence of a hit with its score (``overlap`` is the topic share alone)."""

    score: float
    overlap: float
    clean: str
    hit: Hit
    following: str | None  # the next sentence of the same chunk
    lead: str | None = None  # the preceding sentence, when it carries most of the match
    details: tuple[str, ...] = ()  # figure-bearing sub-bullets right after the sentence


_YEAR_BONUS = 2.0
_CHUNK_YEAR_BONUS = 1.0
_MAX_NOTE = 40
_OTHER_YEAR_FACTOR = 0.7


def _years(text: str) -> set[int]:
    """Western years a text names (平成28年度 → 2016, 2016年 → 2016)."""
    flat = squash(text)
    years = set(era_years(flat))
    western = rules().pattern("patterns.report.western_year")
    return years | {int(m.group(1)) for m in western.finditer(flat)}


def _notes(following: list[str]) -> tuple[str, ...]:
    """A parenthesised note right after a bullet that holds a figure ((市立中学校5校))."""
    return tuple(
        raw.strip()
        for raw in following
        if raw[:1] in "(（" and figure_pattern().search(raw) and len(raw) <= _MAX_NOTE
    )


def _details(following: list[str]) -> tuple[str, ...]:
    """The sub-bullets (・…) or parenthesised notes ((支援件数2件)) that follow a sentence
    and hold figures, up to the next sentence that is neither."""
    out = []
    bullets = rules().text("text.bullets")
    for raw in following:
        if raw[:1] not in bullets and raw[:1] not in "(（":
            break
        if figure_pattern().search(raw):
            out.append(raw.lstrip(bullets).strip())
    return tuple(out)


class SentenceScorer:
    """Scores the sentences of retrieved chunks against a question (pure, no citing)."""

    def __init__(self, corpus: Corpus, words: ContentWords, terms: CorpusTerms = NO_TERMS) -> None:
        self.corpus = corpus
        self.words = words
        self.terms = terms
        # Bigrams of question words that carry no topic (asking words, politeness, the city).
        self.noise = bigrams(rules().text("stopwords.bigrams.question", **terms.slots))
        self._idf: dict[str, float] | None = None

    def _weights(self) -> dict[str, float]:
        """Bigram weights: rare bigrams (技術展) say more than common ones (平成, 28)."""
        if self._idf is None:
            df: Counter[str] = Counter()
            units = [s for ch in self.corpus.chunks for s in sentences(nfkc(ch.text))]
            for unit in units:
                df.update(bigrams(unit))
            n = max(len(units), 1)
            raw = {g: math.log((n + 1) / (c + 1)) for g, c in df.items()}
            mean = sum(raw.values()) / max(len(raw), 1) or 1.0
            # Damped: common bigrams still count, rare ones count up to _MAX_WEIGHT.
            self._idf = {g: min(0.5 + 0.5 * w / mean, _MAX_WEIGHT) for g, w in raw.items()}
        return self._idf

    def _overlap(self, q: AbstractSet[str], q_words: frozenset[str], text: str) -> float:
        weights = self._weights()
        shared = sum(weights.get(g, _MAX_WEIGHT) for g in q & bigrams(text))
        return shared + _WORD_WEIGHT * len(q_words & self.words(text))

    def relevance(self, question: str, text: str) -> float:
        """How well ``text`` answers ``question``, on the scale of :meth:`score`."""
        q = bigrams(question) - self.noise
        overlap = self._overlap(q, self.words(nfkc(question)), nfkc(text))
        years, named_years = _years(question), _years(text)
        if years and named_years:
            overlap = overlap + _YEAR_BONUS if years & named_years else overlap * _OTHER_YEAR_FACTOR
        asked = asked_value(question, self.terms)
        if asked is not None:
            found = has_value(asked[1], nfkc(text), set(numbers_in(question)))
            overlap = overlap + VALUE_BONUS if found else overlap * _NO_VALUE_FACTOR
        return overlap

    def score(
        self, question: str, hits: list[Hit], focus: str | None = None
    ) -> tuple[list[Scored], AbstractSet[str]]:
        """Every sentence of the hits, best first, and the question's topic bigrams."""
        q = bigrams(question) - self.noise
        q_words = self.words(nfkc(question))
        asked = asked_value(question, self.terms)
        value = asked[1] if asked else None
        years = _years(question)
        given = set(numbers_in(question))
        focus_q = bigrams(focus) - self.noise if focus else set()
        focus_words = self.words(nfkc(focus)) if focus else frozenset()
        scored: list[Scored] = []
        bullets = rules().text("text.bullets")
        total_row = rules().pattern("patterns.report.total_row")
        for hit in hits:
            label = nfkc(hit.chunk.title or "")
            body = nfkc(hit.chunk.text)
            first, _, rest = body.partition("\n")
            if label and squash(first).startswith(squash(label)[:8]):
                body = rest  # the chunk's context label line, not report prose
            label_score = 0.5 * len(q & bigrams(label)) - 0.1 * (hit.rank - 1)
            raw = sentences(body)
            items = [s.lstrip(bullets).strip() for s in raw]
            bullet = [bool(s[:1]) and s[:1] in bullets for s in raw]
            previous, lead, lead_bullet = 0.0, "", False
            for index, clean in enumerate(items):
                # A chart's caption or source line states no fact, but like a heading it
                # leads what follows it.
                if is_caption(clean) or len(squash(clean)) < 6 or squash(clean) == squash(label):
                    if (short := self._overlap(q, q_words, clean)) > previous:
                        previous, lead, lead_bullet = short, clean, bullet[index]
                    continue
                own = self._overlap(q, q_words, clean)
                if focus_q:
                    # In a follow-up, the words of the latest turn count twice.
                    own += self._overlap(focus_q, focus_words, clean)
                overlap = max(own, own + _CONTEXT_SHARE * previous)
                # The question's year in the sentence, or only other years in it.
                named_years = _years(clean)
                if years and named_years:
                    overlap = (
                        overlap + _YEAR_BONUS
                        if years & named_years
                        else overlap * _OTHER_YEAR_FACTOR
                    )
                elif years and hit.chunk.fiscal_years:
                    # No year in the sentence: its part of the record says which year it is
                    # about (a short record's 平成29年度の概要 column, or 平成28年度の実績).
                    overlap = (
                        overlap + _CHUNK_YEAR_BONUS
                        if years & set(hit.chunk.fiscal_years)
                        else overlap * _OTHER_YEAR_FACTOR
                    )
                # A bullet's figure often sits in the note printed under it: (市立中学校5校).
                details = (
                    _notes(raw[index + 1 : index + 2])
                    if bullet[index]
                    else _details(raw[index + 1 : index + 3])
                )
                # Sibling bullets are separate items: neither continues the other.
                following = (
                    items[index + 1]
                    if index + 1 < len(items) and not (bullet[index] and bullet[index + 1])
                    else None
                )
                # 「…サロンを開催。124名が参加。」: a short next sentence finishes this one.
                continuation = (
                    [following] if following and len(squash(following)) <= _CONTINUATION else []
                )
                if value is not None:
                    if has_value(value, clean, given) or any(
                        has_value(value, d, given) for d in (*details, *continuation)
                    ):
                        overlap += VALUE_BONUS
                    else:
                        overlap *= _NO_VALUE_FACTOR
                sibling = lead_bullet and bullet[index]
                carried = lead if previous > own and lead and not sibling else None
                bonus = _DETAIL_BONUS if details else 0.0
                if total_row.match(clean) and not total_row.search(question):
                    bonus += _TOTAL_BONUS  # among table rows, the total answers a general ask
                scored.append(
                    Scored(
                        overlap + label_score + bonus,
                        overlap,
                        clean,
                        hit,
                        following,
                        carried,
                        details,
                    )
                )
                previous, lead, lead_bullet = own, clean, bullet[index]
        scored.sort(key=lambda s: -s.score)
        return scored, q
