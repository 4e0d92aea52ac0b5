"""The ingest pipeline: read + validate the report, parse it, chunk it, store it.

``ReportIngestor(settings).ingest(path)`` returns a :class:`Corpus`; the module functions
:func:`run_ingest` (ingest and save) and :func:`load_corpus` (load, re-ingesting when the
store is missing or stale) are what the other stages call.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from core import CorpusError, Settings, SmeError
from ingest.chunking import Chunker
from ingest.models import Corpus, Programme
from ingest.ordinance import OrdinanceParser, find_ordinance_start
from ingest.pages import PageMap
from ingest.programme_records import ProgrammeParser
from ingest.sections import SectionParser
from ingest.serialize import OutdatedRecordsError
from ingest.source import SourceText
from ingest.store import CorpusStore

__all__ = ["STAGES", "ReportIngestor", "load_corpus", "read_source", "run_ingest"]

log = logging.getLogger(__name__)

STAGES = ("read", "programmes", "ordinance", "sections", "chunks")
Progress = Callable[[str], None]


def _error(japanese: str, english: str) -> CorpusError:
    return CorpusError(f"{japanese} / {english}")


def _no_ordinance(source: SourceText) -> CorpusError:
    return _error(
        "この報告書の形式ではありません（条例の条文がありません）",
        f"{source.name} is not a report of this kind: no ordinance articles found",
    )


def read_source(path: Path) -> SourceText:
    """Read and validate one report file; CorpusError with a clear message when unusable."""
    return SourceText.from_path(path)


def _parse_programmes(
    source: SourceText,
) -> tuple[tuple[Programme, ...], tuple[Programme, ...]]:
    """(programmes, ※ notes); CorpusError (from the table parser) when the text has no table."""
    return ProgrammeParser().parse_split(source)


class ReportIngestor:
    """Turn one report text into a :class:`Corpus` (records + chunks)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def ingest(self, path: Path | None = None, progress: Progress | None = None) -> Corpus:
        source = read_source(Path(path) if path is not None else self.settings.corpus)
        if progress is not None:
            progress("read")
        try:
            return self._parse(source, progress)
        except SmeError:  # already a clear message (bad corpus, bad settings)
            raise
        except Exception as exc:  # a parser tripping over an unexpected layout
            log.exception("ingest of %s failed", source.name)
            raise _error(
                "報告書を解析できませんでした",
                f"could not parse {source.name} ({type(exc).__name__}: {exc})",
            ) from exc

    def _parse(self, source: SourceText, progress: Progress | None) -> Corpus:
        def step(name: str) -> None:
            if progress is not None:
                progress(name)

        if find_ordinance_start(source.lines) is None:  # cheap check before the slow parsers
            raise _no_ordinance(source)
        try:
            programmes, notes = _parse_programmes(source)
        except CorpusError as exc:
            raise _error(
                "この報告書の形式ではありません（施策一覧がありません）",
                f"{source.name} is not a report of this kind: {exc}",
            ) from exc
        step("programmes")
        with_records = tuple(sorted(programmes + notes, key=lambda p: p.lines.first))
        pages = PageMap.build(source.lines, with_records)
        articles = OrdinanceParser(source.name, pages.page).parse(source.lines)
        if not any(article.number == 1 for article in articles):
            raise _no_ordinance(source)
        step("ordinance")
        section_parser = SectionParser(source, pages.page)
        sections = section_parser.parse(with_records) + section_parser.note_sections(notes)
        step("sections")
        records = Corpus(source.name, source.sha256, programmes, articles, sections)
        chunker = Chunker(
            self.settings.chunk_max_chars, self.settings.chunk_min_chars, page_of=pages.page
        )
        chunks = chunker.chunk(records)
        step("chunks")
        log.info(
            "ingested %s: %d programmes, %d articles, %d sections, %d chunks",
            source.name,
            len(programmes),
            len(articles),
            len(sections),
            len(chunks),
        )
        return dataclasses.replace(records, chunks=chunks)


def run_ingest(
    settings: Settings, path: Path | None = None, progress: Progress | None = None
) -> Corpus:
    """Ingest the report (default: ``settings.corpus``) and save it to the store."""
    corpus = ReportIngestor(settings).ingest(path, progress)
    CorpusStore(settings.store).save(corpus)
    return corpus


def load_corpus(settings: Settings) -> Corpus:
    """The stored corpus; ingests first when the store is missing or built from another text."""
    store = CorpusStore(settings.store)
    if store.exists():
        try:
            corpus = store.load()
        except CorpusError as exc:  # unreadable or from older rules: rebuild it
            if isinstance(exc.__cause__, OutdatedRecordsError):
                log.info("stored corpus written by older parsing rules, re-ingesting")
            else:
                log.warning("stored corpus unusable, re-ingesting: %s", exc)
        else:
            current = _sha256(settings.corpus)
            if current is None or current == corpus.sha256:
                return corpus
            log.info("corpus changed (sha256 %s), re-ingesting", current[:12])
    return run_ingest(settings)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
