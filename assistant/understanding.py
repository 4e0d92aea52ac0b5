"""Question understanding: normalisation, then intent, entities, asked attribute and business
profile (each in its own module) combined into a :class:`Query`, follow-ups included."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.aliases import AliasIndex
from assistant.asked_values import asked_counters, asked_kinds, explicit_kinds, given_numbers
from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.entities import (
    article_numbers,
    asked_attributes,
    asked_meanings,
    asks_making,
    fiscal_years,
    relative_years,
)
from assistant.evidence import asked_breakdowns, asked_editions
from assistant.intents import detect_intent
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.profile import Profile, names_a_need, read_profile
from assistant.report_names import ReportNames
from assistant.synonyms import SynonymReader
from assistant.text import nfkc, squash
from assistant.unstated import Unstated, UnstatedReader
from assistant.words import ContentWords

__all__ = ["SHORT_TURN", "Profile", "Query", "QuestionParser"]

SHORT_TURN = 14  # characters: a turn this short refines the one before rather than starting afresh


@dataclass(frozen=True, slots=True)
class Query:
    question: str
    text: str  # NFKC form
    intent: Intent
    programmes: tuple[str, ...] = ()
    articles: tuple[int, ...] = ()
    fiscal_years: tuple[int, ...] = ()  # western
    attributes: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)
    follow_up: bool = False
    intent_cued: bool = False
    refers_back: bool = False  # points at the previous turn (その協議会, それって)
    kinds: tuple[str, ...] = ()  # the kinds of value asked for (amount, rate, date, …)
    latest: str = ""  # the latest turn, NFKC (the question itself for a one-turn ask)
    in_context: bool = False  # ``text`` carries the earlier turns of the conversation too
    unstated: tuple[Unstated, ...] = ()  # what it names that the report never states
    elsewhere: bool = False  # it names another city or government
    exploratory: bool = False  # asks which of several may fit (「使える補助はある？」)
    # What the latest turn asks, read here once: later stages take these, not its text.
    asks_making: bool = False  # how the ordinance came to be, or its full name
    list_ask: bool = False  # which ones there are (「使える補助金はある?」)
    names_a_need: bool = False  # what the money is for, beyond who the asker is
    asks_indicator: bool = False  # an indicator's own fields (目標, 実績, 達成)
    asks_eligibility: bool = False  # whom something is for (「…って使えるの?」)
    explicit_kinds: tuple[str, ...] = ()  # kinds of value asked for by name, in checked order
    given_numbers: tuple[str, ...] = ()  # numbers it states itself (no answer to it)
    counters: tuple[str, ...] = ()  # the counters it counts in (何件 → 件)
    editions: tuple[str, ...] = ()  # editions of events it names (見本市inかわさき2017)
    breakdowns: tuple[str, ...] = ()  # breakdowns it asks for (業種別)
    meanings: tuple[str, ...] = ()  # quoted terms whose meaning it asks (「大学等」って)
    spelled: tuple[str, ...] = ()  # ids of the programmes it calls by their full name
    salient: tuple[str, ...] = ()  # the report's names it insists on (brackets, acronyms…)
    schemes: tuple[str, ...] = ()  # of those, schemes, organisations, menus and variants
    contacts: tuple[str, ...] = ()  # the desks it calls by name (comparison form)
    # Read from the whole conversation (``text``): a follow-up keeps the earlier turns' ones.
    compares: bool = False  # compares years (増減, 前年)
    asks_totals: bool = False  # a total over the years (合計, これまで)
    paragraphs: tuple[int, ...] = ()  # the ordinance paragraphs asked for (第2項)
    # Set on the turn a conversation remembers: (kind, key) of the topic the Topics stage
    # was sure it is about, for the next turn to continue.
    topic: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.latest:  # a Query built by hand (tests, tools) still knows its turn
            object.__setattr__(self, "latest", nfkc(self.question).strip())

    @property
    def focus(self) -> str | None:
        """The latest turn when ``text`` carries earlier turns (a follow-up read in its
        context), else None: the lexicon's words appended to a one-turn question are no
        earlier turn (the Rank stage's weights were fitted on that reading)."""
        return self.latest if self.in_context else None

    @property
    def _new_topic(self) -> bool:
        # Statistics and the ordinance are not about the previous turn's programme, unless
        # the question points back at it (「その協議会と連携して行った学校派遣は…」).
        return (
            self.intent_cued
            and self.intent in (Intent.STATISTICS, Intent.ORDINANCE)
            and not self.refers_back
        )

    def with_context(self, previous: Query) -> Query:
        """Fill what a follow-up leaves out from the previous turn."""
        return replace(
            self,
            text=f"{previous.text} {self.text}",
            in_context=True,
            intent=self.intent if self.intent_cued else previous.intent,
            programmes=self.programmes or (() if self._new_topic else previous.programmes),
            articles=self.articles or (previous.articles if not self.programmes else ()),
            fiscal_years=self.fiscal_years or previous.fiscal_years,
            profile=previous.profile.merged(self.profile),
            compares=previous.compares or self.compares,
            asks_totals=previous.asks_totals or self.asks_totals,
            paragraphs=tuple(dict.fromkeys((*previous.paragraphs, *self.paragraphs))),
        )


class QuestionParser:
    """Turns a question into a :class:`Query` (pure, no retrieval)."""

    def __init__(
        self,
        aliases: AliasIndex,
        report_year: int | None = None,
        terms: CorpusTerms = NO_TERMS,
        unstated: UnstatedReader | None = None,
        names: ReportNames | None = None,
        *,
        synonyms: SynonymReader | None = None,
    ) -> None:
        self.unstated = unstated  # None: what the report lacks is not read
        self.synonyms = synonyms  # None: only the catalogue's paraphrases widen the wording
        self.names = names  # None: the report's names the question uses are not read
        # The city's name is in every question: it says no need.
        self.words = ContentWords(terms.city_words)
        self.aliases = aliases
        self.report_year = report_year  # the fiscal year the report covers (for 来年度)
        self.terms = terms  # the report's city and unnumbered articles

    def parse(self, question: str) -> Query:
        text = nfkc(question).strip()
        catalogue = rules()
        articles = article_numbers(text, self.terms.unnumbered)
        intent, cued = detect_intent(text, cites_articles=bool(articles))
        attributes = asked_attributes(text)
        programmes = tuple(self.aliases.find(text))
        compact = squash(text)
        named = text
        for pid in programmes:
            named = named.replace(nfkc(self.aliases.names.get(pid, "")), "")
        for menu in self.aliases.menu_names:
            named = named.replace(menu, "")
        profile = read_profile(named, self.terms)
        short_refinement = len(compact) <= SHORT_TURN and (
            cued or bool(attributes) or not profile.empty
        )
        # A cued question without its own topic words ("28年度はどれくらい？") continues
        # the conversation; one naming a new topic ("展示会に出たい…") starts afresh.
        own_topic = bool(catalogue.pattern("patterns.question.topic_word").search(text))
        follow_up = (
            not programmes
            and not articles
            and (
                catalogue.words("cues.follow_up.any").found_in(text)
                or short_refinement
                or (cued and not own_topic)
            )
        )
        points_back = tuple(catalogue.words("cues.follow_up.points_back"))
        list_ask = bool(catalogue.pattern("patterns.question.list_ask").search(text))
        query = Query(
            question=question,
            text=expand(text, self.synonyms.read(text) if self.synonyms is not None else ()),
            intent=intent,
            programmes=programmes,
            articles=tuple(dict.fromkeys(articles)),
            fiscal_years=fiscal_years(text) or relative_years(text, self.report_year),
            attributes=attributes,
            profile=profile,
            follow_up=follow_up,
            intent_cued=cued,
            refers_back=follow_up and text.startswith(points_back),
            kinds=asked_kinds(text),
            latest=text,
            unstated=self.unstated.read(question) if self.unstated is not None else (),
            elsewhere=self.unstated.elsewhere(question) if self.unstated is not None else False,
            exploratory=not programmes and not articles and list_ask,
            list_ask=list_ask,
        )
        return self._asks(query)

    def _asks(self, query: Query) -> Query:
        """``query`` with what its turn asks (``latest``, with the lexicon's words)."""
        catalogue = rules()
        latest, compact = query.latest, squash(query.latest)
        # The catalogue's cues (合計, 前年, 第2項) are read in the turn and its paraphrases,
        # never in the dictionary's synonyms: トータル must not ask for a total as 合計 does.
        worded = expand(latest)
        salient = self.names.salient(latest) if self.names is not None else ()
        paragraph = catalogue.pattern("patterns.question.paragraph_number")
        return replace(
            query,
            asks_making=asks_making(latest),
            names_a_need=names_a_need(self.words(latest)),
            asks_indicator=catalogue.words("cues.kpi.fields").found_in(latest),
            asks_eligibility=bool(
                catalogue.pattern("patterns.question.asks_eligibility").search(latest)
            ),
            explicit_kinds=explicit_kinds(latest),
            given_numbers=given_numbers(latest),
            counters=asked_counters(latest),
            editions=asked_editions(latest),
            breakdowns=asked_breakdowns(latest),
            meanings=asked_meanings(latest),
            spelled=tuple(
                pid for pid, name in self.aliases.names.items() if squash(nfkc(name)) in compact
            ),
            salient=salient,
            schemes=self.names.schemes(latest, salient) if self.names is not None else (),
            contacts=self.names.contacts(latest) if self.names is not None else (),
            compares=catalogue.words("cues.compare").found_in(worded),
            asks_totals=catalogue.words("cues.kpi.totals").found_in(worded),
            paragraphs=tuple(dict.fromkeys(int(m[1]) for m in paragraph.finditer(worded))),
        )
