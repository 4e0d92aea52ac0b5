"""Compose from ranked facts: the best fact, and the next ones that are nearly as likely to
state the answer (a figure's lead, the second value asked for), each cut to the stretch that
matches the question and cited.

Beside the facts the record rules give, the Rank stage's first fact always joins the answer,
and the next best ranked facts fill the room it has left (:data:`ANSWER_CHARS`): the rules and
the ranker miss different questions, and a short answer can state what both found."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.asked_values import value_kinds
from assistant.citing import Citer, Fact
from assistant.composition import Composition, compose
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.facts.choice import choose_facts
from assistant.facts.exploring import other_programmes
from assistant.facts.features import source_kind
from assistant.facts.models import RankedFact
from assistant.facts.writing import WINDOW, FactWriter, overlaps, restates, unsaid
from assistant.models import Intent
from assistant.text import squash
from assistant.topics import SURE
from assistant.understanding import Query
from ingest import Corpus

__all__ = ["RankedComposer"]

MAX_FACTS = 2
_COMPLETING = 5  # ranked facts read for one holding the asked kind (or to fill the room)
_RANKED_READ = 40  # … skipping those the answer states already
SCORE_GAP = 1.0  # a further fact's log-odds within this of the best one's
KIND_GAP = 3.0  # a fact holding the asked kind of value may score this much less
MAX_CHARS = 220  # the answer's facts together
ADD_CONFIDENCE = 0.1  # a less likely ranked fact is added only in the answer's spare room
ANSWER_CHARS = 150  # a ranked fact is added beside the rules' facts while the answer fits
MIN_ROOM = 40  # a fact cut shorter than this says too little to add
LONG_ANSWER_CHARS = 200  # an answer longer than this gets one ranked fact however full it is
OVER_BUDGET_ADD_CHARS = 130  # … this long at most
FIRST_MIN_CHARS = 60  # the ranker's first fact, added to every answer, is cut no shorter


class RankedComposer:
    """Writes the answer from the Rank stage's facts; implements the Compose stage."""

    def __init__(
        self,
        corpus: Corpus,
        citer: Citer,
        terms: CorpusTerms = NO_TERMS,
        *,
        max_facts: int = MAX_FACTS,
        score_gap: float = SCORE_GAP,
        kind_gap: float = KIND_GAP,
        max_chars: int = MAX_CHARS,
    ) -> None:
        self.kind_gap = kind_gap
        self.add_confidence = ADD_CONFIDENCE
        self.answer_chars = ANSWER_CHARS
        self.over_budget_chars = OVER_BUDGET_ADD_CHARS
        self.first_chars = FIRST_MIN_CHARS
        self.terms = terms
        self.max_facts = max_facts
        self.score_gap = score_gap
        self._programmes = {p.name: p for p in corpus.programmes} | {
            p.id: p for p in corpus.programmes
        }
        self.line_writer = FactWriter(citer, terms, self._programmes, max_chars)

    def choose(
        self, ranked: Sequence[RankedFact], kinds: frozenset[str] = frozenset()
    ) -> list[RankedFact]:
        """The facts that answer: see :func:`choose_facts`."""
        return choose_facts(ranked, kinds, self.max_facts, self.score_gap, self.kind_gap)

    def write(self, query: Query, ranked: Sequence[RankedFact]) -> list[Fact]:
        """The chosen facts, each cut to what matches the question, labelled with its
        programme or article and cited (a fact whose numbers its quote does not hold is
        dropped)."""
        return self.line_writer.write(query, self.choose(ranked, frozenset(query.kinds)))

    def compose(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact] = ()
    ) -> Composition | None:
        """The answer from the ranked facts; with ``given`` facts (the record fields a
        question's named programme or menu yields), those facts and the ranked facts they
        lack (see :meth:`_adding`). An exploratory question (「使える補助はある？」) gets
        the best fact of each further programme that may fit (:func:`other_programmes`).
        None when nothing could be grounded."""
        if given and (lead := self._leading(query, ranked, given)):
            facts = [*lead, *given, *self._adding(query, ranked, [*lead, *given])]
        elif given:
            first = self._first(query, ranked, given, own=False)
            facts = [*given, *first, *self._adding(query, ranked, [*given, *first])]
        else:
            facts = self.write(query, ranked)
        if query.exploratory:
            offered = ranked
            if query.intent == Intent.CONTACT:
                # Whom to ask is never a guess: another programme's desk only when likely.
                offered = [r for r in ranked if r.confidence >= self.add_confidence]
            facts.extend(other_programmes(self.line_writer, query, offered, facts, self.score_gap))
        if not facts:
            return None
        programmes = [self._programmes[f.record] for f in facts if f.record in self._programmes]
        return compose(facts, True, list(dict.fromkeys(programmes)))

    def _leading(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact]
    ) -> list[Fact]:
        """The ranker's first fact, stated first and whole, when it is of the topic the
        Topics stage is sure of and none of the rules' facts speaks of that topic."""
        top = ranked[0].candidate if ranked else None
        if top is None or top.topic != 0 or top.topic_confidence < SURE:
            return []
        key = self.line_writer.key(top.chunk.programme)
        if key is None or key in {self.line_writer.key(f.record) for f in given}:
            return []
        return self._first(query, ranked, (), own=False)

    def _adding(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact]
    ) -> list[Fact]:
        """The ranked facts worth adding to the record facts ``given``: the best likely one
        (confidence ≥ :data:`ADD_CONFIDENCE`) when it holds an asked kind of value they lack,
        or speaks of another programme than they do (the rules read another programme than
        the Rank stage put first); else the best ones that fit in what is left of
        :data:`ANSWER_CHARS`, cut to fit (the rules and the ranker miss different
        questions: an answer with room states both). The room is filled after the first
        case too."""
        # Only a ranked fact with some chance of answering displaces the answer's length.
        likely = [r for r in ranked if r.confidence >= self.add_confidence]
        fresh = [
            f
            for f in self.write(query, likely)
            if not overlaps(f, given) and not restates(f, given)
        ]
        kinds = set(query.kinds)
        lacking = bool(kinds) and not any(kinds & value_kinds(f.text, self.terms) for f in given)
        if not fresh:
            # However unsure the ranker is, the facts lack what is asked (どの会社): the best
            # fact holding it is worth a line when it scores close to the best one.
            holding = self._holding(query, ranked) if lacking else []
            return [*holding, *self._fitting(query, ranked, [*given, *holding])]
        best = fresh[0]
        picked: list[Fact] = []
        if lacking:
            picked = [f for f in fresh if kinds & value_kinds(f.text, self.terms)][:1]
        elif self.line_writer.key(best.record) not in {
            self.line_writer.key(f.record) for f in given
        }:
            picked = [best]
        return [*picked, *self._fitting(query, ranked, [*given, *picked])]

    def _first(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact], own: bool
    ) -> list[Fact]:
        """The fact the Rank stage puts first (of the named programmes or articles when
        ``own``), however unsure it is, unless the answer states it already (or what it does
        not state of it): cut to the room left in :data:`ANSWER_CHARS`, never shorter than
        :data:`FIRST_MIN_CHARS`. The rules were shaped on the studied sets: on the blind
        ones it lifts the answers holding the key facts from 0.79 to 0.87."""
        named = self._named(query)
        for fact in ranked[:_RANKED_READ]:
            if own and not self._mine(fact, named, query):
                continue
            if query.intent == Intent.CONTACT and source_kind(fact.candidate) == "contact":
                spoken = {self.line_writer.key(f.record) for f in given} - {None}
                if spoken and self.line_writer.key(fact.candidate.chunk.programme) not in spoken:
                    return []  # whom to ask is the answer's own programme's desk
            left = unsaid(fact, given)
            if left is None:
                return []
            flat = squash(left.text)
            used = sum(len(f.text) + 1 for f in given)
            size = max(self.first_chars, min(WINDOW, self.answer_chars - used))
            size -= len(self.line_writer.label(fact.candidate.chunk, "")) + 3
            # A fact the cut leaves ungrounded (two table rows) is stated by its best part
            # that fits: a ranked fact whose text lies within it (one of the rows).
            parts = [r for r in ranked if r is not fact and squash(r.text) in flat]
            # A passage's other table row on the same lines is news; a record's fact the
            # rules cut (its asked year's budget) is not stated again whole.
            rows = fact.candidate.fact is None
            for part in (left, *parts):
                written = self.line_writer.write(query, [part], size)
                if written:
                    return [
                        f
                        for f in written
                        if not overlaps(f, given, figures=rows) and not restates(f, given)
                    ]
            return []
        return []

    def _holding(self, query: Query, ranked: Sequence[RankedFact]) -> list[Fact]:
        """The best of the ranked facts read that holds an asked kind of value, when it
        scores within ``kind_gap`` of the best fact."""
        kinds = frozenset(query.kinds)
        best = ranked[0].score if ranked else 0.0
        for fact in ranked[:_RANKED_READ]:
            if fact.score < best - self.kind_gap:
                break
            if kinds & fact.candidate.kinds:
                return self.line_writer.write(query, [fact])
        return []

    def _fitting(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact]
    ) -> list[Fact]:
        """The best ranked facts the facts ``given`` do not state, each cut to the room
        left in :data:`ANSWER_CHARS`, while at least :data:`MIN_ROOM` is left (or the fact
        fits whole in less); an answer already longer than :data:`LONG_ANSWER_CHARS` gets
        the first one in :data:`OVER_BUDGET_ADD_CHARS`. However unsure the ranker is, the
        room is spare: its first facts are the likeliest the report holds (on dev_v5,
        written before this was tuned, it adds answers and loses none)."""
        added: list[Fact] = []
        spoken = {self.line_writer.key(f.record) for f in given} - {None}
        read = 0
        for fact in ranked[:_RANKED_READ]:
            flat = squash(fact.text)
            if any(flat in s or s in flat for s in (squash(f.text) for f in [*given, *added])):
                continue  # what the answer says already uses none of the facts read
            read += 1
            if read > _COMPLETING:
                break
            other = self.line_writer.key(fact.candidate.chunk.programme) not in spoken
            unsure_desk = fact.confidence < self.add_confidence and (
                source_kind(fact.candidate) == "contact"
            )
            if other and (unsure_desk or query.intent == Intent.CONTACT):
                continue  # whom to ask is the answer's own programme's desk, never a guess
            have = [*given, *added]
            room = self.answer_chars - sum(len(f.text) + 1 for f in have)  # one per line
            if not added and room < self.answer_chars - LONG_ANSWER_CHARS:
                # Already long (a column's passage): the length is spent, but the fact the
                # ranker puts first is worth one more line. An answer just over its budget is
                # not lengthened: from 150 characters on, dev_v3's median answer went to 185.
                room = self.over_budget_chars
            if len(added) >= self.max_facts:
                break
            label = len(self.line_writer.label(fact.candidate.chunk, ""))
            whole = len(fact.text) + label + 1 <= room  # fits uncut (「。」 at most)
            if room < MIN_ROOM and not whole:
                break  # only a cut would fit, and so short a cut says too little
            if fact.candidate.fact is not None and len(fact.text) > room:
                continue  # a record's fact is written whole or not at all
            # 「label：」, 「。」 and the 「…」 a cut adds at each end; a figure is never cut, so
            # a cut that still runs over is tried once more, shorter by what it ran over.
            size = room - label - 3
            written = self.line_writer.write(query, [fact], size)
            if written and len(written[0].text) > room:
                written = self.line_writer.write(
                    query, [fact], size - (len(written[0].text) - room)
                )
            added += [
                f
                for f in written
                if not overlaps(f, have) and not restates(f, have) and len(f.text) <= room
            ]
        return added

    def complete(
        self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact]
    ) -> list[Fact]:
        """For a question naming its programme or article: when the record facts ``given``
        hold none of the kinds of value asked for, the best ranked fact of that programme or
        article that holds one (the right programme cited with the asked fact missing is
        the commonest miss); then the best ranked facts that fit in the room left."""
        own = self._own(query, ranked, given)
        own += self._first(query, ranked, [*given, *own], own=True)
        # The question chose its programme: only a likely fact speaks for another one.
        named = self._named(query)
        fitting = [
            r for r in ranked if r.confidence >= self.add_confidence or self._mine(r, named, query)
        ]
        return [*own, *self._fitting(query, fitting, [*given, *own])]

    def _named(self, query: Query) -> set[str]:
        """The ids and names of the programmes the question names."""
        return {
            key
            for pid in query.programmes
            if (p := self._programmes.get(pid)) is not None
            for key in (p.id, p.name)
        }

    @staticmethod
    def _mine(fact: RankedFact, named: set[str], query: Query) -> bool:
        """The fact is of a programme or article the question names."""
        chunk = fact.candidate.chunk
        return chunk.programme in named or (
            chunk.article is not None and chunk.article in query.articles
        )

    def _own(self, query: Query, ranked: Sequence[RankedFact], given: Sequence[Fact]) -> list[Fact]:
        kinds = set(query.kinds)
        if not kinds or any(kinds & value_kinds(f.text, self.terms) for f in given):
            return []
        own = self._named(query)
        for fact in ranked[:_COMPLETING]:
            if self._mine(fact, own, query) and kinds & fact.candidate.kinds:
                return [f for f in self.line_writer.write(query, [fact]) if not overlaps(f, given)]
        return []
