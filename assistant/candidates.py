"""Per-intent strategies: the fact lists that may answer a question, in order of preference
(typed records for the intent first, then labelled sections and retrieved sentences)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.catalogue import rules
from assistant.citing import Fact
from assistant.models import Intent
from assistant.ordinance import ArticleFacts
from assistant.passages import PassageFacts
from assistant.profile import industries_named
from assistant.records import RecordFacts
from assistant.section_facts import SectionFacts
from assistant.text import nfkc, squash
from assistant.understanding import Query
from index import Hit
from ingest import ChunkKind, Programme, SupportMenu

__all__ = ["CandidateFacts"]

_PASSAGE_MARGIN = 4
_PASSAGE_FACTOR = 1.3  # sentences score context and year too: they must win clearly
_MENU_FIELDS = {"cap", "rate", "term", "requirements", "documents", "fee"}
_NAMED_MENU = 8  # rank score of a menu the question names (see RecordFacts.rank_menus)
_MIN_MENU_SCORE = 3  # topic bigrams a menu must share with the question to be offered
_BROAD_ASK = 6  # below this best menu score the question names no particular need
_BROAD_LIMIT = 4


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


def _other_industry(industry: str | None, programme: Programme, menu: SupportMenu) -> bool:
    named = industries_named(nfkc(programme.name + menu.text + (menu.eligibility or "")))
    return industry is not None and bool(named) and industry not in named


class CandidateFacts:
    """Gathers candidate fact lists per intent from records, articles, sections and passages."""

    def __init__(
        self,
        records: RecordFacts,
        passages: PassageFacts,
        articles: ArticleFacts,
        sections: SectionFacts,
        checked: Callable[[Fact], bool],
    ) -> None:
        self.records = records
        self.passages = passages
        self.articles = articles
        self.sections = sections
        # The composer's grounding check, so dropped facts are logged in one place.
        self.checked = checked

    def gather(
        self, query: Query, programmes: list[Programme], hits: list[Hit], years: tuple[int, ...]
    ) -> list[list[Fact]]:
        """Fact lists in order of preference: typed records first, then retrieved sentences."""
        intent = query.intent
        primary: list[Fact] = []
        # A follow-up's text starts with the previous turn: weigh the latest turn more.
        passages, passage_score = self.passages.facts(
            query.text, hits, focus=query.focus, accept=self.checked
        )
        if intent in (Intent.SUBSIDY, Intent.LOAN):
            menus, rank = self._menu_facts(query, hits)
            # A menu's fact repeats its programme's name, which every passage of the
            # programme shares too: when the question spells that name, only the rest of
            # the menu speaks to it.
            spelled = {self.records.by_id[p].name for p in query.spelled}
            names = [f.record for f in menus if f.record and f.record in spelled]
            menu_score = max(
                (self.passages.relevance(query.text, _without(f.text, names)) for f in menus),
                default=0,
            )
            # A menu the question names answers for itself, however wordy other passages are.
            # (Only for what a menu states: a share or a count is not a menu's field.)
            menu_ask = bool(set(query.attributes) & _MENU_FIELDS) or (
                not query.attributes and not query.kinds
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
            asked_about = any(
                squash(c.name) in query.contacts for p in programmes[:2] for c in p.contacts
            )
            if asked_about and passages:
                primary = []
        elif intent == Intent.BUDGET:
            for programme in programmes[:2]:
                primary += self.records.budget_facts(programme, years, query.compares)
        elif intent == Intent.KPI:
            for programme in programmes[:1]:
                primary += self.records.kpi_facts(
                    programme, query, named=programme.id in query.programmes
                )
        elif intent == Intent.ORDINANCE and query.asks_making and not query.articles:
            # The report's own account of how the ordinance was made answers first.
            articles = self._article_facts(query, hits, 1)
            return [c for c in (self._ok(passages), self._ok(articles)) if c]
        elif intent == Intent.ORDINANCE:
            primary = self._article_facts(query, hits, 2)
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
            counted = (
                intent == Intent.KPI
                and not weak_kpi
                and ("count" in query.attributes or query.asks_indicator)
            )
            if ok_passages and (weak_kpi or (wins and not counted)):
                return [c for c in (ok_passages, primary) if c]
            # A cumulative indicator (累計認定数) does not say how many in the asked year.
            cumulative = (
                any(rules().words("cues.kpi.cumulative").found_in(f.text) for f in primary)
                and not query.asks_totals
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

    def _article_facts(self, query: Query, hits: list[Hit], limit: int) -> list[Fact]:
        found = (self.articles.fact(a, query) for a in self.articles.best(query, hits)[:limit])
        return [f for f in found if f is not None]

    def _ok(self, facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if self.checked(f)]

    def _menu_facts(self, query: Query, hits: list[Hit]) -> tuple[list[Fact], float]:
        kind = "loan" if query.intent == Intent.LOAN else "subsidy"
        menus = self.records.menus(kind, query.programmes, query.spelled)
        if not menus:
            return [], 0.0
        hit_spans = [h.chunk.lines for h in hits if h.chunk.kind == ChunkKind.SUPPORT_MENU]
        ranked = self.records.rank_menus(query, menus, hit_spans)
        top = ranked[0][0]
        # 「使える補助金はある?」 names no need: every menu open to the asker is an answer.
        broad = (
            top < _BROAD_ASK and not query.programmes and query.list_ask and not query.names_a_need
        )
        if top < _MIN_MENU_SCORE and not query.programmes and not broad:
            return [], top
        # One menu when the question singles it out, else the few that fit best.
        margin = ranked[1][0] if len(ranked) > 1 else 0.0
        limit = 1 if top >= 20 or top - margin >= 4 else 3
        chosen = [r for r in ranked[:limit] if r[0] >= top * 0.5]
        if broad:
            # …but not a menu reserved to another industry than the asker's (a farmer is
            # not offered the manufacturers' trade-fair grant).
            chosen = [r for r in ranked if not _other_industry(query.profile.industry, r[1], r[2])][
                :_BROAD_LIMIT
            ]
        found = (
            self.records.menu_fact(
                p, m, query.profile, query.latest, asks_eligibility=query.asks_eligibility
            )
            for _, p, m in chosen
        )
        return [f for f in found if f is not None], top
