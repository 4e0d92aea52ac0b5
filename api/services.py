"""What the app holds while it runs: the corpus, the searcher and the answerer.

They are built once, at startup, from the stages' public builders. A stage whose builder
fails leaves its slot empty; the routes that need it answer 503
instead of the whole service failing to start. ``Services.error`` is what /healthz shows
to anyone who asks, so it says what is wrong in plain words; the log has the detail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assistant import Answerer, ConversationStore, build_assistant
from core import ConfigError, CorpusError, IndexBuildError, Settings, SmeError
from index import Retriever, open_searcher
from ingest import Corpus, load_corpus

__all__ = ["NOT_READY", "STARTING", "Services", "load_services"]

log = logging.getLogger(__name__)
T = TypeVar("T")

STARTING = "起動中です / the service is starting"
NOT_READY = "準備ができていません / the service is not ready"
_CRASHED = (
    "予期しないエラーで読み込みに失敗しました（詳細はサーバーのログ）"
    " / loading failed with an unexpected error (see the server log)"
)
_REASONS: tuple[tuple[type[SmeError], str], ...] = (
    (CorpusError, "報告書のデータを読み込めません / the report data could not be loaded"),
    (IndexBuildError, "検索インデックスを開けません / the search index could not be opened"),
    (ConfigError, "設定に誤りがあります / a setting is invalid"),
)
_FAILED = "読み込みに失敗しました（詳細はサーバーのログ）/ loading failed (see the server log)"


@dataclass(frozen=True, slots=True)
class Services:
    corpus: Corpus | None = None
    searcher: Retriever | None = None
    answerer: Answerer | None = None
    error: str | None = None  # why a slot is empty, in words fit for /healthz (no internals)


class _Loader:
    """Runs each stage's builder on its own, so one failing stage leaves the others usable."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def run(self, name: str, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except SmeError as exc:
            log.error("%s failed: %s: %s", name, type(exc).__name__, exc)
            self._problem(next((text for cls, text in _REASONS if isinstance(exc, cls)), _FAILED))
        except Exception:
            # A stage's bug must not stop the service from answering /healthz.
            log.exception("%s crashed", name)
            self._problem(_CRASHED)
        return None

    def _problem(self, reason: str) -> None:
        if reason not in self.problems:  # one failure often empties several slots
            self.problems.append(reason)


def load_services(settings: Settings, conversations: ConversationStore | None = None) -> Services:
    """Build the assistant (it loads the corpus and the searcher); when it fails, load what
    still loads on its own, so /healthz and the corpus routes can say what is wrong.

    ``conversations``: the store the API checks conversation ids against, so the assistant
    keeps its turns there too."""
    loader = _Loader()
    assistant = loader.run(
        "the assistant", lambda: build_assistant(settings, conversations=conversations)
    )
    if assistant is not None:
        corpus: Corpus | None = assistant.corpus
        searcher: Retriever | None = assistant.searcher
    else:
        corpus = loader.run("the corpus", lambda: load_corpus(settings))
        searcher = None
        if corpus is not None:
            loaded = corpus
            searcher = loader.run("the searcher", lambda: open_searcher(settings, loaded))
    if corpus is not None:
        log.info("loaded %s: %d chunks", corpus.source, len(corpus.chunks))
    error = "; ".join(loader.problems) if assistant is None or searcher is None else None
    return Services(corpus, searcher, assistant, error)
