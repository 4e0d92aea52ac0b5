"""Facts read from a programme's figures: its budget rows and its KPIs (成果・活動指標)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from assistant.catalogue import rules
from assistant.citing import Citer, Fact
from assistant.intents import Intent
from assistant.lexicon import expand
from assistant.phrases import phrase
from assistant.text import bigrams, nfkc, squash
from assistant.understanding import Query
from assistant.words import ContentWords
from ingest import Budget, Corpus, Kpi, Programme, Span, fiscal_year_label

__all__ = ["FigureFacts", "figure_years", "format_yen", "quoted_whole", "table_of_year"]

_EXACT_QUOTE_LINES = 40  # record spans up to this long are quoted whole
_KPI_MIN_OVERLAP = 3
_KPI_MIN_WORDS = 2
_KPI_NAMED_SHARE = 0.8  # of an indicator's bigrams in the question: the question names it


def figure_years(corpus: Corpus) -> dict[Intent, frozenset[int]]:
    """The years the budget and KPI tables give figures for (a budget row's year and the
    next year's plan; a KPI's year and the year before)."""
    budgets = {p.budget.year for p in corpus.programmes if p.budget and p.budget.year}
    kpis = {k.year for p in corpus.programmes for k in p.kpis if k.year}
    return {
        Intent.BUDGET: frozenset(budgets | {y + 1 for y in budgets}),
        Intent.KPI: frozenset(kpis | {y - 1 for y in kpis}),
    }


def table_of_year(query: Query, covered: Mapping[Intent, frozenset[int]]) -> Query:
    """A how-much question read as an indicator's (どのくらい) that asks nothing an
    indicator gives (no 目標 or 実績, no count) is about the table that covers its year
    (``covered``: :func:`figure_years`): 「29年度はどのくらいの規模で？」 asks a budget, as only
    the budgets give 平成29年度's figures."""
    years = set(query.fiscal_years)
    own = covered.get(query.intent)
    if query.intent != Intent.KPI or not years or own is None or years & own:
        return query
    if query.asks_indicator or query.attributes or query.explicit_kinds:
        return query
    others = [i for i, known in covered.items() if years & known]
    return replace(query, intent=others[0]) if len(others) == 1 else query


def quoted_whole(span: Span) -> bool:
    """Whether a record span is short enough to be quoted exactly."""
    return span.last - span.first < _EXACT_QUOTE_LINES


def format_yen(yen: int, quote: str) -> str:
    """The amount as the report prints it near the quote (千円 tables, 万円 prose)."""
    flat = squash(quote)
    candidates = []
    if yen % 1000 == 0:
        candidates.append(phrase("amount.thousands", n=f"{yen // 1000:,}"))
    if yen % 10_000 == 0:
        man = yen // 10_000
        if man >= 10_000 and man % 10_000 == 0:
            candidates.append(phrase("amount.hundred_millions", n=f"{man // 10_000}"))
        candidates.append(phrase("amount.ten_thousands", n=f"{man:,}"))
    candidates.append(phrase("amount.yen", n=f"{yen:,}"))
    for candidate in candidates:
        if squash(candidate) in flat:
            return candidate
    return candidates[0]


class FigureFacts:
    """Turns budget and KPI records into cited answer sentences."""

    def __init__(self, citer: Citer, words: ContentWords | None = None) -> None:
        self.citer = citer
        self.words = words or ContentWords()
        catalogue = rules()
        self.ask_words = catalogue.words("stopwords.follow_up_verbs").as_set
        self.kpi_noise = bigrams(catalogue.text("stopwords.bigrams.kpi"))

    def budget_facts(
        self, programme: Programme, years: tuple[int, ...], compare: bool = False
    ) -> list[Fact]:
        budget: Budget | None = programme.budget
        if budget is None:
            return []
        raw = self.citer.quoter.source.text(budget.lines)
        flat = squash(raw)
        catalogue = rules()
        # Short records print 「平成28年度の実績」「平成29年度の概要」 instead of 予算/決算.
        this, following = fiscal_year_label(budget.year), fiscal_year_label(budget.year, 1)
        settled = catalogue.words("cues.budget.actual").found_in(flat)
        actual = phrase("budget.settled" if settled else "budget.actual", year=this)
        planned = phrase("budget.budget", year=following)
        if catalogue.words("cues.budget.outline").found_in(flat) and not catalogue.words(
            "cues.budget.planned"
        ).found_in(flat):
            planned = phrase("budget.outline", year=following)
        year = budget.year or 0
        rows = [
            (year, phrase("budget.budget", year=this), budget.fy2016_budget),
            (year, actual, budget.fy2016_actual),
            (year + 1, planned, budget.fy2017_budget),
        ]
        wanted = [r for r in rows if r[2] is not None and (compare or not years or r[0] in years)]
        if not wanted:
            return []
        amounts = [(label, format_yen(v, raw)) for _, label, v in wanted if v is not None]
        change = catalogue.pattern("patterns.budget.change").search(nfkc(raw))
        if change and budget.fy2017_budget is not None and any(y == year + 1 for y, _, _ in wanted):
            delta = change.group(0).replace(" ", "")
            same = delta in catalogue.words("marks.budget_no_change").as_set
            amounts.append((phrase("budget.no_change" if same else "budget.change"), delta))
        citation = self.citer.cite(
            budget.lines,
            [a for _, a in amounts],
            kind="budget",
            programme=programme.name,
            page=programme.page,
            exact=quoted_whole(budget.lines),
        )
        if citation is None:
            return []
        body = "、".join(
            phrase("budget.row", label=label, amount=amount) for label, amount in amounts
        )
        return [
            Fact(
                phrase("budget.fact", programme=programme.name, rows=body),
                (citation,),
                programme.name,
            )
        ]

    def kpi_matches(self, programme: Programme, query: Query) -> bool:
        """Whether one of the programme's indicators is what the question asks about."""
        # The question's own words decide; a follow-up without topic words leans on the
        # conversation (query.text holds the previous turn too).
        topic = self.words(query.latest) - self.ask_words
        # The everyday words' report terms count too (泊まった → 宿泊).
        q = bigrams(expand(query.latest)) if topic else bigrams(query.text)
        q = q - self.kpi_noise - bigrams(programme.name)
        # Or two of its words (窓口 + 相談 → 窓口相談件数): short indicators share few bigrams.
        words = self.words(query.latest) - self.words(nfkc(programme.name))
        return any(
            len(q & bigrams(k.indicator)) >= _KPI_MIN_OVERLAP
            or len(words & self.words(nfkc(k.indicator))) >= _KPI_MIN_WORDS
            for k in programme.kpis
        )

    def kpi_facts(
        self, programme: Programme, query: Query, limit: int = 4, named: bool = True
    ) -> list[Fact]:
        if not programme.kpis:
            return []
        # The programme's own name is shared by all its indicators: it ranks none of them.
        q = bigrams(query.text) - bigrams(programme.name)
        # A follow-up's own words rank first (query.text holds the previous turn too).
        latest = bigrams(expand(query.latest)) - bigrams(programme.name)
        ranked = sorted(
            programme.kpis,
            key=lambda k: (-len(latest & bigrams(k.indicator)), -len(q & bigrams(k.indicator))),
        )
        best = len(q & bigrams(ranked[0].indicator))
        if not named and best < _KPI_MIN_OVERLAP:
            return []  # a programme only guessed from search hits must match the indicator
        # Every indicator the question names (「窓口相談件数及びセミナー開催数」), else the
        # best matching ones.
        named_kpis = [
            k
            for k in ranked
            if len(q & bigrams(k.indicator)) >= _KPI_NAMED_SHARE * len(bigrams(k.indicator))
        ]
        if len(named_kpis) >= 2:
            chosen = named_kpis
        elif best >= _KPI_MIN_OVERLAP:
            chosen = [k for k in ranked if len(q & bigrams(k.indicator)) == best]
        else:
            chosen = ranked
        facts = []
        for kpi in chosen[:limit]:
            fact = self.kpi_fact(programme, kpi)
            if fact is not None:
                facts.append(fact)
        return facts

    def kpi_fact(self, programme: Programme, kpi: Kpi) -> Fact | None:
        """One KPI row as 「indicator：目標 N、実績 M」, cited (None when it has no figure or
        its lines are in no chunk)."""
        unit = kpi.unit or ""
        bits = []
        if kpi.target:
            bits.append(phrase("kpi.target", value=kpi.target, unit=unit))
        if kpi.fy2016:
            year = fiscal_year_label(kpi.year)
            bits.append(phrase("kpi.actual", year=year, value=kpi.fy2016, unit=unit))
        if kpi.fy2015:
            year = fiscal_year_label(kpi.year, -1)
            bits.append(phrase("kpi.actual", year=year, value=kpi.fy2015, unit=unit))
        if not bits:
            return None
        values = [v for v in (kpi.target, kpi.fy2016, kpi.fy2015) if v]
        citation = self.citer.cite(
            kpi.lines,
            [kpi.indicator[:10], *values],
            kind="kpi",
            programme=programme.name,
            page=programme.page,
            exact=quoted_whole(kpi.lines),
        )
        if citation is None:
            return None
        text = phrase(
            "kpi.fact",
            programme=programme.name,
            indicator=nfkc(kpi.indicator),
            values="、".join(bits),
        )
        return Fact(text, (citation,), programme.name)
