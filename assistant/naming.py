"""Names a question insists on (bracketed names, acronyms, support menus, bracketed variants)
and whether a fact, its quotes or the lines around them name them."""

from __future__ import annotations

import re
from collections import Counter

from assistant.catalogue import rules
from assistant.citing import Citer, Fact
from assistant.evidence import named_terms
from assistant.records import menu_name_parts
from assistant.text import bigrams, nfkc, sentences, squash
from ingest import Corpus, Span

__all__ = ["MIN_MENU_NAME", "NameMatcher"]

_NEAR_LINES = 3  # lines around a quote that still speak of the same item
MIN_MENU_NAME = 3
_MENU_ALIAS_SHARE = 0.7
_NAME_SHARE = 0.75


class NameMatcher:
    """The report's vocabulary of names, and checks that facts name what the question names."""

    def __init__(self, corpus: Corpus, citer: Citer, corpus_text: str) -> None:
        self.corpus = corpus
        self.citer = citer
        self.corpus_text = nfkc(corpus_text)
        self.flat_corpus = squash(corpus_text)
        # Variants the report sets off in brackets after a name: 小規模事業資金（小口サポート型）.
        # Only names mostly seen in brackets: (川崎市) is a common word, not a variant.
        variant = rules().pattern("patterns.report.bracketed_variant")
        bracketed = Counter(squash(m.group(1)) for m in variant.finditer(self.corpus_text))
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

    def salient(self, question: str) -> list[str]:
        """Names the question insists on: bracketed names and acronyms the report uses.

        Digits are left out: a gap label must never echo a number the quotes lack.
        """
        text = nfkc(question)
        tokens = re.findall(r"[「(]([^」)]{3,20})[」)]", text)
        tokens += re.findall(r"[A-Za-z][A-Za-z0-9]{1,}", text)
        tokens += named_terms(text)
        flat_question = squash(text)
        tokens += [n for n in self.menu_names if n in flat_question]
        tokens += [n for n in self.variant_names if n in flat_question]
        return [
            t
            for t in dict.fromkeys(tokens)
            if not re.search(r"\d", t) and squash(t) in self.flat_corpus
        ]

    def names(self, fact: Fact, terms: list[str], near_lines: bool = True) -> bool:
        """The fact, its quotes or (with ``near_lines``) the lines right around them name
        every term."""
        if self.covers([fact], terms):
            return True
        said = bigrams(fact.text)
        if all(len(bigrams(t) & said) >= _NAME_SHARE * len(bigrams(t)) for t in terms):
            return True  # named with small variations (「…機器利用の促進…補助金」)
        if not near_lines:
            return fact.record is not None and all(self._aliases_menu(fact, t) for t in terms)
        source = self.citer.quoter.source
        near = " ".join(
            source.text(Span(max(1, c.lines.first - _NEAR_LINES), c.lines.last + _NEAR_LINES))
            for c in fact.citations
        )
        if all(squash(t) in squash(near) for t in terms):
            return True
        return fact.record is not None and all(self._aliases_menu(fact, t) for t in terms)

    def _aliases_menu(self, fact: Fact, term: str) -> bool:
        """A record sentence gives the term as another name of the fact's menu
        (「展示会出展料の補助⇒がんばる…補助金」)."""
        menu = bigrams(fact.text.split("（", 1)[0])
        if not menu:
            return False
        for chunk in self.corpus.chunks:
            if chunk.programme != fact.record:
                continue
            for sentence in sentences(nfkc(chunk.text)):
                if squash(term) in squash(sentence) and (
                    len(menu & bigrams(sentence)) >= _MENU_ALIAS_SHARE * len(menu)
                ):
                    return True
        return False

    def record_text(self, facts: list[Fact]) -> str:
        """All chunk text of the programmes the facts cite (a fact speaks for its record)."""
        cited = {f.record for f in facts if f.record}
        return " ".join(ch.text for ch in self.corpus.chunks if ch.programme in cited)

    @staticmethod
    def covers(facts: list[Fact], salient: list[str], record_text: str = "") -> bool:
        """The facts, their quotes or ``record_text`` contain every salient name."""
        flat = squash(
            " ".join(f.text for f in facts)
            + " ".join(c.quote for f in facts for c in f.citations)
            + record_text
        )
        return all(squash(t) in flat for t in salient)
