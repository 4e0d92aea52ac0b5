"""Ordinance answers: the article a question is about, and its relevant provisions."""

from __future__ import annotations

import re

from assistant.citing import Citer, Fact
from assistant.text import bigrams, nfkc
from assistant.understanding import Query
from index import Hit
from ingest import Article, Corpus

__all__ = ["ArticleFacts"]

_PARAGRAPH = re.compile(r"第?([0-9]+)項")
_SHORT_ARTICLE = 260
_NOISE = bigrams("条例についてはどのようなことが定められているかですかしている何条")


class ArticleFacts:
    """Finds articles by number, title or content and quotes the provisions that matter."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        self.citer = citer
        self.articles = {a.number: a for a in corpus.articles}

    def best(self, query: Query, hits: list[Hit]) -> list[Article]:
        if query.articles:
            return [self.articles[n] for n in query.articles if n in self.articles]
        q = bigrams(query.text) - _NOISE
        ranks = {h.chunk.article: h.rank for h in hits if h.chunk.article is not None}
        scored = []
        for article in self.articles.values():
            units = [p.text for p in article.paragraphs] + [
                i.text for p in article.paragraphs for i in p.items
            ]
            best_unit = max((len(q & bigrams(u)) for u in units), default=0)
            score = 3 * len(q & bigrams(article.title)) + best_unit
            if article.number in ranks:
                score += max(0, 4 - ranks[article.number])
            scored.append((score, article))
        scored.sort(key=lambda t: -t[0])
        if not scored or scored[0][0] < 5:
            return []
        return [scored[0][1]]

    def fact(self, article: Article, query: Query) -> Fact:
        heading = (
            article.label if article.number in (0, 25) else f"{article.label}（{article.title}）"
        )
        text = nfkc(article.text)
        if len(text) > _SHORT_ARTICLE:
            text = self._relevant(article, query)
        citation = self.citer.cite(
            article.lines,
            [article.title],
            kind="article",
            article=article.number,
            page=article.page,
            exact=True,
        )
        return Fact(f"条例{heading}：{text}", (citation,))

    @staticmethod
    def _relevant(article: Article, query: Query) -> str:
        """The asked paragraph (第N項), else the one or two provisions closest to the question."""
        units: list[tuple[int, str]] = []  # (paragraph number, text)
        for para in article.paragraphs:
            prefix = "" if para.number <= 1 else f"{para.number} "
            body = prefix + nfkc(para.text)
            if para.items:
                body += " " + " ".join(f"({i.number}) {nfkc(i.text)}" for i in para.items)
            if article.number == 0:
                units.extend((para.number, s + "。") for s in body.split("。") if s.strip())
            else:
                units.append((para.number, body))
        asked = {int(m.group(1)) for m in _PARAGRAPH.finditer(query.text)}
        chosen = [u for u in units if u[0] in asked]
        if not chosen:
            q = bigrams(query.text) - _NOISE
            ranked = sorted(units, key=lambda u: -len(q & bigrams(u[1])))
            chosen = ranked[:2]
            order = {id(u): i for i, u in enumerate(units)}
            chosen.sort(key=lambda u: order[id(u)])
        return " ".join(text for _, text in chosen)
