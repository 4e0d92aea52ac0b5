"""Cut the records into retrievable chunks, one per meaningful unit.

The units (an article, a programme's plan, a support menu, a section…) come from
:mod:`ingest.chunk_units`; each chunk starts with its unit's short context label
(「間接融資事業 ― 事業計画」) so retrieval sees what it is about. A unit longer than
``max_chars`` is split between sentences (SudachiPy), never inside one; pieces shorter
than ``min_chars`` merge into a neighbour.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from core import ConfigError
from ingest.chunk_units import Unit, UnitBuilder
from ingest.ids import stable_id
from ingest.models import Chunk, Corpus
from ingest.sudachi import split_sentences
from ingest.years import fiscal_years, report_years

__all__ = ["Chunker", "fiscal_years", "report_years"]

log = logging.getLogger(__name__)

PageLookup = Callable[[int], "int | None"]
_LIST_MARKER = re.compile(r"(?=[○◯・【\u2460-\u2473])")


class Chunker:
    """Build the chunks of a corpus (its ``chunks`` field is ignored)."""

    def __init__(
        self, max_chars: int = 420, min_chars: int = 40, page_of: PageLookup | None = None
    ) -> None:
        if min_chars >= max_chars:
            raise ConfigError(
                f"SME_CHUNK_MIN_CHARS ({min_chars}) must be smaller than "
                f"SME_CHUNK_MAX_CHARS ({max_chars})"
            )
        self.max_chars = max_chars
        self.min_chars = min_chars
        # With a page map, a chunk's page is the page of its own first line (a programme's
        # record can span pages); without one, the unit's page.
        self.page_of = page_of
        self.units = UnitBuilder(max_chars)

    def chunk(self, corpus: Corpus) -> tuple[Chunk, ...]:
        units = self.units.build(corpus)
        chunks: list[Chunk] = []
        for unit in units:
            if unit.body.strip():
                chunks += self._split(corpus.source, unit)
        log.info("built %d chunks from %d units", len(chunks), len(units))
        return tuple(chunks)

    def _split(self, source: str, unit: Unit) -> list[Chunk]:
        budget = max(self.max_chars - len(unit.label) - 1, self.min_chars)
        pieces = [unit.body] if len(unit.body) <= budget else self._pack(unit.body, budget)
        chunks = []
        page = unit.page
        if self.page_of is not None:
            page = self.page_of(unit.lines.first) or unit.page
        for index, piece in enumerate(pieces):
            years = unit.years or fiscal_years(piece)
            chunks.append(
                Chunk(
                    id=stable_id(source, unit.key, index),
                    kind=unit.kind,
                    text=f"{unit.label}\n{piece}",
                    lines=unit.lines,
                    page=page,
                    programme=unit.programme,
                    article=unit.article,
                    section=unit.section,
                    title=unit.title,
                    fiscal_years=years,
                )
            )
        return chunks

    def _pack(self, text: str, budget: int) -> list[str]:
        pieces: list[str] = []
        current = ""
        for sentence in self._sentences(text, budget):
            joined = f"{current}\n{sentence}" if current else sentence
            if current and len(joined) > budget:
                pieces.append(current)
                current = sentence
            else:
                current = joined
        if current:
            pieces.append(current)
        if len(pieces) > 1 and len(pieces[-1]) < self.min_chars:
            merged = f"{pieces[-2]}\n{pieces[-1]}"
            if len(merged) <= budget:
                pieces[-2:] = [merged]
        return pieces

    @staticmethod
    def _sentences(text: str, budget: int) -> list[str]:
        """Sudachi sentences; one longer than the budget (a flattened list or chart with no
        「。」) is cut before its list markers (○ ・ 【 ①…), which start items of their own."""
        out: list[str] = []
        for sentence in split_sentences(text):
            if len(sentence) <= budget:
                out.append(sentence)
                continue
            out += [part for part in _LIST_MARKER.split(sentence) if part.strip()]
        return out
