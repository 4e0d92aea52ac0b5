"""Builds citations: verbatim quotes from the raw report, tied to the chunk that holds them.

A citation's id is the id of a chunk whose lines hold the quote: the chat opens the passage
through it (/api/sources/{id}). Lines that no chunk holds give no citation at all (None):
an id made up for them would lead nowhere.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.models import Citation
from assistant.sources import Quoter
from assistant.text import numbers_in, quoted_numbers, squash
from ingest import Chunk, Corpus, Section, Span, chart_row_title

__all__ = ["Citer", "Fact", "supported"]

log = logging.getLogger(__name__)

_WIDE_QUOTE_LINES = 24
_TITLE_LOOKBACK = 120  # lines above a chart its question may be printed (a page's titles)


@dataclass(frozen=True, slots=True)
class Fact:
    """One answer sentence and the citations that support every number in it."""

    text: str
    citations: tuple[Citation, ...] = field(default=())
    record: str | None = None  # programme name when read from its typed record


def supported(text: str, citations: Sequence[Citation]) -> bool:
    """True when every number in ``text`` occurs in one of the quotes (comparison form)."""
    quoted = {n for c in citations for n in quoted_numbers(c.quote)}
    return all(n in quoted for n in numbers_in(text))


class Citer:
    """Makes :class:`Citation` objects for spans of the report."""

    def __init__(self, corpus: Corpus, quoter: Quoter) -> None:
        self.corpus = corpus
        self.quoter = quoter
        self._chunks = corpus.chunks

    def chunk_for(
        self,
        span: Span,
        programme: str | None = None,
        article: int | None = None,
        section: str | None = None,
    ) -> Chunk | None:
        best: tuple[int, Chunk] | None = None
        for chunk in self._chunks:
            if programme is not None and chunk.programme != programme:
                continue
            if article is not None and chunk.article != article:
                continue
            if section is not None and chunk.section != section:
                continue
            overlap = min(span.last, chunk.lines.last) - max(span.first, chunk.lines.first) + 1
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, chunk)
        return best[1] if best else None

    def cite(
        self,
        span: Span,
        needles: Sequence[str] = (),
        *,
        kind: str,
        programme: str | None = None,
        article: int | None = None,
        section: str | None = None,
        page: int | None = None,
        max_lines: int | None = None,
        exact: bool = False,
    ) -> Citation | None:
        """The quote of ``span`` (around ``needles``), or None when no chunk holds its lines."""
        if exact:
            quote, window = self.quoter.source.text(span), span
        else:
            quote, window = self.quoter.quote(span, needles, max_lines=max_lines)
        chunk = self.chunk_for(window, programme, article, section) or self.chunk_for(window)
        if chunk is None:
            log.debug("no chunk holds lines %d-%d: not cited", window.first, window.last)
            return None
        return Citation(
            id=chunk.id,
            kind=kind,
            quote=quote,
            lines=window,
            page=page if page is not None else chunk.page,
            programme=programme if programme is not None else chunk.programme,
            article=article if article is not None else chunk.article,
            section=section if section is not None else chunk.section,
        )

    def cite_section_sentence(self, section: Section, sentence: str) -> Citation | None:
        """The lines of ``sentence`` in ``section``, or None when no chunk holds them."""
        quote, window = self.quoter.locate(sentence, section.lines)
        chunk = self.chunk_for(window, section=section.key) or self.chunk_for(window)
        if chunk is None:
            log.debug("no chunk holds lines %d-%d: not cited", window.first, window.last)
            return None
        return Citation(
            id=chunk.id,
            kind="section",
            quote=quote,
            lines=window,
            page=section.page,
            section=section.key,
        )

    def with_title(
        self, chunk: Chunk, text: str, citations: Sequence[Citation]
    ) -> tuple[Citation, ...]:
        """``citations``, plus the line printing the question a chart's row is read under when
        they do not hold every figure of ``text``: a survey page prints its titles above its
        charts, outside the chart's own lines, and a figure of the title (今後5年間) is quoted
        from there. That citation is the chart's chunk's: its text names the question on
        every row."""
        title = chart_row_title(text.lstrip("…"))
        if title is None or supported(text, citations):
            return tuple(citations)
        flat, first = squash(title), chunk.lines.first
        for n in range(first, max(first - _TITLE_LOOKBACK, 1) - 1, -1):
            if flat in squash(line := self.quoter.source.line(n)):
                return (
                    *citations,
                    Citation(
                        id=chunk.id,
                        kind=str(chunk.kind),
                        quote=line,
                        lines=Span(n, n),
                        page=chunk.page,
                        programme=chunk.programme,
                        article=chunk.article,
                        section=chunk.section,
                    ),
                )
        return tuple(citations)

    def cite_chunk_sentence(self, chunk: Chunk, sentence: str) -> Citation:
        quote, window = self.quoter.locate(sentence, chunk.lines)
        numbers = numbers_in(sentence)
        if not set(numbers) <= quoted_numbers(quote):
            # The dump interleaves columns: widen to the lines that hold every figure.
            quote, window = self.quoter.quote(
                chunk.lines, [*numbers, sentence[:8]], max_lines=_WIDE_QUOTE_LINES
            )
        return Citation(
            id=chunk.id,
            kind=str(chunk.kind),
            quote=quote,
            lines=window,
            page=chunk.page,
            programme=chunk.programme,
            article=chunk.article,
            section=chunk.section,
        )
