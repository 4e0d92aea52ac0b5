"""The default answerer's core: a short grounded Japanese answer from records and passages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from assistant.citing import Citer, Fact, supported
from assistant.evidence import ATTRIBUTE_LABELS, has_evidence, unknown_places
from assistant.models import Citation, Intent
from assistant.ordinance import ArticleFacts
from assistant.passages import PassageFacts
from assistant.records import RecordFacts
from assistant.text import nfkc
from assistant.understanding import Query
from index import Hit
from ingest import ChunkKind, Corpus, Programme

__all__ = ["Composer", "Composition"]

log = logging.getLogger(__name__)

NOT_STATED = "報告書には記載がありません"
_YEAR_COVERAGE = {Intent.BUDGET: (2016, 2017), Intent.KPI: (2015, 2016)}


@dataclass(frozen=True, slots=True)
class Composition:
    answer: str
    answerable: bool
    citations: tuple[Citation, ...]
    facts: tuple[Fact, ...] = field(default=())
    programmes: tuple[str, ...] = ()
    out_of_scope: bool = False


class Composer:
    """Chooses facts for a parsed question; declines with a pointer when the report is silent."""

    def __init__(self, corpus: Corpus, citer: Citer, corpus_text: str) -> None:
        self.corpus = corpus
        self.records = RecordFacts(corpus, citer)
        self.passages = PassageFacts(citer)
        self.articles = ArticleFacts(corpus, citer)
        self.citer = citer
        self.corpus_text = nfkc(corpus_text)
        self.corpus_years = {y for c in corpus.chunks for y in c.fiscal_years}

    # -- entry point --------------------------------------------------------------------
    def compose(self, query: Query, hits: list[Hit]) -> Composition:
        programmes = self._programmes(query, hits)
        facts, gap = self._facts(query, programmes, hits)
        places = unknown_places(query.text, self.corpus_text)
        if places:
            gap = "ご質問の地域・自治体"
        facts = [f for f in facts if self._checked(f)]
        if gap is None and facts:
            return self._done(facts, True, programmes)
        return self._decline(query, programmes, hits, facts, gap)

    # -- per intent ---------------------------------------------------------------------
    def _facts(
        self, query: Query, programmes: list[Programme], hits: list[Hit]
    ) -> tuple[list[Fact], str | None]:
        """Facts for the question, and the missing attribute's label when one is missing."""
        intent = query.intent
        years = tuple(query.fiscal_years)
        covered = _YEAR_COVERAGE.get(intent, tuple(self.corpus_years) or (2015, 2016, 2017))
        if years and not set(years) & set(covered):
            closest = self._by_intent(query, programmes, hits, ())
            return closest, "ご質問の年度"
        facts = self._by_intent(query, programmes, hits, years)
        for attribute in query.attributes:
            if attribute in ("rate", "cap", "term", "count") and intent not in (
                Intent.SUBSIDY,
                Intent.LOAN,
                Intent.KPI,
                Intent.STATISTICS,
                Intent.PROGRAMME,
            ):
                continue
            texts = [f.text for f in facts]
            if not has_evidence(attribute, texts):
                return facts, ATTRIBUTE_LABELS[attribute]
        return facts, None

    def _by_intent(
        self, query: Query, programmes: list[Programme], hits: list[Hit], years: tuple[int, ...]
    ) -> list[Fact]:
        intent = query.intent
        facts: list[Fact] = []
        if intent in (Intent.SUBSIDY, Intent.LOAN):
            facts = self._menu_facts(query, hits)
        elif intent == Intent.CONTACT:
            for programme in programmes[:2]:
                facts += self.records.contact_facts(programme)
        elif intent == Intent.BUDGET:
            for programme in programmes[:2]:
                facts += self.records.budget_facts(programme, years)
        elif intent == Intent.KPI:
            for programme in programmes[:1]:
                facts += self.records.kpi_facts(programme, query)
        elif intent == Intent.ORDINANCE:
            facts = [self.articles.fact(a, query) for a in self.articles.best(query, hits)[:2]]
        if not facts:
            facts, _ = self.passages.facts(query.text, hits)
        return facts

    def _menu_facts(self, query: Query, hits: list[Hit]) -> list[Fact]:
        kind = "loan" if query.intent == Intent.LOAN else "subsidy"
        menus = self.records.menus(kind, query.programmes)
        if not menus:
            return []
        hit_spans = [h.chunk.lines for h in hits if h.chunk.kind == ChunkKind.SUPPORT_MENU]
        ranked = self.records.rank_menus(query, menus, hit_spans)
        top = ranked[0][0]
        if top <= 0:
            return []
        # One menu when the question singles it out, else the few that fit best.
        margin = ranked[1][0] if len(ranked) > 1 else 0.0
        limit = 1 if top >= 20 or top - margin >= 4 else 3
        chosen = [r for r in ranked[:limit] if r[0] >= top * 0.5]
        return [self.records.menu_fact(p, m, query.profile) for _, p, m in chosen]

    # -- helpers ------------------------------------------------------------------------
    def _programmes(self, query: Query, hits: list[Hit]) -> list[Programme]:
        by_id = self.records.by_id
        found = [by_id[p] for p in query.programmes if p in by_id]
        if found:
            return found
        for hit in hits:
            pid = hit.chunk.programme
            if pid and pid in by_id and by_id[pid] not in found:
                found.append(by_id[pid])
        return found[:2]

    def _checked(self, fact: Fact) -> bool:
        ok = supported(fact.text, fact.citations) and all(c.quote for c in fact.citations)
        if not ok:
            log.info("dropped a fact whose numbers are not in its quotes: %s", fact.text[:60])
        return ok

    def _done(
        self, facts: list[Fact], answerable: bool, programmes: list[Programme]
    ) -> Composition:
        citations = tuple(dict.fromkeys(c for f in facts for c in f.citations))
        return Composition(
            "\n".join(f.text for f in facts),
            answerable,
            citations,
            tuple(facts),
            tuple(p.id for p in programmes),
        )

    def _decline(
        self,
        query: Query,
        programmes: list[Programme],
        hits: list[Hit],
        facts: list[Fact],
        gap: str | None,
    ) -> Composition:
        subject = f"{gap}について、" if gap else "ご質問の内容について、"
        lead = Fact(f"{subject}{NOT_STATED}。")
        closest = facts[:2]
        if not closest:
            closest = [
                f for f in self.passages.facts(query.text, hits, limit=1)[0] if self._checked(f)
            ]
        parts = [lead]
        if closest:
            parts.append(Fact("報告書に記載があるのは次の点です。"))
            parts.extend(closest)
        by_id = self.records.by_id
        named = [by_id[p] for p in query.programmes if p in by_id]
        cited = [by_id[c.programme] for f in closest for c in f.citations if c.programme in by_id]
        pointer = self._pointer(named or cited)
        if pointer is not None:
            parts.append(pointer)
        done = self._done(parts, False, named or cited)
        if not (closest or named or query.articles or query.intent_cued):
            return replace(done, out_of_scope=True)
        return done

    def _pointer(self, programmes: list[Programme]) -> Fact | None:
        for programme in programmes[:1]:
            if programme.contacts:
                contact = programme.contacts[0]
                citation = self.records.citer.cite(
                    contact.lines,
                    [contact.name],
                    kind="contact",
                    programme=programme.id,
                    page=programme.page,
                )
                if supported(contact.name, (citation,)):
                    return Fact(
                        f"詳しくは、報告書が{programme.name}の窓口として挙げる"
                        f"「{nfkc(contact.name)}」にお問い合わせください。",
                        (citation,),
                    )
            row = self.records.citer.cite(
                programme.lines,
                [programme.name],
                kind="programme_row",
                programme=programme.id,
                page=programme.page,
            )
            if supported(programme.name, (row,)):
                return Fact(
                    f"詳しくは、{programme.name}を所管する川崎市の担当部署にお問い合わせください。",
                    (row,),
                )
        return None
