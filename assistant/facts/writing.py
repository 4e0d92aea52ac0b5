"""Ranked facts written for an answer: each cut to the stretch that matches the question,
labelled with the programme or article it comes from, and cited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from assistant.asked_values import asked_value
from assistant.citing import Citer, Fact, supported
from assistant.composition import grounded, line_label
from assistant.corpus_terms import CorpusTerms
from assistant.facts.models import RankedFact
from assistant.passages import window
from assistant.phrases import phrase
from assistant.text import bare, bigrams, full_stop, nfkc, numbers_in, sentences, squash
from assistant.understanding import Query
from ingest import Chunk, ChunkKind, Programme

__all__ = ["RESTATED_SHARE", "WINDOW", "FactWriter", "overlaps", "restates", "unsaid"]

WINDOW = 90  # a long fact is cut to this many characters around what matches
RESTATED_SHARE = 0.8  # of a fact's bigrams the answer holds already: it adds nothing


class FactWriter:
    """Writes ranked facts as answer lines (``programmes``: by id and by name)."""

    def __init__(
        self,
        citer: Citer,
        terms: CorpusTerms,
        programmes: Mapping[str, Programme],
        max_chars: int,
    ) -> None:
        self.citer = citer
        self.terms = terms
        self.programmes = programmes
        self.max_chars = max_chars  # the facts of one call together

    def key(self, programme: str | None) -> str | None:
        """The id of a programme given by id or name (None: no programme)."""
        found = self.programmes.get(programme or "")
        return found.id if found is not None else None

    def write(
        self, query: Query, chosen: Sequence[RankedFact], size: int | None = None
    ) -> list[Fact]:
        """``size``: the longest a fact is cut to (default :data:`WINDOW`)."""
        asked = asked_value(query.text, self.terms, soft=True)
        value = asked[1] if asked else None
        q = bigrams(nfkc(query.text))
        facts: list[Fact] = []
        used = 0
        for ranked_fact in chosen:
            candidate = ranked_fact.candidate
            if facts and max(self.max_chars - used, 0) < len(candidate.text) // 2:
                break
            fact = candidate.fact  # a record's fact: written and cited already
            if fact is None:
                text = window(candidate.text, q, value, WINDOW if size is None else size)
                citation = self.citer.cite_chunk_sentence(candidate.chunk, text.strip("…"))
                if not supported(text, (citation,)):
                    citation = self.citer.cite_chunk_sentence(candidate.chunk, candidate.text)
                citations = self.citer.with_title(candidate.chunk, text, (citation,))
                labelled = self.label(candidate.chunk, full_stop(text))
                fact = Fact(labelled, citations, candidate.chunk.programme)
            if grounded(fact):
                facts.append(fact)
                used += len(fact.text)
        return facts

    def label(self, chunk: Chunk, text: str) -> str:
        """「programme：fact」 (or 「条例第N条：fact」) unless the fact names it already: an
        owner who described a need learns which programme serves it."""
        programme = self.programmes.get(chunk.programme or "")
        if programme is not None:
            label = programme.name
        elif chunk.kind == ChunkKind.ARTICLE and chunk.article:
            label = phrase("ranked.article", number=chunk.article)
        else:
            return text
        if squash(label) in squash(text):
            return text
        return phrase("ranked.labelled", label=label, text=text)


def restates(fact: Fact, others: Sequence[Fact], share: float = RESTATED_SHARE) -> bool:
    """Nearly all of the fact's wording (past its label) is in ``others`` already: a plan's
    sentence after the same activity's report, or a cut of a sentence the answer states."""
    if _adds_figures(fact, others):
        return False  # another figure (the next year's plan, another menu's limit) is news
    own = bigrams(fact.text[len(line_label(fact.text)) :])
    said = frozenset().union(*(bigrams(o.text) for o in others)) if others else frozenset()
    return bool(own) and len(own & said) >= share * len(own)


def overlaps(fact: Fact, others: Sequence[Fact], figures: bool = False) -> bool:
    """The fact quotes lines one of ``others`` quotes already (with ``figures``: and states
    no figure those do not: a flattened table puts several rows on shared lines, and
    悪化している: 342件 beside 無回答: 6件 is another row, not the same one)."""
    close = [
        o
        for o in others
        if any(
            c.lines.first <= s.lines.last and s.lines.first <= c.lines.last
            for c in fact.citations
            for s in o.citations
        )
    ]
    if not close or not figures:
        return bool(close)
    return not _adds_figures(fact, close)


def _adds_figures(fact: Fact, others: Sequence[Fact]) -> bool:
    """The fact (past its label) states a figure none of ``others`` states."""
    said = {n for o in others for n in numbers_in(o.text)}
    return any(n not in said for n in numbers_in(fact.text[len(line_label(fact.text)) :]))


def unsaid(fact: RankedFact, given: Sequence[Fact]) -> RankedFact | None:
    """What of ``fact`` the answer does not state yet: the fact itself, or, when whole
    sentences of it are stated already (the rules quoted one sentence of two the ranker
    joined), its other sentences; None when it is stated whole, or when only a part of one
    of its sentences is (what the rules cut from it is what they chose to say)."""
    said = [s for s in (squash(bare(f.text[len(line_label(f.text)) :])) for f in given) if s]
    flat = squash(fact.text)
    if not any(s in flat or flat in s for s in said):
        return fact
    if fact.candidate.fact is not None or any(flat in s for s in said):
        return None  # a record's fact is written whole or not at all
    units = fact.candidate.units or tuple(sentences(fact.text))
    rest = [x for x in units if not any(squash(bare(x)) in s for s in said)]
    if not rest or len(rest) == len(units):
        return None
    part = replace(fact.candidate, text="".join(rest), sentences=len(rest), units=())
    return replace(fact, candidate=part)
