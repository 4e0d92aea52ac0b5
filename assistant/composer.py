"""The default answerer's core: a short grounded Japanese answer from records and passages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from assistant.citing import Citer, Fact, supported
from assistant.evidence import ATTRIBUTE_LABELS, has_evidence, unknown_names, unknown_places
from assistant.models import Citation, Intent
from assistant.ordinance import ArticleFacts
from assistant.passages import PassageFacts
from assistant.records import RecordFacts
from assistant.section_facts import SectionFacts
from assistant.text import nfkc, squash
from assistant.understanding import Query
from index import Hit
from ingest import ChunkKind, Corpus, Programme

__all__ = ["Composer", "Composition"]

log = logging.getLogger(__name__)

NOT_STATED = "報告書には記載がありません"
_COMPARE_WORDS = ("増減", "増え", "減っ", "変わ", "比べ", "前年", "差")


def _compares(text: str) -> bool:
    return any(w in text for w in _COMPARE_WORDS)


_MIN_MENU_SCORE = 3  # topic bigrams a menu must share with the question to be offered

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
        self.sections = SectionFacts(corpus, citer)
        self.citer = citer
        self.corpus_text = nfkc(corpus_text)
        self.flat_corpus = squash(corpus_text)
        self.corpus_years = {y for c in corpus.chunks for y in c.fiscal_years}

    # -- entry point --------------------------------------------------------------------
    def compose(self, query: Query, hits: list[Hit]) -> Composition:
        programmes = self._programmes(query, hits)
        facts, gap = self._facts(query, programmes, hits)
        if unknown_places(query.question, self.corpus_text):
            gap = "ご質問の地域・自治体"
        elif names := unknown_names(query.question, self.flat_corpus):
            gap = f"「{names[0]}」"
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
            return self._first(self._candidates(query, programmes, hits, ())), "ご質問の年度"
        candidates = self._candidates(query, programmes, hits, years)
        asked = [a for a in query.attributes if self._applies(a, intent)]
        for facts in candidates:
            if all(has_evidence(a, [f.text for f in facts]) for a in asked):
                return facts, None
        if not candidates or not asked:
            return self._first(candidates), None
        first = candidates[0]
        missing = next((a for a in asked if not has_evidence(a, [f.text for f in first])), asked[0])
        return self._first(candidates), ATTRIBUTE_LABELS[missing]

    @staticmethod
    def _applies(attribute: str, intent: Intent) -> bool:
        figures = ("rate", "cap", "term", "count")
        return attribute not in figures or intent in (
            Intent.SUBSIDY,
            Intent.LOAN,
            Intent.KPI,
            Intent.STATISTICS,
            Intent.PROGRAMME,
        )

    @staticmethod
    def _first(candidates: list[list[Fact]]) -> list[Fact]:
        return next((c for c in candidates if c), [])

    def _candidates(
        self, query: Query, programmes: list[Programme], hits: list[Hit], years: tuple[int, ...]
    ) -> list[list[Fact]]:
        """Fact lists in order of preference: typed records first, then retrieved sentences."""
        intent = query.intent
        primary: list[Fact] = []
        passages, passage_score = self.passages.facts(query.text, hits)
        if intent in (Intent.SUBSIDY, Intent.LOAN):
            menus, menu_score = self._menu_facts(query, hits)
            if menus and menu_score + 1 < passage_score:
                return [self._ok(passages), self._ok(menus)]
            primary = menus
        elif intent == Intent.CONTACT:
            for programme in programmes[:2]:
                primary += self.records.contact_facts(programme)
        elif intent == Intent.BUDGET:
            for programme in programmes[:2]:
                primary += self.records.budget_facts(programme, years, _compares(query.text))
        elif intent == Intent.KPI:
            for programme in programmes[:1]:
                primary += self.records.kpi_facts(programme, query)
        elif intent == Intent.ORDINANCE:
            primary = [self.articles.fact(a, query) for a in self.articles.best(query, hits)[:2]]
        out = [self._ok(primary)]
        if intent in (Intent.STATISTICS, Intent.KPI, Intent.PROGRAMME):
            labelled, label_score = self.sections.facts(query.text)
            pair = [self._ok(labelled), self._ok(passages)]
            out.extend(pair if label_score >= passage_score else pair[::-1])
        else:
            out.append(self._ok(passages))
        return [c for c in out if c]

    def _ok(self, facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if self._checked(f)]

    def _menu_facts(self, query: Query, hits: list[Hit]) -> tuple[list[Fact], float]:
        kind = "loan" if query.intent == Intent.LOAN else "subsidy"
        menus = self.records.menus(kind, query.programmes)
        if not menus:
            return [], 0.0
        hit_spans = [h.chunk.lines for h in hits if h.chunk.kind == ChunkKind.SUPPORT_MENU]
        ranked = self.records.rank_menus(query, menus, hit_spans)
        top = ranked[0][0]
        if top < _MIN_MENU_SCORE and not query.programmes:
            return [], top
        # One menu when the question singles it out, else the few that fit best.
        margin = ranked[1][0] if len(ranked) > 1 else 0.0
        limit = 1 if top >= 20 or top - margin >= 4 else 3
        chosen = [r for r in ranked[:limit] if r[0] >= top * 0.5]
        return [self.records.menu_fact(p, m, query.profile) for _, p, m in chosen], top

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
