"""Business profile: what the asker says about their business (industry, size, years).

The cue words and patterns are the catalogue's (``cues.industry.*``, ``cues.profile.*``,
``patterns.profile.*``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.catalogue import rules
from assistant.corpus_terms import NO_TERMS, CorpusTerms

__all__ = ["INDUSTRIES", "Profile", "industries_named", "names_a_need", "read_profile"]

# The industries an asker may name, in the order a question's first one is chosen.
INDUSTRIES = (
    *("manufacturing", "retail", "food", "construction", "agriculture", "welfare", "it"),
    "service",
)


def industries_named(text: str) -> set[str]:
    """The industries a text is about (「中小製造業者」 → manufacturing)."""
    catalogue = rules()
    return {i for i in INDUSTRIES if catalogue.words(f"cues.industry.{i}").found_in(text)}


def names_a_need(words: Iterable[str]) -> bool:
    """Whether the question's content ``words`` say what the money is for
    (プライバシーマークを取りたい), beyond who the asker is and that they want support."""
    plain = rules().words("stopwords.plain_ask").as_set
    return any(w not in plain and not industries_named(w) for w in words)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the asker says about their business."""

    industry: str | None = None
    employees: int | None = None
    years_in_city: int | None = None
    npo: bool = False
    sole_proprietor: bool = False
    small: bool = False

    def merged(self, newer: Profile) -> Profile:
        return Profile(
            newer.industry or self.industry,
            newer.employees if newer.employees is not None else self.employees,
            newer.years_in_city if newer.years_in_city is not None else self.years_in_city,
            newer.npo or self.npo,
            newer.sole_proprietor or self.sole_proprietor,
            newer.small or self.small,
        )

    @property
    def empty(self) -> bool:
        return self == Profile()


def read_profile(text: str, terms: CorpusTerms = NO_TERMS) -> Profile:
    """The profile a question states (programme and menu names already removed); ``terms``
    names the report's city (years in business there)."""
    catalogue = rules()
    industry = next(
        (i for i in INDUSTRIES if catalogue.words(f"cues.industry.{i}").found_in(text)), None
    )
    employees = None
    if m := catalogue.pattern("patterns.profile.employees").search(text):
        employees = int(m.group(1) or m.group(2))
    years_in = catalogue.pattern("patterns.profile.years_in_city", **terms.slots)
    years = int(m.group(1)) if (m := years_in.search(text)) else None
    sole = catalogue.words("cues.profile.sole_proprietor").found_in(text)
    npo = catalogue.words("cues.profile.npo").found_in(text.upper())
    small = catalogue.words("cues.profile.small").found_in(text)
    return Profile(industry, employees, years, npo, sole, small)
