"""What a question asks for (a figure, an amount, a rate, a date, an organisation, a name, a
place) and the patterns that find that kind of value in a sentence.

The words and patterns are the catalogue's: ``cues.value.<kind>`` ask for a kind of value,
``patterns.value.<kind>`` find it, ``cues.value_explicit.<kind>`` ask for nothing else."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.text import nfkc, numbers_in
from ingest import sudachi_country_names

__all__ = [
    "ask_cues",
    "asked_counters",
    "asked_kinds",
    "asked_value",
    "counted_in",
    "explicit_kinds",
    "figure_pattern",
    "given_numbers",
    "has_value",
    "missing_kind",
    "missing_value",
    "uncounted",
    "value_kinds",
]

# The kinds of value, in the order a question's ask is looked for.
_KINDS = (
    *("amount", "rate", "people", "figure", "duration", "date", "company", "organisation"),
    *("name", "place"),
)
# Kinds the Rank stage weighs but a passage need not hold: a facility is often described
# before it is named, so a sentence without the name still speaks to the ask.
_SOFT = frozenset({"name"})
# Kinds an answer must hold when asked for explicitly (checked in this order).
_EXPLICIT = ("amount", "rate", "people", "figure", "date", "duration", "country")
# Kinds a pattern cannot find: the tokenizer's dictionary knows their values.
_BY_DICTIONARY = {"country": sudachi_country_names}
_DICTIONARY_CHARS = 2000  # of a fact read by the tokenizer
_QUALIFIER = re.compile(r"(?<![(（])[(（][^)）]*+[)）]")


def figure_pattern() -> re.Pattern[str]:
    """A figure that answers "how many" (a number with a counter or unit)."""
    return rules().pattern("patterns.value.figure")


def _cues(kind: str) -> tuple[str, ...]:
    return rules().words(f"cues.value.{kind}").words


def _explicit(kind: str) -> tuple[str, ...]:
    # A span of time is only ever asked explicitly.
    name = "cues.value.duration" if kind == "duration" else f"cues.value_explicit.{kind}"
    return rules().words(name).words


def ask_cues() -> str:
    """Every word that asks for a kind of value (何割, いつ, 何人…), for telling a question's
    topic from its ask; a name's cues stay topic words (「…サイトはある?」 is about a site)."""
    return " ".join(c for kind in _KINDS if kind not in _SOFT for c in _cues(kind))


def has_value(pattern: re.Pattern[str], text: str, given: set[str]) -> bool:
    """The text holds the asked kind of value, other than a number the question gave."""
    for m in pattern.finditer(text):
        numbers = set(numbers_in(m.group(0)))
        if not numbers or not numbers <= given:
            return True
    return False


def asked_value(
    question: str, terms: CorpusTerms = NO_TERMS, soft: bool = False
) -> tuple[str, re.Pattern[str]] | None:
    """The kind of value the question asks for and a pattern that finds it, if any
    (``terms``: the corpus's city, for local organisation names). ``soft``: with the kinds
    a passage need not hold (a name), for cutting a chosen fact around its value."""
    names = tuple(k for k in asked_kinds(question) if soft or k not in _SOFT)
    if not names:
        return None
    # 「誰が整備していつ開く?」 asks two things: a sentence holding either helps.
    return names[0], _union(names, tuple(sorted(terms.slots.items())))


def _asking(question: str) -> str:
    """The question as its asks are read: a bracketed qualifier (負債総額1,000万円以上) names
    the subject, and an indefinite count (何店舗かやってる) tells of the asker; neither asks."""
    text = _QUALIFIER.sub("", nfkc(question))
    return rules().pattern("patterns.question.indefinite_count").sub("", text)


def asked_kinds(question: str) -> tuple[str, ...]:
    """Every kind of value the question asks for, in the order they are tried."""
    text = _asking(question)
    names = tuple(k for k in _KINDS if any(c in text for c in _cues(k)))
    if "duration" in names and rules().pattern("patterns.question.cost_ask").search(text):
        names = tuple(n for n in names if n != "duration")  # 「費用はどのくらいかかる」
    if "people" in names or "duration" in names:
        names = tuple(n for n in names if n != "figure")  # the specific kind, not any figure
    return names


def _pattern(kind: str, slots: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return rules().pattern(f"patterns.value.{kind}", **dict(slots))


@lru_cache(maxsize=64)
def _union(names: tuple[str, ...], slots: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    if len(names) == 1:
        return _pattern(names[0], slots)
    return re.compile("|".join(f"(?:{_pattern(n, slots).pattern})" for n in names))


def value_kinds(text: str, terms: CorpusTerms = NO_TERMS) -> frozenset[str]:
    """The kinds of value ``text`` holds (an amount, a rate, a date, an organisation…)."""
    return _kinds_in(nfkc(text), tuple(sorted(terms.slots.items())))


@lru_cache(maxsize=65536)
def _kinds_in(text: str, slots: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(k for k in _KINDS if _pattern(k, slots).search(text))


def explicit_kinds(question: str) -> tuple[str, ...]:
    """The kinds of value the question asks for explicitly, in the order they are checked."""
    text = _asking(question)
    cost = rules().pattern("patterns.question.cost_ask").search(text)
    return tuple(
        name
        for name in _EXPLICIT
        if not (name == "duration" and cost) and any(c in text for c in _explicit(name))
    )


def given_numbers(question: str) -> tuple[str, ...]:
    """The numbers the question itself gives (a value it states is no answer to it)."""
    return tuple(numbers_in(_QUALIFIER.sub("", nfkc(question))))


def _one_counter(found: Sequence[str]) -> frozenset[str]:
    """One counter, however it is written (250名 answers 何人)."""
    same = rules().table("counters.same")
    return frozenset(same.get(c, c) for c in found)


def asked_counters(question: str) -> tuple[str, ...]:
    """The counters the question counts in (何件 → 件, 何人 → 人)."""
    found = rules().pattern("patterns.question.counted_unit").findall(_asking(question))
    return tuple(sorted(_one_counter(found)))


@lru_cache(maxsize=65536)
def counted_in(text: str) -> frozenset[str]:
    """The counters ``text`` has figures in (4回, 250名 → 回, 人)."""
    return _one_counter(rules().pattern("patterns.fact.counted_figure").findall(nfkc(text)))


def uncounted(counters: Sequence[str], texts: Sequence[str]) -> bool:
    """The question counts things or people (何件, 何社, 何回) and none of ``texts`` has a
    figure in that counter or one counted alike: 179名 tells no 何件. Rates, dates and spans
    (何割, 何日) are kinds of their own, checked as such."""
    things = set(rules().words("counters.of_things").words)
    alike = rules().table("counters.counted_alike")
    wanted = {c for c in counters if c in things}
    wanted |= {alike[c] for c in wanted if c in alike}
    if not wanted:
        return False
    return not any(wanted & _near_figures(nfkc(t)) for t in texts)


@lru_cache(maxsize=65536)
def _near_figures(text: str) -> frozenset[str]:
    """The counters a figure of ``text`` is counted in, written after it or labelling it."""
    # Two searches: a labelling counter may end where the next figure's counter starts.
    after = rules().pattern("patterns.fact.figure_in_counter").findall(text)
    before = rules().pattern("patterns.fact.counter_labelling").findall(text)
    return _one_counter([*after, *before])


def missing_kind(kinds: Sequence[str], given: Sequence[str], texts: list[str]) -> str | None:
    """The first of the explicitly asked ``kinds`` that none of ``texts`` holds (a number
    in ``given``, the question's own, does not count)."""
    not_a_level = rules().pattern("patterns.question.not_a_level")
    numbers = set(given)
    slots: tuple[tuple[str, str], ...] = ()  # no explicit kind names a corpus term
    for name in kinds:
        if name in _BY_DICTIONARY:
            if not any(_BY_DICTIONARY[name](nfkc(t)[:_DICTIONARY_CHARS]) for t in texts):
                return name
            continue
        pattern = _pattern(name, slots)
        if not any(has_value(pattern, not_a_level.sub("", nfkc(t)), numbers) for t in texts):
            return name
    return None


def missing_value(question: str, texts: list[str]) -> str | None:
    """The kind of value the question explicitly asks for that none of ``texts`` holds."""
    return missing_kind(explicit_kinds(question), given_numbers(question), texts)
