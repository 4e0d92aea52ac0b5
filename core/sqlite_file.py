"""One SQLite file shared by a server's worker processes: WAL, short transactions, one locked
connection per process, and every SQLite failure a :class:`ConfigError` naming the file.
The conversation and feedback stores are built on it."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from core.errors import ConfigError

__all__ = ["SqliteFile"]

log = logging.getLogger(__name__)


class SqliteFile:
    """Opens ``path`` (creating its folder), switches it to WAL and applies ``schema``;
    ``check`` is a query that must run (a file of another layout fails at once)."""

    def __init__(
        self, path: Path, schema: str, *, timeout_s: float = 5.0, check: str | None = None
    ) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: the stores begin their transactions explicitly.
            self._db = sqlite3.connect(
                self.path, timeout=timeout_s, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from exc
        try:
            (mode,) = self._db.execute("PRAGMA journal_mode=WAL").fetchone()
            if str(mode).lower() != "wal":
                log.warning("%s: journal mode %s, not WAL (readers may wait)", self.path, mode)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(schema)
            if check is not None:
                self._db.execute(check)
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> ConfigError:
        """The error a failure becomes (a store names what it keeps)."""
        return ConfigError(f"cannot use {self.path}: {exc}")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """The connection's lock held; SQLite failures become a ConfigError naming the file."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
