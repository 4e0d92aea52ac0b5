"""The default answerer's core: a short grounded Japanese answer from records and passages.

The composer dispatches: candidate facts come per intent from :mod:`assistant.candidates`,
named-entity checks from :mod:`assistant.naming`; here the first candidate that carries what
is asked is chosen, or the gap is named and :mod:`assistant.decline` answers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from assistant.asked_values import ask_cues, missing_kind, uncounted
from assistant.candidates import CandidateFacts
from assistant.citing import Citer, Fact
from assistant.composition import Composition, compose, grounded
from assistant.corpus_terms import CorpusTerms, corpus_terms
from assistant.decline import Decliner, unstated_gap
from assistant.entities import fiscal_years
from assistant.evidence import (
    applies,
    breakdowns_missing,
    evidence_pattern,
    has_evidence,
    sibling_editions,
)
from assistant.facts import RankedComposer, RankedFact
from assistant.figure_facts import figure_years, table_of_year
from assistant.lexicon import expand
from assistant.naming import NameMatcher
from assistant.ordinance import ArticleFacts
from assistant.passages import PassageFacts
from assistant.phrases import phrase
from assistant.programme_choice import ProgrammeChoice
from assistant.records import RecordFacts
from assistant.section_facts import SectionFacts
from assistant.text import nfkc, squash
from assistant.topics import CERTAIN as CERTAIN_TOPIC
from assistant.topics import SURE as SURE_TOPIC
from assistant.topics import ScoredTopic
from assistant.understanding import Query
from assistant.words import ContentWords
from index import Hit
from ingest import Corpus, Programme

__all__ = ["Composer"]

log = logging.getLogger(__name__)

# Attributes a passage states in words that are not a sibling's figure: worth a search of
# every retrieved sentence before declining (a cap or a rate could be another menu's).
_STATED_SHARE = 0.6  # outside a named record: how on topic a stating sentence must be
_SEARCHED_ATTRIBUTES = ("deadline", "booking", "documents", "next_date", "hours")
_TOPICAL_WORDS = 1  # content words a fact shares with the question to speak for its topic
_OWN_FIGURES = ("cap", "rate")  # a menu's figures: asked of a programme, only its own answer
_SURE_FACT = 0.1  # the Rank stage's probability that its best fact is the one that answers
_RANKED_READ = 40  # the Compose stage reads a handful of ranked facts: only these are checked
_COUNTED_READ = 3  # the ranked facts a count may come from, beside the rules' facts


class Composer:
    """Chooses facts for a parsed question; declines with a pointer when the report is silent."""

    def __init__(self, corpus: Corpus, citer: Citer, terms: CorpusTerms | None = None) -> None:
        self.corpus = corpus
        self.terms = terms or corpus_terms(corpus)
        # The city's name is in every question and sentence: it names no topic.
        self.records = RecordFacts(corpus, citer, ContentWords(self.terms.city_words))
        self.choice = ProgrammeChoice(self.records)
        self.passages = PassageFacts(citer, ContentWords(self.terms.city_words), self.terms)
        self.articles = ArticleFacts(
            corpus, citer, self.passages.relevance, self.terms.ordinance_names
        )
        self.sections = SectionFacts(corpus, citer, self.terms)
        self.citer = citer
        self.naming = NameMatcher(corpus, citer)
        self.corpus_years = {y for c in corpus.chunks for y in c.fiscal_years}
        self.figure_years = figure_years(corpus)
        # 「何割」 is the ask, not the topic: a survey's 約3割 shares only the ask.
        self.ask_words = self.passages.words(expand(ask_cues()))
        self.decliner = Decliner(corpus, self.records, self.passages, citer, self.terms)
        self.writer = RankedComposer(corpus, citer, self.terms)
        self.candidates = CandidateFacts(
            self.records, self.passages, self.articles, self.sections, grounded
        )

    # -- entry point --------------------------------------------------------------------
    def compose(
        self,
        query: Query,
        hits: list[Hit],
        ranked: Sequence[RankedFact] = (),
        topics: Sequence[ScoredTopic] = (),
    ) -> Composition:
        query = table_of_year(query, self.figure_years)
        programmes = self.choice.programmes(query, hits, topics)
        hits = self.choice.own_hits(query, programmes, hits)
        facts, gap = self._facts(query, programmes, hits)
        described = (
            bool(topics)
            and topics[0].topic.kind == "programme"
            and (topics[0].confidence >= CERTAIN_TOPIC)
        )
        if (gap_named := unstated_gap(query, described)) is not None:
            gap = gap_named
        facts = [f for f in facts if grounded(f)]
        # 「テクノトランスファーinかわさき2017はいつ？」: the 2016 edition's dates are no answer.
        siblings = [f for f in facts if sibling_editions(query.editions, f.text)]
        if gap is None and siblings:
            facts = [f for f in facts if f not in siblings]
            if not facts:
                edition = sibling_editions(query.editions, siblings[0].text)[0]
                gap = phrase("gap.quoted", name=edition)
        if gap is None and facts:
            # The passages may share the topic yet lack the value asked for (a count, an
            # amount, a date): then the report does not say it, whatever else it says.
            # Only facts on the question's topic count (a survey's 約3割 does not tell what
            # share of a fee the city pays).
            asked_words = self.passages.words(nfkc(query.text)) - self.ask_words
            topical = [
                f.text
                for f in facts
                if len(asked_words & self.passages.words(nfkc(f.text))) >= _TOPICAL_WORDS
            ]
            texts = topical or [f.text for f in facts]
            missing = missing_kind(query.explicit_kinds, query.given_numbers, texts)
            # 「何件」 is not answered by a head count (179名) nor by a count of sessions.
            counts = [*(f.text for f in facts), *(r.text for r in ranked[:_COUNTED_READ])]
            if missing is None and uncounted(query.counters, counts):
                missing = "figure"
            said = self.choice.own_facts(query, programmes, facts, ranked, topics)
            own = [f.text for f in said]
            if missing is None and query.explicit_kinds and own:
                missing = missing_kind(query.explicit_kinds, query.given_numbers, own)
            gap = phrase(f"labels.value.{missing}") if missing else None
            # A cap or a rate asked of the programme is its own: another programme's menu
            # quoted beside it (展示会出展料補助の上限15万円) is no answer, nor its budget.
            figures = [f.text for f in said if all(c.kind != "budget" for c in f.citations)]
            asked = [a for a in query.attributes if a in _OWN_FIGURES and applies(a, query.intent)]
            if (
                gap is None
                and own
                and (absent := [a for a in asked if not has_evidence(a, figures)])
            ):
                gap = phrase(f"labels.attribute.{absent[0]}")
            # 「業種別の内訳」: a breakdown the on-topic facts do not give is not given. The
            # breakdown's own words put no fact on topic (業種別 of another survey's DI).
            if gap is None and query.breakdowns:
                subject = asked_words - self.passages.words(" ".join(query.breakdowns))
                on_subject = [f.text for f in facts if subject & self.passages.words(nfkc(f.text))]
                if breakdowns := breakdowns_missing(query.breakdowns, on_subject):
                    gap = phrase("gap.breakdown", name=breakdowns[0])
        if gap is None and facts:
            # A question that names its programme or article is answered from that record's
            # fields; one that describes a need from the facts the Rank stage puts first.
            # The ranked facts pass the checks the record facts passed: no other edition's
            # dates, no other menu's figure when the question names its scheme.
            ranked = [r for r in ranked[:_RANKED_READ] if self._may_add(query, r)]
            named = bool(query.programmes or query.articles)
            if named:
                facts = [*facts, *self.writer.complete(query, ranked, facts)]
                return compose(facts, True, programmes)
            written = self.writer.compose(query, ranked, facts) if ranked else None
            return written or compose(facts, True, programmes)
        if gap is None and not facts and (written := self._from_ranked(query, ranked, topics)):
            return written
        return self.decliner.decline(query, hits, facts, gap)

    def _from_ranked(
        self, query: Query, ranked: Sequence[RankedFact], topics: Sequence[ScoredTopic]
    ) -> Composition | None:
        """When the rules find nothing to say and no gap either: the Rank stage's facts, if
        the Topics stage is sure of its first topic, the Rank stage fairly sure that its best
        fact (of that topic) answers, and the answer holds what is asked as the rules' facts
        must (an off-topic ask reaches no topic it is sure of)."""
        if not topics or topics[0].confidence < SURE_TOPIC:
            return None
        ranked = [r for r in ranked[:_RANKED_READ] if self._may_add(query, r)]
        if not ranked or ranked[0].confidence < _SURE_FACT or ranked[0].candidate.topic != 0:
            return None
        written = self.writer.compose(query, ranked)
        if written is None:
            return None
        texts = [written.answer]
        if missing_kind(query.explicit_kinds, query.given_numbers, texts) is not None:
            return None
        asked = [a for a in query.attributes if applies(a, query.intent)]
        return written if all(has_evidence(a, texts) for a in asked) else None

    def _may_add(self, query: Query, ranked: RankedFact) -> bool:
        if sibling_editions(query.editions, ranked.text):
            return False
        fact = ranked.candidate.fact or Fact(ranked.text, (), ranked.candidate.chunk.programme)
        return not query.schemes or self.naming.names(fact, query.schemes, near_lines=False)

    def _naming(self, query: Query, hits: list[Hit], terms: Sequence[str]) -> list[Fact]:
        """The best sentences of the passages that name every term."""
        flat = [squash(t) for t in terms]
        own = [h for h in hits if all(t in squash(nfkc(h.chunk.text)) for t in flat)]
        # The term itself is what the question insists on: it counts towards the match.
        asked = f"{query.text} {' '.join(terms)}"
        return self.passages.facts(asked, own, accept=grounded)[0] if own else []

    def _years_of(self, hits: list[Hit]) -> tuple[int, ...]:
        """Fiscal years the retrieved passages speak of: their record's year, or a year
        their text names (a 平成28年度 activity record does not give 平成27年度's count)."""
        years = {y for h in hits for y in h.chunk.fiscal_years}
        years |= set(fiscal_years(" ".join(nfkc(h.chunk.text) for h in hits)))
        return tuple(years) or tuple(self.corpus_years)

    # -- choosing among candidates ------------------------------------------------------
    def _facts(
        self, query: Query, programmes: list[Programme], hits: list[Hit]
    ) -> tuple[list[Fact], str | None]:
        """Facts for the question, and the missing attribute's label when one is missing."""
        intent = query.intent
        years = tuple(query.fiscal_years)
        covered = self.figure_years.get(intent) or self._years_of(hits)
        if years and not set(years) & set(covered):
            return self._first(self.candidates.gather(query, programmes, hits, ())), phrase(
                "gap.year"
            )
        candidates = self.candidates.gather(query, programmes, hits, years)
        salient = query.salient
        asked = [a for a in query.attributes if applies(a, intent)]
        named = query.schemes  # of the salient names: never one without them
        if salient:
            if asked and named:
                # A named loan/organisation must carry the asked figure itself: another
                # menu's limit or rate in the same record does not answer for it.
                covering = [[f for f in c if self.naming.names(f, named)] for c in candidates]
                covering = [c for c in covering if c]
            else:
                covering = candidates
            covering = [
                c for c in covering if self.naming.covers(c, salient, self.naming.record_text(c))
            ]
            if not covering:
                asked_first = [a for a in query.attributes if applies(a, query.intent)]
                label = phrase(f"labels.attribute.{asked_first[0]}") if asked_first else ""
                if not label and (naming := self._naming(query, hits, salient)):
                    return naming, None  # the report does speak of it: say what it says
                # Point to what the report says about the named thing, not its sibling.
                own = [
                    [f for f in c if self.naming.names(f, salient, near_lines=False)]
                    for c in candidates
                ]
                closest = self._first(own) or self._first(candidates)
                # The report does name the term (salient terms are the report's own): only
                # what is asked of it may be missing, never the term itself.
                gap = phrase("gap.of_named", name=salient[0], label=label) if label else None
                return closest, gap or phrase("gap.question")
            candidates = covering
        for facts in candidates:
            if all(has_evidence(a, [f.text for f in facts]) for a in asked):
                if asked and named and not any(self.naming.carries(facts, a, named) for a in asked):
                    # The figure belongs to a sibling (another menu quoted next to it).
                    first = [
                        f for f in facts if self.naming.names(f, named, near_lines=False)
                    ] or facts
                    label = phrase(f"labels.attribute.{asked[0]}")
                    return first, phrase("gap.of_named", name=named[0], label=label)
                return facts, None
        if not candidates or not asked:
            return self._first(candidates), None
        first = candidates[0]
        missing = next((a for a in asked if not has_evidence(a, [f.text for f in first])), asked[0])
        stated = self._stating(query, hits, missing)
        if stated and all(has_evidence(a, [f.text for f in stated]) for a in asked):
            return stated, None
        return self._first(candidates), phrase(f"labels.attribute.{missing}")

    def _stating(self, query: Query, hits: list[Hit], attribute: str) -> list[Fact]:
        """Before saying the report is silent, the retrieved sentence that states the asked
        attribute (「受付期間は平成28年度末をもって終了」 answers 「今から申し込める？」)."""
        pattern = evidence_pattern(attribute)
        if pattern is None or attribute not in _SEARCHED_ATTRIBUTES:
            return []
        # Within the record of the programme asked about, a sentence is on topic even when it
        # says 本制度 instead of repeating the question's words.
        names = {
            key
            for p in query.programmes
            if p in self.records.by_id
            for key in (p, self.records.by_id[p].name)
        }
        own = [h for h in hits if h.chunk.programme in names]
        stated, _ = self.passages.facts(
            query.text,
            own or hits,
            limit=1,
            focus=query.focus,
            require=pattern,
            require_share=0.0 if own else _STATED_SHARE,
        )
        return [f for f in stated if grounded(f)]

    @staticmethod
    def _first(candidates: list[list[Fact]]) -> list[Fact]:
        return next((c for c in candidates if c), [])

    # -- helpers ------------------------------------------------------------------------
