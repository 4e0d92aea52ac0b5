"""Names the corpus itself defines, and what a query names: programmes, acronyms, articles.

Everything here is read from the records and chunk text (programme names from the
programme records, acronyms found in chunk text, article titles from the ordinance), so
next year's report brings its own vocabulary; nothing is listed by hand.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from index.normalize import lexical_form
from ingest import Chunk, Corpus

__all__ = ["NameIndex", "QueryTargets"]

# An acronym: ASCII letters/digits with at least two capitals (KOBS, KBIC, IoT).
_ACRONYM_RE = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9&]*[A-Z][A-Za-z0-9&]*(?![A-Za-z])")
# Generic endings of Japanese administrative programme names; a name without them is
# still specific (間接融資事業 → 間接融資).
_GENERIC_SUFFIXES = ("推進事業", "支援事業", "促進事業", "事業", "制度")
_ARTICLE_RE = re.compile(r"第(\d{1,3})条")
SUPPLEMENTARY_ARTICLE_NUMBER = 25  # Article.number of 附則 (see ingest.Article)
_MIN_STEM = 4
_ACRONYM_SHARE = 0.7  # share of an acronym's chunks that must belong to one programme


_T = TypeVar("_T")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", lexical_form(text)).lower()


@dataclass(frozen=True, slots=True)
class QueryTargets:
    """What a query names explicitly."""

    programmes: tuple[str, ...] = ()  # in order of last mention (the latest is the subject)
    articles: tuple[int, ...] = ()  # idem
    ordinance: bool = False  # asks about the ordinance (条例, 第N条, an article title)


@dataclass
class NameIndex:
    """Surface forms (normalised) → programme names / article numbers."""

    programme_aliases: dict[str, str] = field(default_factory=dict)
    article_titles: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_corpus(cls, corpus: Corpus | None, chunks: Sequence[Chunk]) -> NameIndex:
        names = {c.programme for c in chunks if c.programme}
        if corpus is not None:
            names |= {p.name for p in corpus.programmes}
        aliases: dict[str, str] = {}
        stems: dict[str, set[str]] = defaultdict(set)
        for name in names:
            aliases[_key(name)] = name
            for suffix in _GENERIC_SUFFIXES:
                stem = _key(name)
                if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
                    stems[stem[: -len(suffix)]].add(name)
                    break
        for stem, owners in stems.items():
            if len(owners) == 1 and stem not in aliases:
                aliases[stem] = next(iter(owners))
        for acronym, owner in _acronyms(chunks).items():
            aliases.setdefault(acronym.lower(), owner)
        titles: dict[str, int] = {}
        if corpus is not None:
            for article in corpus.articles:
                if len(article.title) >= _MIN_STEM and article.number not in (
                    0,
                    SUPPLEMENTARY_ARTICLE_NUMBER,
                ):
                    titles[_key(article.title)] = article.number
        return cls(aliases, titles)

    def analyze(self, query: str) -> QueryTargets:
        key = _key(query)
        matched = sorted(
            (alias for alias in self.programme_aliases if _contains(key, alias)),
            key=len,
            reverse=True,
        )
        kept: list[str] = []
        for alias in matched:  # a shorter alias inside a longer match names nothing new
            if not any(alias in longer for longer in kept):
                kept.append(alias)
        # Ordered by their last mention: in a conversation ("第14条は？ では第15条は？") the
        # latest reference is the subject, and the searcher ranks it first.
        programmes = _by_last_mention(
            key, [(key.rfind(alias), self.programme_aliases[alias]) for alias in kept]
        )
        found: list[tuple[int, int]] = [
            (m.start(), int(m.group(1))) for m in _ARTICLE_RE.finditer(key)
        ]
        found += [(key.rfind(t), n) for t, n in self.article_titles.items() if t in key]
        found += [
            (key.rfind(w), n) for w, n in (("前文", 0), ("附則", SUPPLEMENTARY_ARTICLE_NUMBER))
        ]
        articles = _by_last_mention(key, [(pos, n) for pos, n in found if pos >= 0])
        ordinance = bool(articles) or "条例" in key or "条文" in key
        return QueryTargets(programmes, articles, ordinance)


def _by_last_mention(key: str, mentions: list[tuple[int, _T]]) -> tuple[_T, ...]:
    last: dict[_T, int] = {}
    for pos, value in mentions:
        last[value] = max(pos, last.get(value, -1))
    return tuple(sorted(last, key=lambda v: last[v]))


def _contains(key: str, alias: str) -> bool:
    if not alias.isascii():
        return alias in key
    # an ASCII alias must stand alone: "ai" is not in "email"
    return re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", key) is not None


def _acronyms(chunks: Sequence[Chunk]) -> dict[str, str]:
    """Acronyms whose chunks belong mostly to one programme."""
    owners: dict[str, Counter[str | None]] = defaultdict(Counter)
    for chunk in chunks:
        for acronym in set(_ACRONYM_RE.findall(lexical_form(chunk.text))):
            owners[acronym][chunk.programme] += 1
    out: dict[str, str] = {}
    for acronym, counts in owners.items():
        owner, count = counts.most_common(1)[0]
        if owner is not None and count / sum(counts.values()) >= _ACRONYM_SHARE:
            out[acronym] = owner
    return out
