"""Programme names, short forms and acronyms, derived from the corpus itself."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from assistant.catalogue import rules
from assistant.corpus_terms import CorpusTerms, corpus_terms
from assistant.text import nfkc, spread, squash
from ingest import Corpus, Programme

__all__ = ["AliasIndex"]

# Two capitals at least: H28 is a year, not a name.
_ACRONYM = re.compile(r"(?<![A-Za-z])([A-Z](?=[0-9]*[A-Z])[A-Z0-9]{2,9})(?![A-Za-z])")
_BRACKETED = re.compile(r"「([^「」]{3,30})」")
# A parenthesised note; read from the first of a run of openers, never re-split (linear).
_PARENTHESISED = re.compile(r"(?<![(（])[(（][^)）\n]*+[)）]")
_MIN_SHARED = 4  # characters of a name core a question must share for a fuzzy match
_CLEAR_OWNER = 1.5  # an acronym's owner uses it this many times as often as the next record
_DISTINCTIVE_RECORDS = 2  # a word in more programmes' records than this names none of them


@dataclass(frozen=True, slots=True)
class _Alias:
    key: str  # comparison form
    programme: str  # programme id
    exact: bool  # the full name (beats short forms)


def _programme_texts(programme: Programme, corpus: Corpus) -> list[str]:
    texts = [programme.name]
    for block in (programme.plan, *programme.activities):
        if block is not None:
            texts.append(block.text)
    texts.extend(c.name + (c.description or "") for c in programme.contacts)
    texts.extend(m.text for m in programme.support_menus)
    texts.extend(ch.text for ch in corpus.chunks if ch.programme in (programme.id, programme.name))
    return texts


def _short_forms(name: str, prefixes: tuple[str, ...]) -> set[str]:
    """The name, and its core without a generic start (the city's name, 市内) and end (事業)."""
    forms = {name}
    core = name
    for prefix in prefixes:
        if core.startswith(prefix) and len(core) > len(prefix) + 3:
            core = core[len(prefix) :]
    for suffix in rules().words("names.generic_suffixes"):
        if core.endswith(suffix) and len(core) > len(suffix) + 3:
            core = core[: -len(suffix)]
            break
    forms.add(core)
    forms.add(_PARENTHESISED.sub("", core))
    return {f for f in forms if len(squash(f)) >= 3}


class AliasIndex:
    """Finds programmes named in a question: full names, short forms, acronyms, 「names」."""

    def __init__(self, corpus: Corpus, terms: CorpusTerms | None = None) -> None:
        terms = terms or corpus_terms(corpus)
        # Name starts that name no programme: the city's name (as written and in kana), 市内.
        prefixes = tuple(w for w in (terms.city, terms.city_kana) if w)
        prefixes += tuple(rules().words("names.generic_prefixes"))
        self._stop_cores = rules().words("stopwords.name_cores").as_set | {terms.city} - {""}
        self._katakana = rules().pattern("patterns.names.katakana")
        self.names = {p.id: p.name for p in corpus.programmes}
        # Support-menu names, whole and without their bracketed variant ("小規模事業資金(ミニ)",
        # "小規模事業資金"): a question naming a product is not describing the asker's business.
        menu_forms = {
            form
            for p in corpus.programmes
            for m in p.support_menus
            for form in (nfkc(m.name), re.split(r"[(（]", nfkc(m.name))[0])
            if len(form) >= 3
        }
        self.menu_names = tuple(sorted(menu_forms, key=len, reverse=True))
        aliases: dict[str, _Alias] = {}
        for programme in corpus.programmes:
            for form in _short_forms(nfkc(programme.name), prefixes):
                key = squash(form)
                exact = form == nfkc(programme.name)
                if key not in aliases or (exact and not aliases[key].exact):
                    aliases[key] = _Alias(key, programme.id, exact)
        # An acronym or a 「bracketed name」 belongs to the programme whose record uses it most.
        owners: dict[str, Counter[str]] = defaultdict(Counter)
        for programme in corpus.programmes:
            for text in _programme_texts(programme, corpus):
                norm = nfkc(text)
                for token in _ACRONYM.findall(norm) + _BRACKETED.findall(norm):
                    owners[squash(token)][programme.id] += 1
        # Each passage in comparison form, with the id of the programme it belongs to (chunks
        # name it by id or by name; None: a section).
        ids = {p.name: p.id for p in corpus.programmes} | {p.id: p.id for p in corpus.programmes}
        passages = [(ids.get(ch.programme or ""), squash(nfkc(ch.text))) for ch in corpus.chunks]
        for key, counts in owners.items():
            # A generic word someone bracketed (「産業振興」) names no programme in particular,
            # nor does one several records use about as often (NPO: 7 and 6 uses), nor one
            # the rest of the report uses more than its record (「新技術」, the council a
            # programme reports to, a centre another programme runs).
            top = counts.most_common(2)
            owned = len(top) == 1 or top[0][1] >= _CLEAR_OWNER * top[1][1]
            mine = sum(text.count(key) for owner, text in passages if owner == top[0][0])
            others = sum(text.count(key) for owner, text in passages if owner != top[0][0])
            owned = owned and others <= mine
            if key not in aliases and len(key) >= 3 and key not in self._stop_cores and owned:
                aliases[key] = _Alias(key, top[0][0], False)
        self._aliases = sorted(aliases.values(), key=lambda a: -len(a.key))
        self._texts = {
            p.id: squash(" ".join(_programme_texts(p, corpus))) for p in corpus.programmes
        }
        self._cores = {
            p.id: squash(next(iter(sorted(_short_forms(nfkc(p.name), prefixes), key=len))))
            for p in corpus.programmes
        }

    def aliases_of(self, programme_id: str) -> list[str]:
        return [a.key for a in self._aliases if a.programme == programme_id]

    def find(self, question: str) -> list[str]:
        """Programme ids named in the question, longest match first, without overlaps."""
        text = squash(question)
        found: list[str] = []
        taken = [False] * len(text)
        for alias in self._aliases:
            start = text.find(alias.key)
            while start >= 0:
                end = start + len(alias.key)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * (end - start)
                    if alias.programme not in found:
                        found.append(alias.programme)
                start = text.find(alias.key, end)
        fuzzy = self._fuzzy(text)
        if found and not (fuzzy and self._shorter_than_fuzzy(text, found, fuzzy)):
            return found
        return fuzzy

    def _shorter_than_fuzzy(self, text: str, found: list[str], fuzzy: list[str]) -> bool:
        """Only short inexact aliases matched, while a programme name shares a longer piece
        (「産業振興財団」 names …財団運営費等補助事業 better than a bracketed 「…財団」)."""
        matched = [a for a in self._aliases if a.programme in found and a.key in text]
        if any(a.exact for a in matched) or not matched:
            return False
        longest = max(len(a.key) for a in matched)
        shared = max(len(_longest_shared(self._cores[p], text)) for p in fuzzy)
        return shared > longest

    def _common(self, word: str) -> bool:
        return spread(word, self._texts.values()) > _DISTINCTIVE_RECORDS

    def _fuzzy(self, text: str) -> list[str]:
        """A long shared substring of a name core (e.g. 販路開拓 → …販路開拓支援事業)."""
        scored: list[tuple[int, str]] = []
        for pid, core in self._cores.items():
            best = _longest_shared(core, text)
            # A loanword alone names a programme only if few records use it (マイコンシティ);
            # a common one (ネットワーク) is just a noun.
            if self._katakana.fullmatch(best) and best != core and self._common(best):
                continue
            if len(best) >= _MIN_SHARED and best not in self._stop_cores:
                scored.append((len(best), pid))
        if not scored:
            return []
        top = max(s for s, _ in scored)
        tied = [pid for s, pid in scored if s == top]
        # A piece several names share (ものづくり) names none of them: retrieval decides.
        return tied if len(tied) == 1 else []


def _longest_shared(a: str, b: str) -> str:
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best
