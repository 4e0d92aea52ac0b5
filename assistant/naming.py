"""Whether a fact, its quotes or the lines around them name what a question insists on
(bracketed names, acronyms, support menus, bracketed variants)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.citing import Citer, Fact
from assistant.evidence import has_evidence
from assistant.text import bigrams, nfkc, sentences, squash
from ingest import Corpus, Span

__all__ = ["NameMatcher"]

_NEAR_LINES = 3  # lines around a quote that still speak of the same item
_MENU_ALIAS_SHARE = 0.7
_NAME_SHARE = 0.75


class NameMatcher:
    """Checks that facts name what the question names (its salient names, read by the
    Understand stage: see :class:`assistant.report_names.ReportNames`)."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        self.corpus = corpus
        self.citer = citer

    def carries(self, facts: Sequence[Fact], attribute: str, named: Sequence[str]) -> bool:
        """One fact both names the asked entity and states the attribute: the value found
        must be the named menu's own, not a sibling's in the next sentence."""
        return any(
            self.names(f, named, near_lines=False) and has_evidence(attribute, [f.text])
            for f in facts
        )

    def names(self, fact: Fact, terms: Sequence[str], near_lines: bool = True) -> bool:
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
    def covers(facts: list[Fact], salient: Sequence[str], record_text: str = "") -> bool:
        """The facts, their quotes or ``record_text`` contain every salient name."""
        flat = squash(
            " ".join(f.text for f in facts)
            + " ".join(c.quote for f in facts for c in f.citations)
            + record_text
        )
        return all(squash(t) in flat for t in salient)
