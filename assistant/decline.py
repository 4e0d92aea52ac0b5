"""Declining: say plainly that the report is silent, show the closest thing it says, and
name whom to ask (the organisation the programme's record names).

The wording is UI text (``decline.*`` in phrases.toml)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.citing import Citer, Fact, supported
from assistant.composition import Composition, compose, grounded
from assistant.corpus_terms import CorpusTerms
from assistant.models import Intent
from assistant.passages import PassageFacts
from assistant.phrases import phrase
from assistant.records import RecordFacts, serves_as_desk
from assistant.text import nfkc, sentences
from index import Hit
from ingest import Contact, Corpus, Programme, Span

if TYPE_CHECKING:
    from assistant.understanding import Query

__all__ = ["Decliner", "unstated_gap"]

_CITY_PROGRAMME_INTENTS = (Intent.SUBSIDY, Intent.LOAN, Intent.CONTACT, Intent.BUDGET)


def unstated_gap(query: Query, described: bool = False) -> str | None:
    """The gap the question's own terms make: a region or scheme the report's city does
    not cover, a term it never names, an article the ordinance lacks. ``described``: the
    question describes a programme the Topics stage is all but certain of, whose record
    may explain the term as a named programme's would (「海外展開の相談センター」)."""
    # The report's programmes are the city's own: another city's scheme is not in it
    # (statistics may still compare cities, so only programme asks are declined).
    if query.elsewhere and query.intent in _CITY_PROGRAMME_INTENTS:
        return phrase("gap.region")
    for found in query.unstated:
        if found.kind == "region":
            return phrase("gap.region")
        if found.kind == "name" and (query.programmes or described):
            continue  # a term the named programme's record may explain
        if found.kind == "article":
            return phrase("gap.article", number=int(found.name))
        return phrase("gap.quoted", name=found.name)
    return None


class Decliner:
    """Builds the answer for questions whose fact the report does not state."""

    def __init__(
        self,
        corpus: Corpus,
        records: RecordFacts,
        passages: PassageFacts,
        citer: Citer,
        terms: CorpusTerms,
    ) -> None:
        self.corpus = corpus
        self.records = records
        self.passages = passages
        self.citer = citer
        self.terms = terms  # the report's city, whose departments run its programmes

    def decline(
        self, query: Query, hits: list[Hit], facts: list[Fact], gap: str | None
    ) -> Composition:
        lead = Fact(phrase("decline.lead", gap=gap or phrase("gap.question")))
        closest = facts[:2]
        if not closest:
            found, _ = self.passages.facts(query.text, hits, limit=1)
            closest = [f for f in found if grounded(f)]
        off_topic = not (closest or query.programmes or query.articles or query.intent_cued)
        if not closest:
            closest = self._scope_note()
        parts = [lead]
        if closest:
            parts.append(Fact(phrase("decline.closest")))
            parts.extend(closest)
        by_key = self.records.by_key
        named = [self.records.by_id[p] for p in query.programmes if p in self.records.by_id]
        cited = [by_key[c.programme] for f in closest for c in f.citations if c.programme in by_key]
        pointer = self._pointer(named or cited)
        if pointer is not None:
            parts.append(pointer)
        done = compose(parts, False, named or cited)
        return replace(done, out_of_scope=True) if off_topic else done

    def _scope_note(self) -> list[Fact]:
        """What the report is about: its introduction's first sentence (for off-topic asks)."""
        for section in self.corpus.sections:
            if section.key != "introduction":
                continue
            for sentence in sentences(nfkc(section.text)):
                if len(sentence) >= 20 and sentence.endswith("。"):
                    citation = self.citer.cite_section_sentence(section, sentence)
                    if citation is None:
                        continue
                    fact = Fact(sentence, (citation,))
                    return [fact] if grounded(fact) else []
        return []

    @staticmethod
    def _desk(programme: Programme) -> Contact | None:
        return next((c for c in programme.contacts if serves_as_desk(c)), None)

    def _pointer(self, programmes: list[Programme]) -> Fact | None:
        for programme in programmes[:1]:
            contact = self._desk(programme)
            if contact is not None:
                desk = self._cited(
                    programme,
                    contact.lines,
                    contact.name,
                    "contact",
                    phrase("decline.desk", programme=programme.name, desk=nfkc(contact.name)),
                )
                if desk is not None:
                    return desk
            department = (
                phrase("decline.department", programme=programme.name, city=self.terms.city)
                if self.terms.city
                else phrase("decline.department_no_city", programme=programme.name)
            )
            return self._cited(
                programme, programme.lines, programme.name, "programme_row", department
            )
        return None

    def _cited(
        self, programme: Programme, lines: Span, name: str, kind: str, sentence: str
    ) -> Fact | None:
        """``sentence`` cited to ``lines``, or None when the quote does not carry ``name``."""
        citation = self.citer.cite(
            lines, [name], kind=kind, programme=programme.name, page=programme.page
        )
        if citation is None or not supported(name, (citation,)):
            return None
        return Fact(sentence, (citation,))
