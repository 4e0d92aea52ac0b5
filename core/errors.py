"""The project's one error hierarchy.

Defined at the bottom of the import flow (ingest → index → assistant → api) so every
layer can raise and catch the same types. The API maps them to HTTP statuses in one
handler; the CLI maps them to exit codes.
"""

from __future__ import annotations

__all__ = [
    "AnswerError",
    "ConfigError",
    "CorpusError",
    "IndexBuildError",
    "NotFoundError",
    "SmeError",
]


class SmeError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1


class ConfigError(SmeError):
    """A setting is missing or inconsistent (e.g. an unknown embedder)."""

    exit_code = 2


class CorpusError(SmeError):
    """The input text is missing, unreadable, not UTF-8, empty or not a report of this kind."""

    exit_code = 2


class IndexBuildError(SmeError):
    """The search index could not be built, opened or swapped in."""

    exit_code = 3


class AnswerError(SmeError):
    """A question could not be answered (bad question, LLM failure that has no fallback)."""

    exit_code = 4


class NotFoundError(SmeError):
    """A programme, article or chunk that the caller named does not exist."""

    exit_code = 4
