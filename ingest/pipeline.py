"""The ingest pipeline: read + validate the report, parse it, chunk it, store it.

``ReportIngestor(settings).ingest(path)`` returns a :class:`Corpus`; the module functions
:func:`run_ingest` (ingest and save) and :func:`load_corpus` (load, re-ingesting when the
store is missing or stale) are what the other stages call.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from ingest.chunking import Chunker
from ingest.errors import CorpusError
from ingest.models import Corpus, Programme
from ingest.ordinance import OrdinanceParser
from ingest.pages import PageMap
from ingest.programme_table import find_programme_table
from ingest.sections import SectionParser
from ingest.settings import Settings
from ingest.store import CorpusStore
from ingest.text import SourceText

__all__ = ["STAGES", "ReportIngestor", "load_corpus", "read_source", "run_ingest"]

log = logging.getLogger(__name__)

STAGES = ("read", "programmes", "ordinance", "sections", "chunks")
Progress = Callable[[str], None]
_BINARY_SAMPLE = 8192


def _error(japanese: str, english: str) -> CorpusError:
    return CorpusError(f"{japanese} / {english}")


def read_source(path: Path) -> SourceText:
    """Read and validate one report file; CorpusError with a clear message when unusable."""
    if not path.exists():
        return _raise(_error("ファイルが見つかりません", f"file not found: {path}"))
    if path.is_dir():
        return _raise(
            _error("ファイルではなくフォルダです", f"expected a text file, got a directory: {path}")
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error("ファイルを読み込めません", f"cannot read {path}: {exc}") from exc
    if b"\x00" in data[:_BINARY_SAMPLE]:
        return _raise(
            _error("バイナリファイルは取り込めません", f"{path} is a binary file, not text")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            "UTF-8 のテキストではありません", f"{path} is not UTF-8 text ({exc.reason})"
        ) from exc
    if not text.strip():
        return _raise(_error("ファイルが空です", f"{path} is empty"))
    source = SourceText.from_text(text, name=path.name, path=path)
    return SourceText(
        name=source.name,
        sha256=hashlib.sha256(data).hexdigest(),
        lines=source.lines,
        path=path,
        noise=source.noise,
    )


def _raise(error: CorpusError) -> SourceText:
    raise error


def _parse_programmes(source: SourceText) -> tuple[Programme, ...]:
    find_programme_table(source)  # raises CorpusError when the report has no table
    try:
        from ingest.programme_records import ProgrammeParser  # noqa: PLC0415
    except ImportError:  # the programme parser is being written in parallel
        log.warning("programme parser unavailable; continuing without programmes")
        return ()
    return tuple(ProgrammeParser().parse(source))


class ReportIngestor:
    """Turn one report text into a :class:`Corpus` (records + chunks)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def ingest(self, path: Path | None = None, progress: Progress | None = None) -> Corpus:
        def step(name: str) -> None:
            if progress is not None:
                progress(name)

        source = read_source(Path(path) if path is not None else self.settings.corpus)
        step("read")
        try:
            programmes = _parse_programmes(source)
        except CorpusError as exc:
            raise _error(
                "この報告書の形式ではありません（施策一覧がありません）",
                f"{source.name} is not a report of this kind: {exc}",
            ) from exc
        step("programmes")
        pages = PageMap.build(source.lines, programmes)
        articles = OrdinanceParser(source.name, pages.page).parse(source.lines)
        if not any(article.number == 1 for article in articles):
            raise _error(
                "この報告書の形式ではありません（条例の条文がありません）",
                f"{source.name} is not a report of this kind: no ordinance articles found",
            )
        step("ordinance")
        sections = SectionParser(source, pages.page).parse(programmes)
        step("sections")
        corpus = Corpus(
            source=source.name,
            sha256=source.sha256,
            programmes=programmes,
            articles=articles,
            sections=sections,
        )
        chunker = Chunker(self.settings.chunk_max_chars, self.settings.chunk_min_chars)
        chunks = chunker.chunk(corpus)
        step("chunks")
        log.info(
            "ingested %s: %d programmes, %d articles, %d sections, %d chunks",
            source.name,
            len(programmes),
            len(articles),
            len(sections),
            len(chunks),
        )
        return Corpus(
            source=corpus.source,
            sha256=corpus.sha256,
            programmes=programmes,
            articles=articles,
            sections=sections,
            chunks=chunks,
        )


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
        corpus = store.load()
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
