"""What the app holds while it runs: the corpus, the searcher and the answerer.

They are built once, at startup, from the stages' public builders. A stage whose builder
is not there yet (or fails) leaves its slot empty; the routes that need it answer 503
instead of the whole service failing to start. ``Services.error`` is what /healthz shows
to anyone who asks, so it says what is wrong in plain words; the log has the detail.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant import Answerer
from index import Retriever
from ingest import ConfigError, Corpus, CorpusError, IndexBuildError, Settings, SmeError

__all__ = ["NOT_READY", "STARTING", "Services", "load_services"]

log = logging.getLogger(__name__)

STARTING = "起動中です / the service is starting"
NOT_READY = "準備ができていません / the service is not ready"
_MISSING = "一部の機能がまだ用意されていません / part of the service is not available"
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


def _builder(package: str, name: str) -> Callable[..., Any] | None:
    """The stage's public builder, only once the stage exports it in ``__all__``."""
    module = __import__(package)
    if name not in getattr(module, "__all__", ()):
        return None
    builder: Callable[..., Any] = getattr(module, name)
    return builder


def _call(builder: Callable[..., Any], settings: Settings, *args: Any, **shared: Any) -> Any:
    """Pass already-loaded parts on when the builder accepts them (saves a second load)."""
    params = inspect.signature(builder).parameters
    kwargs = {key: value for key, value in shared.items() if key in params}
    return builder(settings, *args, **kwargs)


class _Loader:
    """Runs each stage's builder on its own, so one missing stage leaves the others usable."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[str] = []

    def run(self, package: str, name: str, *args: Any, **shared: Any) -> Any:
        builder = _builder(package, name)
        if builder is None:
            log.error("%s.%s is not available yet", package, name)
            self._problem(_MISSING)
            return None
        try:
            return _call(builder, self.settings, *args, **shared)
        except SmeError as exc:
            log.error("%s.%s failed: %s: %s", package, name, type(exc).__name__, exc)
            self._problem(next((text for cls, text in _REASONS if isinstance(exc, cls)), _FAILED))
        except Exception:
            # A stage's bug must not stop the service from answering /healthz.
            log.exception("%s.%s crashed", package, name)
            self._problem(_CRASHED)
        return None

    def _problem(self, reason: str) -> None:
        if reason not in self.problems:  # one failure often empties several slots
            self.problems.append(reason)


def load_services(settings: Settings) -> Services:
    """Build the assistant first: it loads the corpus and the searcher, which we then reuse."""
    loader = _Loader(settings)
    answerer = loader.run("assistant", "build_assistant")
    corpus = getattr(answerer, "corpus", None)
    if not isinstance(corpus, Corpus):
        corpus = loader.run("ingest", "load_corpus")
    searcher = getattr(answerer, "searcher", None)
    if not callable(getattr(searcher, "search", None)):
        searcher = loader.run("index", "open_searcher", corpus) if corpus is not None else None
    if corpus is not None:
        log.info("loaded %s: %d chunks", corpus.source, len(corpus.chunks))
    error = "; ".join(loader.problems) if answerer is None or searcher is None else None
    return Services(corpus, searcher, answerer, error)
