"""Whether the report states a requested attribute: decided from the matched text itself.

Also what a question names that the report never does (another government, a scheme, an
indicator, a sum, an edition). The patterns are the catalogue's (``patterns.evidence.<attr>``,
``patterns.question.*``, ``places.*``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.entities import ATTRIBUTES
from assistant.models import Intent
from assistant.text import nfkc, squash
from ingest import sudachi_place_names, sudachi_tokenizer

__all__ = [
    "applies",
    "asked_breakdowns",
    "asked_editions",
    "breakdowns_missing",
    "evidence_pattern",
    "has_evidence",
    "named_terms",
    "other_editions",
    "other_places",
    "sibling_editions",
    "unknown_breakdowns",
    "unknown_counts",
    "unknown_indicators",
    "unknown_money",
    "unknown_names",
    "unknown_places",
    "unknown_titles",
]

_YEAR_SUFFIX = re.compile(r"((?:19|20)\d{2})$")


def _pattern(name: str) -> re.Pattern[str]:
    return rules().pattern(f"patterns.question.{name}")


def evidence_pattern(attribute: str) -> re.Pattern[str] | None:
    """What a passage stating ``attribute`` looks like (None: any passage may state it)."""
    if attribute not in ATTRIBUTES:
        return None
    return rules().pattern(f"patterns.evidence.{attribute}")


# Intents whose questions a figure attribute (a rate, a cap, a term, a count) is asked of.
_FIGURE_INTENTS = (
    Intent.SUBSIDY,
    Intent.LOAN,
    Intent.KPI,
    Intent.STATISTICS,
    Intent.PROGRAMME,
    Intent.CONTACT,  # 「KBICの入居期間は何年まで」: a desk's terms are asked too
)
_FIGURES = ("rate", "cap", "term", "count_cap", "count")


def applies(attribute: str, intent: Intent) -> bool:
    """Whether an attribute the question's words ask for is asked of a question of
    ``intent`` (and so must be in the answer)."""
    if attribute == "fee" and intent == Intent.BUDGET:
        return False  # 「運営にいくらお金かかった?」: a programme's cost is its budget
    return attribute not in _FIGURES or intent in _FIGURE_INTENTS


def has_evidence(attribute: str, texts: Iterable[str]) -> bool:
    pattern = evidence_pattern(attribute)
    if pattern is None:
        return True
    return any(pattern.search(nfkc(t)) for t in texts)


def _place_names(question: str) -> list[str]:
    """Place names (Sudachi's 固有名詞・地名: 横浜市, 世田谷区, 名古屋) in the question."""
    return sudachi_place_names(nfkc(question)[:500])


def _home(place: str, terms: CorpusTerms) -> bool:
    """The report's own city (its name read from the corpus)."""
    return bool(terms.city_stem) and place.startswith(terms.city_stem)


def other_places(question: str, terms: CorpusTerms = NO_TERMS) -> list[str]:
    """Governments other than the report's own city (``terms``) that the question names
    (other cities and prefectures, or the national government's schemes)."""
    # 町/村/区 also name districts and wards inside the city (水江町, 中原区): only cities,
    # prefectures and the nation count as another government.
    suffixes = tuple(rules().words("places.government_suffixes"))
    out = [p for p in _place_names(question) if not _home(p, terms) and p.endswith(suffixes)]
    if m := _pattern("national_scheme").search(nfkc(question)):
        out.append(m.group(1))  # the nation
    return out


def unknown_places(question: str, corpus_text: str, terms: CorpusTerms = NO_TERMS) -> list[str]:
    """Place names in the question that the report never mentions."""
    return [p for p in _place_names(question) if not _home(p, terms) and p not in corpus_text]


def named_terms(question: str) -> list[str]:
    """Compounds in the question that name a scheme or organisation (…資金, …協会)."""
    return [m.group(0) for m in _pattern("named_scheme").finditer(nfkc(question))]


def unknown_names(question: str, flat_corpus: str) -> list[str]:
    """Named schemes in the question (…資金, …補助金, …制度) that the report never mentions.

    ``flat_corpus`` is the report in comparison form (:func:`squash`).
    """
    flat = flat_corpus
    out = []
    for m in _pattern("named_scheme").finditer(nfkc(question)):
        name = m.group(0)
        # A name counts as known when the report has it, or its core without a generic prefix.
        if squash(name) not in flat and squash(name[1:]) not in flat:
            out.append(name)
    return out


def unknown_indicators(question: str, flat_corpus: str) -> list[str]:
    """Ratios the question names (…率) that the report never mentions: any percentage the
    report gives is about another indicator and must not stand in for the asked one."""
    # A scheme's own rates (補助率, 利率) are its terms, checked by the rate evidence.
    scheme_rates = tuple(rules().words("marks.scheme_rates"))
    return [
        m.group(0)
        for m in _pattern("indicator").finditer(nfkc(question))
        if squash(m.group(0)) not in flat_corpus and not m.group(0).endswith(scheme_rates)
    ]


def unknown_money(question: str, flat_corpus: str) -> list[str]:
    """Named sums (…金) the question asks about that the report never mentions: another
    amount in the report (a loan limit) is not that sum."""
    return [
        m.group(1)
        for m in _pattern("named_sum").finditer(nfkc(question))
        if squash(m.group(1)) not in flat_corpus
    ]


def unknown_counts(question: str, flat_corpus: str) -> list[str]:
    """Counts of things the report never mentions (廃業件数 when it only counts 倒産): the
    count it does give is of something else."""
    out = []
    for m in _pattern("counted_thing").finditer(nfkc(question)):
        # A new compound of known words (累積実施件数) is still about known things.
        words = [w.surface() for w in sudachi_tokenizer().tokenize(m.group(1))]
        if any(len(w) >= 2 and squash(w) not in flat_corpus for w in words):
            out.append(m.group(0))
    return out


def asked_breakdowns(question: str) -> tuple[str, ...]:
    """The breakdowns the question asks for (業種別), or the part it asks of one
    (製造業の事業所, そのうち製造業は)."""
    text = nfkc(question)
    return tuple(
        next(g for g in m.groups() if g)
        for name in ("breakdown", "subpopulation", "restriction")
        for m in _pattern(name).finditer(text)
    )


def breakdowns_missing(breakdowns: Sequence[str], texts: list[str]) -> list[str]:
    """The asked ``breakdowns`` that none of the on-topic ``texts`` gives."""
    flat = [squash(nfkc(t)) for t in texts]
    return [b for b in breakdowns if not any(squash(b) in t for t in flat)]


def unknown_breakdowns(question: str, texts: list[str]) -> list[str]:
    """Breakdowns the question asks for (業種別) that none of the on-topic ``texts`` gives."""
    return breakdowns_missing(asked_breakdowns(question), texts)


def unknown_titles(question: str, flat_corpus: str) -> list[str]:
    """Editions of events the report never names (another year's fair): the edition it
    does report is not the one asked about."""
    return [
        m["edition"]
        for m in _pattern("edition").finditer(nfkc(question))
        if squash(m["edition"]) not in flat_corpus
    ]


def asked_editions(question: str) -> tuple[str, ...]:
    """The editions of events the question names (見本市inかわさき2017)."""
    return tuple(m["edition"] for m in _pattern("edition").finditer(nfkc(question)))


def sibling_editions(editions: Sequence[str], text: str) -> list[str]:
    """Of the asked ``editions`` (…2017), those ``text`` does not speak of while it speaks
    of the same series in another year (…2016): a sibling edition's facts."""
    flat = squash(nfkc(text))
    out = []
    for edition in editions:
        year = _YEAR_SUFFIX.search(edition)
        if year is None:
            continue
        series = squash(edition[: year.start()])
        if squash(edition) in flat or series not in flat:
            continue
        if re.search(re.escape(series) + r"(?:19|20)\d{2}", flat):
            out.append(edition)
    return out


def other_editions(question: str, text: str) -> list[str]:
    """Editions the question names that ``text`` does not speak of while it speaks of the
    same series in another year (see :func:`sibling_editions`)."""
    return sibling_editions(asked_editions(question), text)
