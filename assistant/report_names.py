"""The report's names a question may call on (bracketed names, acronyms, support menus,
bracketed variants, desks), read from the question once by the Understand stage."""

from __future__ import annotations

import re
from collections import Counter

from assistant.catalogue import rules
from assistant.evidence import named_terms
from assistant.text import final_clause, nfkc, spread, squash
from ingest import Corpus, sudachi_place_names

__all__ = ["MIN_MENU_NAME", "ReportNames", "menu_name_parts"]

MIN_MENU_NAME = 3
# A scheme word (…制度, …資金) the records of this many programmes and sections use is a
# generic word (融資制度), not the name of one scheme a question insists on.
SHARED_SCHEME_WORD = 4


def menu_name_parts(name: str) -> list[str]:
    """The distinctive bracketed part of a product name, e.g. ミニ in 小規模事業資金(ミニ)."""
    parts = re.findall(r"(?<![(（])[(（]([^)）]++)[)）]", nfkc(name))  # linear: runs read once
    return [squash(p) for p in parts]


class ReportNames:
    """The report's vocabulary of names, and which of them a question uses."""

    def __init__(self, corpus: Corpus, corpus_text: str, home: str = "") -> None:
        """``home``: the report's city (its stem): its name qualifies nothing."""
        self.home = home or "\0"
        corpus_text = nfkc(corpus_text)
        self.flat_corpus = squash(corpus_text)
        # Variants the report sets off in brackets after a name: 小規模事業資金（小口サポート型）.
        # Only names mostly seen in brackets: (川崎市) is a common word, not a variant.
        variant = rules().pattern("patterns.report.bracketed_variant")
        bracketed = Counter(squash(m.group(1)) for m in variant.finditer(corpus_text))
        self.variant_names = {
            name
            for name, count in bracketed.items()
            if re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]", name)
            and self.flat_corpus.count(name) <= 2 * count
        }
        # Support menus' names and their distinctive bracketed parts (小口サポート型).
        self.menu_names = sorted(
            {
                n
                for p in corpus.programmes
                for m in p.support_menus
                for n in (squash(m.name), *menu_name_parts(m.name))
                if len(n) >= MIN_MENU_NAME
            },
            key=len,
            reverse=True,
        )
        topics: dict[str, list[str]] = {}
        for chunk in corpus.chunks:
            key = chunk.programme or chunk.section or str(chunk.article or chunk.id)
            topics.setdefault(key, []).append(squash(nfkc(chunk.text)))
        self._topic_texts = ["\n".join(texts) for texts in topics.values()]
        self.contact_names = {
            squash(c.name)
            for p in corpus.programmes
            for c in p.contacts
            if len(squash(c.name)) >= MIN_MENU_NAME
        }

    def salient(self, question: str) -> tuple[str, ...]:
        """Names the question insists on: bracketed names and acronyms the report uses.

        Digits are left out: a gap label must never echo a number the quotes lack.
        """
        text = nfkc(question)
        tokens = re.findall(r"[「(]([^」)]{3,20})[」)]", text)
        # Three letters at least: two (IT, PR, AI) abbreviate a field, they name nothing.
        tokens += re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", text)
        tokens += [t for t in named_terms(text) if not self._shared(t)]
        flat_question = squash(text)
        tokens += [n for n in self.menu_names if n in flat_question]
        tokens += [n for n in self.variant_names if n in flat_question]
        # A place in the ask itself qualifies it (南黒川地区の立地企業数); one said before it is
        # the asker's context (本社は東京で、…): the ask comes last in Japanese.
        ask = final_clause(text)
        tokens += [n for n in sudachi_place_names(ask[:200]) if not n.startswith(self.home)]
        return tuple(
            t
            for t in dict.fromkeys(tokens)
            if not re.search(r"\d", t) and squash(t) in self.flat_corpus
        )

    def _shared(self, term: str) -> bool:
        return spread(squash(term), self._topic_texts) >= SHARED_SCHEME_WORD

    def schemes(self, question: str, salient: tuple[str, ...]) -> tuple[str, ...]:
        """Of the ``salient`` names, those naming a scheme, an organisation, a support menu
        or a bracketed variant: what is asked of them must be their own."""
        terms = named_terms(question)
        return tuple(
            t for t in salient if t in terms or t in self.menu_names or t in self.variant_names
        )

    def contacts(self, question: str) -> tuple[str, ...]:
        """The desks the question calls by name (comparison form)."""
        flat = squash(nfkc(question))
        return tuple(sorted(n for n in self.contact_names if n in flat))
