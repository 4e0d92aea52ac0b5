"""The default answerer's core: a short grounded Japanese answer from records and passages."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.citing import Citer, Fact, supported
from assistant.decline import Decliner
from assistant.evidence import (
    ATTRIBUTE_LABELS,
    has_evidence,
    named_terms,
    other_places,
    unknown_indicators,
    unknown_names,
    unknown_places,
)
from assistant.models import Citation, Intent
from assistant.ordinance import ArticleFacts
from assistant.passages import PassageFacts, asked_value
from assistant.records import RecordFacts, menu_name_parts
from assistant.section_facts import SectionFacts
from assistant.text import bigrams, nfkc, sentences, squash
from assistant.understanding import Query
from index import Hit
from ingest import ChunkKind, Corpus, Programme, Span

__all__ = ["Composer", "Composition"]

log = logging.getLogger(__name__)

_CITY_PROGRAMME_INTENTS = (Intent.SUBSIDY, Intent.LOAN, Intent.CONTACT, Intent.BUDGET)
_COMPARE_WORDS = ("増減", "増え", "減っ", "変わ", "比べ", "前年", "差")


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


def _compares(text: str) -> bool:
    return any(w in text for w in _COMPARE_WORDS)


_PASSAGE_MARGIN = 4
_CUMULATIVE = "累計"
_PASSAGE_FACTOR = 1.3  # sentences score context and year too: they must win clearly
_NEAR_LINES = 3  # lines around a quote that still speak of the same item
_MIN_MENU_NAME = 3
_VARIANT = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([^()（）\d、。\s]{3,12}型?)[)）]")
_MENU_ALIAS_SHARE = 0.7
_NAME_SHARE = 0.75
_MENU_FIELDS = {"cap", "rate", "term", "requirements", "documents", "fee"}
_NAMED_MENU = 8  # rank score of a menu the question names (see RecordFacts.rank_menus)
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
        self.decliner = Decliner(self)
        # Variants the report sets off in brackets after a name: 小規模事業資金（小口サポート型）.
        # Only names mostly seen in brackets: (川崎市) is a common word, not a variant.
        bracketed = Counter(squash(m.group(1)) for m in _VARIANT.finditer(self.corpus_text))
        self.variant_names = {
            name
            for name, count in bracketed.items()
            if re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]", name)
            and self.flat_corpus.count(name) <= 2 * count
        }
        # Support menus' names and their distinctive bracketed parts (小口サポート型).
        self.menu_names = sorted(
            {
                n
                for p in corpus.programmes
                for m in p.support_menus
                for n in (squash(m.name), *menu_name_parts(m.name))
                if len(n) >= _MIN_MENU_NAME
            },
            key=len,
            reverse=True,
        )

    # -- entry point --------------------------------------------------------------------
    def compose(self, query: Query, hits: list[Hit]) -> Composition:
        programmes = self._programmes(query, hits)
        facts, gap = self._facts(query, programmes, hits)
        # The report's programmes are the city's own: another city's scheme is not in it
        # (statistics may still compare cities, so only programme asks are declined).
        elsewhere = query.intent in _CITY_PROGRAMME_INTENTS and other_places(query.question)
        if unknown_places(query.question, self.corpus_text) or elsewhere:
            gap = "ご質問の地域・自治体"
        elif not query.programmes and (names := unknown_names(query.question, self.flat_corpus)):
            gap = f"「{names[0]}」"
        elif indicators := unknown_indicators(query.question, self.flat_corpus):
            gap = f"「{indicators[0]}」"
        facts = [f for f in facts if self.checked(f)]
        if gap is None and facts:
            return self.done(facts, True, programmes)
        return self.decliner.decline(query, hits, facts, gap)

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
        salient = self._salient(query.question)
        asked = [a for a in query.attributes if self._applies(a, intent)]
        named: list[str] = []
        if salient:
            named = [
                t
                for t in salient
                if t in named_terms(query.question)
                or t in self.menu_names
                or t in self.variant_names
            ]
            if asked and named:
                # A named loan/organisation must carry the asked figure itself: another
                # menu's limit or rate in the same record does not answer for it.
                covering = [[f for f in c if self._names(f, named)] for c in candidates]
                covering = [c for c in covering if c]
            else:
                covering = candidates
            covering = [c for c in covering if self._covers(c, salient, self._record_text(c))]
            if not covering:
                asked_first = [a for a in query.attributes if self._applies(a, query.intent)]
                label = ATTRIBUTE_LABELS[asked_first[0]] if asked_first else ""
                # Point to what the report says about the named thing, not its sibling.
                own = [
                    [f for f in c if self._names(f, salient, near_lines=False)] for c in candidates
                ]
                closest = self._first(own) or self._first(candidates)
                return closest, f"「{salient[0]}」の{label}" if label else (f"「{salient[0]}」")
            candidates = covering
        for facts in candidates:
            if all(has_evidence(a, [f.text for f in facts]) for a in asked):
                if asked and named and not any(self._carries(facts, a, named) for a in asked):
                    # The figure belongs to a sibling (another menu quoted next to it).
                    first = [f for f in facts if self._names(f, named, near_lines=False)] or facts
                    return first, f"「{named[0]}」の{ATTRIBUTE_LABELS[asked[0]]}"
                return facts, None
        if not candidates or not asked:
            return self._first(candidates), None
        first = candidates[0]
        missing = next((a for a in asked if not has_evidence(a, [f.text for f in first])), asked[0])
        return self._first(candidates), ATTRIBUTE_LABELS[missing]

    def _carries(self, facts: list[Fact], attribute: str, named: list[str]) -> bool:
        """One fact both names the asked entity and states the attribute: the value found
        must be the named menu's own, not a sibling's in the next sentence."""
        return any(
            self._names(f, named, near_lines=False) and has_evidence(attribute, [f.text])
            for f in facts
        )

    def _salient(self, question: str) -> list[str]:
        """Names the question insists on: bracketed names and acronyms the report uses.

        Digits are left out: a gap label must never echo a number the quotes lack.
        """
        text = nfkc(question)
        tokens = re.findall(r"[「(]([^」)]{3,20})[」)]", text)
        tokens += re.findall(r"[A-Za-z][A-Za-z0-9]{1,}", text)
        tokens += named_terms(text)
        flat_question = squash(text)
        tokens += [n for n in self.menu_names if n in flat_question]
        tokens += [n for n in self.variant_names if n in flat_question]
        return [
            t
            for t in dict.fromkeys(tokens)
            if not re.search(r"\d", t) and squash(t) in self.flat_corpus
        ]

    def _names(self, fact: Fact, terms: list[str], near_lines: bool = True) -> bool:
        """The fact, its quotes or (with ``near_lines``) the lines right around them name
        every term."""
        if self._covers([fact], terms):
            return True
        said = bigrams(fact.text)
        if all(len(bigrams(t) & said) >= _NAME_SHARE * len(bigrams(t)) for t in terms):
            return True  # named with small variations (「…機器利用の促進…補助金」)
        if not near_lines:
            return fact.record is not None and all(self._aliases_menu(fact, t) for t in terms)
        source = self.citer.quoter.source
        near = " ".join(
            source.text(Span(max(1, c.lines.first - _NEAR_LINES), c.lines.last + _NEAR_LINES))
            for c in fact.citations
        )
        if all(squash(t) in squash(near) for t in terms):
            return True
        return fact.record is not None and all(self._aliases_menu(fact, t) for t in terms)

    def _aliases_menu(self, fact: Fact, term: str) -> bool:
        """A record sentence gives the term as another name of the fact's menu
        (「展示会出展料の補助⇒がんばる…補助金」)."""
        menu = bigrams(fact.text.split("（", 1)[0])
        if not menu:
            return False
        for chunk in self.corpus.chunks:
            if chunk.programme != fact.record:
                continue
            for sentence in sentences(nfkc(chunk.text)):
                if squash(term) in squash(sentence) and (
                    len(menu & bigrams(sentence)) >= _MENU_ALIAS_SHARE * len(menu)
                ):
                    return True
        return False

    def _record_text(self, facts: list[Fact]) -> str:
        """All chunk text of the programmes the facts cite (a fact speaks for its record)."""
        cited = {f.record for f in facts if f.record}
        return " ".join(ch.text for ch in self.corpus.chunks if ch.programme in cited)

    @staticmethod
    def _covers(facts: list[Fact], salient: list[str], record_text: str = "") -> bool:
        flat = squash(
            " ".join(f.text for f in facts)
            + " ".join(c.quote for f in facts for c in f.citations)
            + record_text
        )
        return all(squash(t) in flat for t in salient)

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
        # A follow-up's text starts with the previous turn: weigh the latest turn more.
        latest = nfkc(query.question).strip()
        focus = latest if not query.text.startswith(latest) else None
        passages, passage_score = self.passages.facts(query.text, hits, focus=focus)
        if intent in (Intent.SUBSIDY, Intent.LOAN):
            menus, rank = self._menu_facts(query, hits)
            menu_score = max(
                (self.passages.relevance(query.text, f.text) for f in menus), default=0
            )
            # A menu the question names answers for itself, however wordy other passages are.
            # (Only for what a menu states: a share or a count is not a menu's field.)
            menu_ask = bool(set(query.attributes) & _MENU_FIELDS) or (
                not query.attributes and asked_value(query.question) is None
            )
            named = rank >= _NAMED_MENU and menu_ask
            if menus and not named and menu_score + _PASSAGE_MARGIN < passage_score:
                return [self._ok(passages), self._ok(menus)]
            primary = menus
        elif intent == Intent.CONTACT:
            for programme in programmes[:2]:
                primary += self.records.contact_facts(programme)
            # A desk the question already names is the topic, not the answer
            # (「キャリアサポートかわさきって…以外でも相談できる?」): its sentences answer.
            asked_about = self._named_contacts(programmes[:2], query.question)
            if asked_about and passages:
                primary = []
        elif intent == Intent.BUDGET:
            for programme in programmes[:2]:
                primary += self.records.budget_facts(programme, years, _compares(query.text))
        elif intent == Intent.KPI:
            for programme in programmes[:1]:
                primary += self.records.kpi_facts(
                    programme, query, named=programme.id in query.programmes
                )
        elif intent == Intent.ORDINANCE:
            primary = [self.articles.fact(a, query) for a in self.articles.best(query, hits)[:2]]
        primary = self._ok(primary)
        if intent in (Intent.CONTACT, Intent.KPI) and primary:
            # Records answer the usual ask; a question about something else in the record
            # (a date, a venue, another figure) is better served by the matching sentences.
            names = [p.name for p in programmes[:2]]
            record_overlap = max(
                self.passages.relevance(query.text, _without(f.text, names)) for f in primary
            )
            weak_kpi = intent == Intent.KPI and not self.records.kpi_matches(programmes[0], query)
            ok_passages = self._ok(passages)
            wins = passage_score >= max(
                record_overlap + _PASSAGE_MARGIN, _PASSAGE_FACTOR * record_overlap
            )
            # A count asked of an indicator the record has is the record's figure: a wordier
            # sentence (a case study) does not outrank it.
            counted = intent == Intent.KPI and not weak_kpi and "count" in query.attributes
            if ok_passages and (weak_kpi or (wins and not counted)):
                return [c for c in (ok_passages, primary) if c]
            # A cumulative indicator (累計認定数) does not say how many in the asked year.
            cumulative = any(_CUMULATIVE in f.text for f in primary) and not any(
                w in query.text for w in (_CUMULATIVE, "合計", "全部で", "これまで")
            )
            close = passage_score >= (0.5 * record_overlap if cumulative else record_overlap)
            if intent == Intent.KPI and ok_passages and close:
                # The indicator fits, but a sentence fits as well: it may hold the yearly
                # figure behind a cumulative indicator, so say both.
                primary = [*primary, ok_passages[0]]
        out = [primary]
        if intent in (Intent.STATISTICS, Intent.KPI, Intent.PROGRAMME):
            labelled, label_score = self.sections.facts(query.text)
            pair = [self._ok(labelled), self._ok(passages)]
            out.extend(pair if label_score >= passage_score else pair[::-1])
        else:
            out.append(self._ok(passages))
        return [c for c in out if c]

    @staticmethod
    def _named_contacts(programmes: list[Programme], question: str) -> list[str]:
        flat = squash(question)
        return [
            nfkc(c.name)
            for p in programmes
            for c in p.contacts
            if len(squash(c.name)) >= _MIN_MENU_NAME and squash(c.name) in flat
        ]

    def _ok(self, facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if self.checked(f)]

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
        facts = [self.records.menu_fact(p, m, query.profile, query.question) for _, p, m in chosen]
        return facts, top

    # -- helpers ------------------------------------------------------------------------
    def _programmes(self, query: Query, hits: list[Hit]) -> list[Programme]:
        by_id = self.records.by_id
        found = [by_id[p] for p in query.programmes if p in by_id]
        if found:
            return found
        for hit in hits:
            key = hit.chunk.programme
            programme = self.records.by_key.get(key) if key else None
            if programme is not None and programme not in found:
                found.append(programme)
        return found[:2]

    def checked(self, fact: Fact) -> bool:
        ok = supported(fact.text, fact.citations) and all(c.quote for c in fact.citations)
        if not ok:
            log.info("dropped a fact whose numbers are not in its quotes: %s", fact.text[:60])
        return ok

    def done(self, facts: list[Fact], answerable: bool, programmes: list[Programme]) -> Composition:
        citations = tuple(dict.fromkeys(c for f in facts for c in f.citations))
        return Composition(
            "\n".join(f.text for f in facts),
            answerable,
            citations,
            tuple(facts),
            tuple(p.id for p in programmes),
        )
