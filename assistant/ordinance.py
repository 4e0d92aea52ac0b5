"""Ordinance answers: the article a question is about, and its relevant provisions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.catalogue import rules
from assistant.citing import Citer, Fact, supported
from assistant.entities import article_numbers
from assistant.models import Citation
from assistant.phrases import phrase
from assistant.text import bigrams, nfkc
from assistant.understanding import Query
from index import Hit
from ingest import Article, ArticleItem, Corpus

__all__ = ["ArticleFacts"]

_SHORT_ARTICLE = 260
_EXACT_QUOTE_LINES = 40
# Points per unit of cosine an article's closest provision is below the closest of all:
# 0.01 of cosine weighs like two shared rare bigrams (tuned on the development sets).
_SEMANTIC_WEIGHT = 200.0


def _noise() -> frozenset[str]:
    """Bigrams of the wording every ordinance question shares."""
    return bigrams(rules().text("stopwords.bigrams.ordinance"))


def _defines(item: ArticleItem, terms: Sequence[str]) -> bool:
    """The item defines one of ``terms`` (a definitions item starts with its term)."""
    return any(nfkc(item.text).startswith(t) for t in terms)


class ArticleFacts:
    """Finds articles by number, title or content and quotes the provisions that matter."""

    def __init__(
        self,
        corpus: Corpus,
        citer: Citer,
        relevance: Callable[[str, str], float] | None = None,
        ordinance_names: Sequence[str] = (),
    ) -> None:
        self.citer = citer
        # The ordinance's own name (…成長戦略に関する条例) shares words with many provisions
        # and says which of them is asked about no more than 条例 does; longest first.
        self.ordinance_names = sorted(ordinance_names, key=len, reverse=True)
        self.articles = {a.number: a for a in corpus.articles}
        # 前文 and 附則 have no 第N条: they are named by their label.
        self.unnumbered = {nfkc(a.label): a.number for a in corpus.articles if not a.numbered}
        # Weighted topic overlap (rare bigrams and Sudachi content words count more), so a
        # paraphrase (お互いに協力 → 相互の連携) meets the provision; plain bigrams without it.
        self.relevance = relevance
        # Meaning-level closeness (the index's embedder), when the searcher offers it.
        self.similarity: Callable[[str, Sequence[str]], list[float]] | None = None

    def provisions(self) -> list[tuple[int, str]]:
        """(article number, text) of every title, paragraph, item and preamble sentence."""
        units: list[tuple[int, str]] = []
        for article in self.articles.values():
            units.append((article.number, nfkc(article.title)))
            for para in article.paragraphs:
                if article.number == 0:
                    units.extend((0, s + "。") for s in nfkc(para.text).split("。") if s)
                    continue
                units.append((article.number, nfkc(para.text)))
                units.extend((article.number, nfkc(i.text)) for i in para.items)
        return units

    def _closeness(self, question: str) -> dict[int, float]:
        """Per article, how far its closest provision is below the closest of all (≤ 0)."""
        if self.similarity is None:
            return {}
        units = self.provisions()
        scores = self.similarity(nfkc(question), [text for _, text in units])
        best: dict[int, float] = {}
        for (number, _), score in zip(units, scores, strict=True):
            best[number] = max(best.get(number, -1.0), score)
        top = max(best.values(), default=0.0)
        return {number: score - top for number, score in best.items()}

    def best(self, query: Query, hits: list[Hit]) -> list[Article]:
        if query.articles:
            return [self.articles[n] for n in query.articles if n in self.articles]
        defining = self._defining(query)
        if query.topic[:1] == ("article",) and (certain := int(query.topic[1])) in self.articles:
            # The Topics stage is all but certain of it (see turns.certain_article).
            return [*defining, *(a for a in [self.articles[certain]] if a not in defining)]
        text, latest = self._unnamed(query.text), self._unnamed(query.latest)
        q = bigrams(text) - _noise()
        ranks = {h.chunk.article: h.rank for h in hits if h.chunk.article is not None}
        closeness = self._closeness(latest)
        scored: list[tuple[float, Article]] = []
        for article in self.articles.values():
            units = [p.text for p in article.paragraphs] + [
                i.text for p in article.paragraphs for i in p.items
            ]
            if self.relevance is not None:
                best_unit = max((self.relevance(text, u) for u in units), default=0.0)
            else:
                best_unit = max((len(q & bigrams(u)) for u in units), default=0)
            score = 3 * len(q & bigrams(article.title)) + best_unit
            if article.number in ranks:
                score += max(0, 4 - ranks[article.number])
            # Casual wording shares few words with the provision that answers it.
            score += _SEMANTIC_WEIGHT * closeness.get(article.number, 0.0)
            scored.append((score, article))
        scored.sort(key=lambda t: -t[0])
        if not scored or scored[0][0] < 5:
            return defining
        return [*defining, *(a for _, a in scored[:1] if a not in defining)]

    def _unnamed(self, text: str) -> str:
        """``text`` without the ordinance's names (the question is known to be about it)."""
        flat = nfkc(text)
        for name in self.ordinance_names:
            flat = flat.replace(name, " ")
        return flat

    def missing(self, question: str) -> list[int]:
        """Article numbers the question asks for (第26条) that the ordinance does not have."""
        text = nfkc(question)
        named = {n for label, n in self.unnumbered.items() if label in text}
        asked = [n for n in article_numbers(text) if n not in named]
        numbered = {n for n, a in self.articles.items() if a.numbered}
        return [n for n in asked if n not in numbered]

    def _defining(self, query: Query) -> list[Article]:
        """The definitions article, when the question asks what a term it defines means."""
        terms = query.meanings
        if not terms:
            return []
        titles = rules().words("marks.definitions_title").as_set
        return [
            a
            for a in self.articles.values()
            if a.title in titles
            and any(_defines(item, terms) for p in a.paragraphs for item in p.items)
        ][:1]

    def fact(self, article: Article, query: Query) -> Fact | None:
        """The article's relevant text, cited; None when no chunk holds its lines."""
        heading = (
            phrase("ordinance.heading", label=article.label, title=article.title)
            if article.numbered
            else article.label
        )
        text = nfkc(article.text)
        units = [text] if len(text) <= _SHORT_ARTICLE else self._relevant(article, query)
        citations = self._citations(article, units)
        if not citations:
            return None
        return Fact(phrase("ordinance.fact", heading=heading, text=" ".join(units)), citations)

    def _citations(self, article: Article, units: list[str]) -> tuple[Citation, ...]:
        """The article's lines; for an article the dump scatters over many lines, the
        heading line plus the lines of each quoted provision."""
        span = article.lines
        whole = self.citer.cite(
            span,
            [article.title],
            kind="article",
            article=article.number,
            page=article.page,
            exact=True,
        )
        wholly = (whole,) if whole is not None else ()
        if span.last - span.first < _EXACT_QUOTE_LINES:
            return wholly
        out = [
            self.citer.cite(
                span,
                [article.label, article.title],
                kind="article",
                article=article.number,
                page=article.page,
                max_lines=3,
            )
        ]
        for unit in units:
            body = re.sub(r"^\(?\d+\)?\s*", "", unit)
            _quote, window = self.citer.quoter.locate(body, span)
            out.append(
                self.citer.cite(
                    window,
                    kind="article",
                    article=article.number,
                    page=article.page,
                    exact=True,
                )
            )
        located = tuple(dict.fromkeys(c for c in out if c is not None))
        # Item numbers such as (3) may sit far from their text: then quote the whole article.
        return located if located and supported(" ".join(units), located) else wholly

    def _relevant(self, article: Article, query: Query) -> list[str]:
        """The asked paragraph (第N項), else the item defining a term the question quotes
        (「金融機関」), else the provisions closest to the question (its words, not the
        ordinance's name: 「…中小企業活性化…条例」 matches every item about 中小企業)."""
        units: list[tuple[int, str]] = []  # (paragraph number, text)
        for para in article.paragraphs:
            prefix = "" if para.number <= 1 else f"{para.number} "
            if article.number == 0:
                units.extend((para.number, s + "。") for s in nfkc(para.text).split("。") if s)
                continue
            units.append((para.number, prefix + nfkc(para.text)))
            units.extend((para.number, f"({i.number}) {nfkc(i.text)}") for i in para.items)
        chosen = [u for u in units if u[0] in query.paragraphs and not u[1].startswith("(")]
        if not chosen and query.meanings:
            chosen = [
                (p.number, f"({i.number}) {nfkc(i.text)}")
                for p in article.paragraphs
                for i in p.items
                if _defines(i, query.meanings)
            ]
        if not chosen:
            q = bigrams(self._unnamed(query.text)) - _noise()
            ranked = sorted(units, key=lambda u: -len(q & bigrams(u[1])))
            keep = {id(u) for u in ranked[:2]}
            # A provision introducing a list (次に掲げる…) is answered by its list.
            top_items = any(u[1].startswith("(") for u in ranked[:2])
            list_intro = rules().pattern("patterns.report.list_intro")
            intro = {
                u[0]
                for u in ranked[:2]
                if list_intro.search(u[1]) and not u[1].startswith("(") and not top_items
            }
            keep |= {id(u) for u in units if u[0] in intro and u[1].startswith("(")}
            chosen = [u for u in units if id(u) in keep]
        return [text for _, text in chosen]
