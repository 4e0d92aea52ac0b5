"""Question understanding: normalisation, then intent, entities, asked attribute and business
profile (each in its own module) combined into a :class:`Query`, follow-ups included."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.aliases import AliasIndex
from assistant.asked_values import asked_kinds
from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.entities import article_numbers, asked_attributes, fiscal_years, relative_years
from assistant.intents import detect_intent
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.profile import Profile, read_profile
from assistant.text import nfkc, squash
from assistant.unstated import Unstated, UnstatedReader

__all__ = ["Profile", "Query", "QuestionParser"]


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
    unstated: tuple[Unstated, ...] = ()  # what it names that the report never states
    elsewhere: bool = False  # it names another city or government
    exploratory: bool = False  # asks which of several may fit (「使える補助はある？」)

    def __post_init__(self) -> None:
        if not self.latest:  # a Query built by hand (tests, tools) still knows its turn
            object.__setattr__(self, "latest", nfkc(self.question).strip())

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
            intent=self.intent if self.intent_cued else previous.intent,
            programmes=self.programmes or (() if self._new_topic else previous.programmes),
            articles=self.articles or (previous.articles if not self.programmes else ()),
            fiscal_years=self.fiscal_years or previous.fiscal_years,
            profile=previous.profile.merged(self.profile),
        )


class QuestionParser:
    """Turns a question into a :class:`Query` (pure, no retrieval)."""

    def __init__(
        self,
        aliases: AliasIndex,
        report_year: int | None = None,
        terms: CorpusTerms = NO_TERMS,
        unstated: UnstatedReader | None = None,
    ) -> None:
        self.unstated = unstated  # None: what the report lacks is not read
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
        short_refinement = len(compact) <= 14 and (cued or bool(attributes) or not profile.empty)
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
        return Query(
            question=question,
            text=expand(text),
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
            exploratory=not programmes
            and not articles
            and bool(catalogue.pattern("patterns.question.list_ask").search(text)),
        )
