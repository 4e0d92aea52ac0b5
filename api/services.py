"""What the app holds while it runs: the corpus, the searcher and the answerer.

They are built once, at startup, from the stages' public builders. A stage whose builder
is not there yet (or fails) leaves its slot empty; the routes that need it answer 503
instead of the whole service failing to start.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant import Answerer, ConversationStore
from index import Retriever
from ingest import Corpus, Settings, SmeError

__all__ = ["Services", "load_services"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Services:
    corpus: Corpus | None = None
    searcher: Retriever | None = None
    answerer: Answerer | None = None
    error: str | None = None  # why a slot is empty, for /healthz and logs


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
            self.problems.append(f"{package}.{name} is not available yet")
            return None
        try:
            return _call(builder, self.settings, *args, **shared)
        except SmeError as exc:
            log.error("%s.%s failed: %s", package, name, exc)
            self.problems.append(f"{package}.{name}: {type(exc).__name__}: {exc}")
        except Exception:
            # A stage's bug must not stop the service from answering /healthz.
            log.exception("%s.%s crashed", package, name)
            self.problems.append(f"{package}.{name} crashed (see the server log)")
        return None


def load_services(settings: Settings, conversations: ConversationStore | None = None) -> Services:
    """Build the assistant first: it loads the corpus and the searcher, which we then reuse.

    ``conversations``: the store the API checks conversation ids against, so the assistant
    keeps its turns there too."""
    loader = _Loader(settings)
    answerer = loader.run("assistant", "build_assistant", conversations=conversations)
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
