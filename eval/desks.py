"""Which organisations and desks an answer names, and whether its gold programme owns them.

The vocabulary is every contact the ingested records hold (``Programme.contacts``), so a
desk is found the same way in every answer: no per-question list. Each contact is known by
its printed name and a few derived spellings (without the parenthesised part, the
parenthesised short name alone — "KOBS" —, without a leading legal form or place name —
"産業振興財団"). Longer names win over the names they contain ("川崎駅広域商店街連合会"
is not also "商店街連合会").

A named desk is right for an item when the item's gold programme lists it as a contact or
its own record names it — the implementing body, a partner, a facility in its column: every
text :func:`eval.gold_facts.unit_text` gives for the programme. So the gold answer itself
never names a wrong desk, and a wrong desk is one the programme's record never mentions.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from eval.gold_schema import GoldSource, unit_text
from ingest import Corpus, Programme

__all__ = ["DeskCheck", "DeskDirectory", "desk_aliases", "place_stems"]

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"\(([^()]*)\)")
_LEGAL_FORM = re.compile(
    r"^(?:公益|一般)?(?:財団|社団)法人|^(?:特定非営利活動|NPO|社会福祉|学校)法人|^株式会社|^\(株\)",
    re.IGNORECASE,
)
# A leading prefecture or city name ("川崎市", "神奈川県"): the desk is often named without it.
_PLACE = re.compile(r"^[\u3005\u4e00-\u9fffぁ-んァ-ヶー]{1,3}?[都道府県市]")
_PLACE_SUFFIX = "都道府県市"
# Derived spellings shorter than this are too generic to mean one desk ("協議会").
_MIN_ALIAS = 4


def _norm(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def place_stems(names: Iterable[str]) -> set[str]:
    """Leading place names of ``names`` with and without 市/県 ("川崎市" and "川崎")."""
    out: set[str] = set()
    for name in names:
        match = _PLACE.match(_LEGAL_FORM.sub("", _norm(name)))
        if match:
            out.update((match.group(0), match.group(0)[:-1]))
    return out


def desk_aliases(name: str, places: Iterable[str] = ()) -> set[str]:
    """The normalised spellings under which an answer names the contact ``name``.

    ``places`` are place names a desk may be named without ("川崎" of "川崎商工会議所"),
    read from the contact names themselves (:func:`place_stems`).
    """
    full = _norm(name)
    derived = {_PAREN.sub("", full)}
    derived.update(inner for inner in _PAREN.findall(full) if not inner.isdigit())
    for alias in list(derived):
        plain = _LEGAL_FORM.sub("", alias)
        derived.update((plain, _PLACE.sub("", plain)))
        derived.update(plain[len(p) :] for p in places if plain.startswith(p))
    return {full} | {a for a in derived if len(a) >= _MIN_ALIAS and a[0] not in _PLACE_SUFFIX}


@dataclass(frozen=True, slots=True)
class DeskCheck:
    """The desks an answer names (canonical names, first mention first) and the wrong ones."""

    named: tuple[str, ...]
    wrong: tuple[str, ...]

    @property
    def precision(self) -> float | None:
        """Right named desks / named desks; None when the answer names none."""
        if not self.named:
            return None
        return (len(self.named) - len(self.wrong)) / len(self.named)


class DeskDirectory:
    """Every contact in the records, and which ones each programme owns."""

    def __init__(
        self, programmes: Sequence[Programme], records: Mapping[str, str] | None = None
    ) -> None:
        """``records``: programme name → all its text (default: its name and plan)."""
        places = place_stems(c.name for p in programmes for c in p.contacts)
        owners: dict[str, set[str]] = {}
        for p in programmes:
            for contact in p.contacts:
                for alias in desk_aliases(contact.name, places):
                    owners.setdefault(alias, set()).add(contact.name)
        # A derived spelling shared by two contacts names neither; a full name always counts.
        self._alias: dict[str, str] = {}
        for alias, names in owners.items():
            exact = [n for n in names if _norm(n) == alias]
            if exact or len(names) == 1:
                self._alias[alias] = exact[0] if exact else next(iter(names))
        # Longest first, so a name is taken before the shorter names inside it.
        self._ordered = sorted(self._alias, key=lambda a: (-len(a), a))
        self._own: dict[str, set[str]] = {}
        for p in programmes:
            own = self._own.setdefault(_norm(p.name), set())
            own.update(c.name for c in p.contacts)
            record = (records or {}).get(p.name)
            if record is None:
                record = "\n".join((p.name, p.plan.text if p.plan else ""))
            own.update(self.named(record))

    @classmethod
    def from_corpus(cls, corpus: Corpus) -> DeskDirectory:
        """Contacts and record texts (fields and tagged chunks) of every programme."""
        records = {
            p.name: unit_text(corpus, GoldSource(programme=p.name)) or p.name
            for p in corpus.programmes
        }
        return cls(corpus.programmes, records)

    @property
    def names(self) -> set[str]:
        """The canonical names of every known desk."""
        return set(self._alias.values())

    def named(self, text: str) -> list[str]:
        """Canonical names of the desks ``text`` names, in order of first mention."""
        haystack = _norm(text)
        taken = [False] * len(haystack)
        found: list[tuple[int, str]] = []
        for alias in self._ordered:
            start = haystack.find(alias)
            while start >= 0:
                end = start + len(alias)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(alias)
                    found.append((start, self._alias[alias]))
                start = haystack.find(alias, start + 1)
        out: list[str] = []
        for _, name in sorted(found):
            if name not in out:
                out.append(name)
        return out

    def owned_by(self, programme_names: Iterable[str]) -> set[str] | None:
        """Desks the named programmes own; None when none of them is in the records."""
        known = [self._own[n] for n in map(_norm, programme_names) if n in self._own]
        return set().union(*known) if known else None

    def check(self, text: str, sources: Sequence[GoldSource]) -> DeskCheck | None:
        """The desks ``text`` names against the gold programmes' own; None when not judged.

        Items whose sources name no programme (or only programmes missing from the records)
        have no desk to compare with.
        """
        programmes = [s.programme for s in sources if s.programme is not None]
        allowed = self.owned_by(programmes)
        if allowed is None:
            if programmes:
                log.warning("gold programmes %s are not in the records", programmes)
            return None
        named = self.named(text)
        return DeskCheck(tuple(named), tuple(n for n in named if n not in allowed))
