"""The evidence the Rank stage weighs: one row of generic features per candidate fact.

Whether the fact holds the kind of value asked for, how much of the question's wording and
content words it shares (and its lead sentence shares), how close it is in meaning, how
likely its topic is, how high the search ranked its passage, whether it names the asked
year. No cue words and no per-question rules: how much each counts is learned
(``python -m eval.train_facts``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assistant.asked_values import ask_cues, asked_counters, asked_kinds, counted_in
from assistant.catalogue import rules
from assistant.entities import fiscal_years
from assistant.facts.models import FactCandidate
from assistant.models import Intent
from assistant.text import bigrams, final_clause, nfkc, numbers_in, squash
from assistant.words import ContentWords
from index import Similarity

__all__ = ["FEATURES", "FactFeatures", "QuestionView"]

FEATURES = (
    "topic_conf",  # the Topics stage's confidence in the fact's topic (0: none of the top)
    "topic_first",  # the fact's topic is the most likely one
    "hit_rr",  # reciprocal rank of the fact's passage among the search hits
    "bigram",  # share of the question's character bigrams the fact holds
    "bigram_lead",  # … that its lead (previous sentence) or passage title holds
    "words",  # share of the question's content words (Sudachi) the fact holds
    "kind_match",  # share of the asked kinds of value the fact holds
    "kind_miss",  # a kind of value is asked and the fact holds none of them
    "number",  # the fact holds a number
    "length",  # log of its length
    "year_match",  # the question names a fiscal year the fact or its passage names
    "year_other",  # … and the fact names only other years
    "first",  # the first sentence of its passage
    "record",  # a typed fact of a programme's record (budget, KPI, menu, desk), not prose
    "dense",  # cosine of the question and the fact (the searcher's embedder)
    "words_rel",  # words over the best candidate's words (1 for the best)
    "bigram_rel",  # bigram over the best candidate's bigram (1 for the best)
    "topic_share",  # share of the candidates from the fact's topic (a short record: high)
    "focus_words",  # share of the latest turn's content words the fact holds (follow-ups)
    "heading",  # a heading: the passage's title, or a short line that ends no sentence
    "item",  # a bullet or numbered item
    "idf_words",  # the question's content words the fact holds, weighted by rarity (IDF)
    "lead_words",  # share of the question's content words its previous sentence holds
    "joined",  # two sentences joined (a lead and its figure)
    "intent_source",  # the kind of passage the question's intent is answered from
    "counter_match",  # share of the question's counters (何回, 何人) the fact has a figure in
    "dense_unfamiliar",  # dense, times the share of the question's words the report never uses
    "ask_words",  # share of the content words of the latest turn's last clause (the ask) it holds
)
COL = {name: j for j, name in enumerate(FEATURES)}
_LENGTH_SCALE = math.log1p(300)
_HEADING_CHARS = 30
_NUMBERED = re.compile(r"[(（]\d+[)）]")

Matrix = npt.NDArray[np.float64]


# Where each intent's answers live: a record's typed facts (by citation kind) or a kind of
# passage. Structural (the report's layout), not wording: no cue word is involved.
_INTENT_SOURCES: dict[Intent, tuple[str, ...]] = {
    Intent.SUBSIDY: ("support_menu",),
    Intent.LOAN: ("support_menu",),
    Intent.CONTACT: ("contact",),
    Intent.BUDGET: ("budget",),
    Intent.KPI: ("kpi",),
    Intent.ORDINANCE: ("article",),
    Intent.STATISTICS: ("section",),
    Intent.PROGRAMME: ("activities", "plan"),
}


def source_kind(candidate: FactCandidate) -> str:
    """A record fact's citation kind (budget, kpi, support_menu, contact), else the kind of
    its passage."""
    if candidate.fact is not None and candidate.fact.citations:
        return candidate.fact.citations[0].kind
    return str(candidate.chunk.kind)


@lru_cache(maxsize=65536)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(numbers_in(text))


def _ask_words(text: str, words: ContentWords, ignored: Sequence[str]) -> frozenset[str]:
    """The content words of the last clause of ``text`` (the ask comes last in Japanese)."""
    return words(final_clause(nfkc(text))) - words(" ".join(ignored))


class QuestionView:
    """What the features read of a question, computed once."""

    def __init__(self, question: str, words: ContentWords, ignored: Sequence[str]) -> None:
        text = nfkc(question)
        flat = squash(text)
        for word in sorted(ignored, key=len, reverse=True):
            flat = flat.replace(squash(word), " ")
        self.text = text
        self.bigrams = {b for b in bigrams(flat) if " " not in b}
        self.words = words(text) - words(" ".join(ignored))
        self.kinds = frozenset(asked_kinds(text))
        self.years = frozenset(fiscal_years(text))
        self.numbers = frozenset(numbers_in(text))
        self.counters = frozenset(asked_counters(text))
        self.ask_words = _ask_words(text, words, ignored)


class FactFeatures:
    """Feature rows for candidate facts (``similarity``: the searcher's, when it has one)."""

    def __init__(
        self,
        words: ContentWords | None = None,
        similarity: Similarity | None = None,
        ignored: Sequence[str] = (),
        documents: Sequence[str] = (),
    ) -> None:
        """``documents``: the report's passages, for how rare each content word is."""
        self.words = words or ContentWords()
        self.similarity = similarity
        self._documents = tuple(documents)
        self._idf: dict[str, float] | None = None
        # The city's name and the words that ask (何人, いくら) name no topic.
        self.ignored = (*ignored, *ask_cues().split())

    def _document_idf(self) -> dict[str, float]:
        """Each content word of the report's passages and its IDF (computed once)."""
        if self._idf is None:
            counts: dict[str, int] = {}
            for text in self._documents:
                for w in self.words(text):
                    counts[w] = counts.get(w, 0) + 1
            n = len(self._documents) + 1
            self._idf = {w: math.log(n / (1 + k)) + 1.0 for w, k in counts.items()}
            self._idf_unknown = math.log(n) + 1.0
        return self._idf

    def idf(self, word: str) -> float:
        return self._document_idf().get(word, self._idf_unknown)

    def unfamiliar(self, words: frozenset[str]) -> float:
        """The share of ``words`` the report's passages never use (everyday wording)."""
        known = self._document_idf()
        return sum(w not in known for w in words) / len(words) if words else 0.0

    def view(self, question: str) -> QuestionView:
        return QuestionView(question, self.words, self.ignored)

    def compute(
        self,
        question: str,
        candidates: Sequence[FactCandidate],
        focus: str | None = None,
        intent: Intent | None = None,
        ask: str | None = None,
    ) -> Matrix:
        """Rows in ``candidates`` order; ``focus`` is the latest turn of a follow-up whose
        ``question`` includes the earlier ones (default: the question itself); ``intent``
        the Understand stage's (a budget is read from budget rows, a desk from contacts);
        ``ask`` the latest turn as typed, whose last clause is the ask (default: the
        question's own last clause)."""
        sources = _INTENT_SOURCES.get(intent, ()) if intent is not None else ()
        x = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
        if not candidates:
            return x
        q = self.view(question)
        latest = self.view(focus) if focus else q
        # The ask is the last clause of the latest turn as typed: the words the Understand
        # stage appends to the question's text (paraphrases, synonyms) come after it.
        asked = _ask_words(ask, self.words, self.ignored) if ask else latest.ask_words
        bullets = rules().text("text.item_starts")
        weights = {w: self.idf(w) for w in q.words}
        total = math.fsum(weights.values())  # exact: no set order in the result
        top_topic = min((c.topic for c in candidates if c.topic is not None), default=None)
        for i, c in enumerate(candidates):
            row = x[i]
            row[COL["topic_conf"]] = c.topic_confidence
            row[COL["topic_first"]] = c.topic is not None and c.topic == top_topic
            row[COL["hit_rr"]] = 1.0 / c.hit_rank if c.hit_rank else 0.0
            if q.bigrams:
                row[COL["bigram"]] = len(q.bigrams & bigrams(c.text)) / len(q.bigrams)
                lead = f"{c.previous or ''}{c.chunk.title or ''}"
                row[COL["bigram_lead"]] = len(q.bigrams & bigrams(lead)) / len(q.bigrams)
            if q.words:
                held = q.words & self.words(c.text)
                row[COL["words"]] = len(held) / len(q.words)
                row[COL["idf_words"]] = math.fsum(weights[w] for w in held) / total
                if c.previous:
                    row[COL["lead_words"]] = len(q.words & self.words(c.previous)) / len(q.words)
            if q.kinds:
                held = q.kinds & c.kinds
                row[COL["kind_match"]] = len(held) / len(q.kinds)
                row[COL["kind_miss"]] = not held
            if q.counters:
                held_counters = q.counters & counted_in(c.text)
                row[COL["counter_match"]] = len(held_counters) / len(q.counters)
            row[COL["number"]] = bool(_numbers(c.text) - q.numbers)
            row[COL["length"]] = math.log1p(len(c.text)) / _LENGTH_SCALE
            if q.years:
                named = set(fiscal_years(c.text)) or set(c.chunk.fiscal_years)
                row[COL["year_match"]] = bool(named & q.years)
                row[COL["year_other"]] = bool(named) and not named & q.years
            row[COL["first"]] = c.position == 0
            row[COL["joined"]] = c.sentences > 1
            row[COL["intent_source"]] = source_kind(c) in sources
            if asked:
                row[COL["ask_words"]] = len(asked & self.words(c.text)) / len(asked)
            if latest.words:
                row[COL["focus_words"]] = len(latest.words & self.words(c.text)) / len(latest.words)
            flat = squash(c.text)
            row[COL["heading"]] = flat in squash(c.chunk.title or "") or (
                len(flat) < _HEADING_CHARS and not flat.endswith("。") and not c.kinds
            )
            row[COL["item"]] = c.text[:1] in bullets or _NUMBERED.match(c.text) is not None
            row[COL["record"]] = c.fact is not None
        if self.similarity is not None:
            x[:, COL["dense"]] = self.similarity.similarity(q.text, [c.text for c in candidates])
            # Everyday words the report never uses (町工場, タダ): wording overlap says little,
            # meaning says more.
            x[:, COL["dense_unfamiliar"]] = x[:, COL["dense"]] * self.unfamiliar(q.words)
        for name, base in (("words_rel", "words"), ("bigram_rel", "bigram")):
            top = x[:, COL[base]].max()
            x[:, COL[name]] = x[:, COL[base]] / top if top > 0 else 0.0
        sizes: dict[int | None, int] = {}
        for c in candidates:
            sizes[c.topic] = sizes.get(c.topic, 0) + 1
        x[:, COL["topic_share"]] = [
            1.0 / sizes[c.topic] if c.topic is not None else 0.0 for c in candidates
        ]
        return x
