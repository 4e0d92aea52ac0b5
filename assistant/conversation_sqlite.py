"""The conversation store in a SQLite file, shared by processes (WAL mode, short transactions).

One file in the store folder holds two namespaces in separate tables: ``local`` for the
conversations a user names on the command line (``ask --conversation chat1``) and ``web``
for the ids the API issues. An HTTP client can only reach ``web``, and only ids it was given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from assistant.conversation import (
    DEFAULT_MAX_CONVERSATIONS,
    DEFAULT_TTL_S,
    ConversationStore,
    MemoryConversationStore,
    new_conversation_id,
)
from assistant.conversation_json import query_from_json, query_to_json
from assistant.understanding import Query
from core import ConfigError, Settings, SqliteFile

__all__ = [
    "CONVERSATION_DB",
    "Namespace",
    "SqliteConversationStore",
    "conversation_db_path",
    "open_conversation_store",
]

log = logging.getLogger(__name__)

CONVERSATION_DB = "conversations.sqlite3"

Namespace = Literal["local", "web"]
_TABLES: dict[str, str] = {"local": "local_conversations", "web": "web_conversations"}

# ``seq`` orders by recency: a counter taken inside the write transaction holds across
# processes, whose clocks (``touched_at``, for expiry) may disagree by a little.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    id TEXT PRIMARY KEY,
    query TEXT,
    seq INTEGER NOT NULL,
    touched_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (seq);
CREATE INDEX IF NOT EXISTS {table}_touched_at ON {table} (touched_at);
"""


def conversation_db_path(settings: Settings) -> Path:
    """The SQLite file of both namespaces, in the store folder."""
    return settings.store / CONVERSATION_DB


def open_conversation_store(settings: Settings, namespace: Namespace) -> ConversationStore:
    """The store a caller should use: ``local`` is always the SQLite file (it must outlive
    the process); ``web`` follows ``SME_CONVERSATION_STORE``."""
    size, ttl_s = settings.max_conversations, settings.conversation_ttl_s
    if namespace == "web" and settings.conversation_store == "memory":
        return MemoryConversationStore(size, ttl_s)
    return SqliteConversationStore(
        conversation_db_path(settings), namespace, max_conversations=size, ttl_s=ttl_s
    )


class SqliteConversationStore(SqliteFile):
    """:class:`assistant.ConversationStore` kept in one table of a SQLite file.

    Reads are single statements; every write is one short ``BEGIN IMMEDIATE`` transaction,
    so several processes (and threads) can share the file. ``clock`` is wall time by default:
    processes share expiry times through the file."""

    def __init__(
        self,
        path: Path,
        namespace: Namespace = "local",
        *,
        max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.time,
        timeout_s: float = 5.0,
    ) -> None:
        if namespace not in _TABLES:
            raise ConfigError(f"unknown conversation namespace {namespace!r}")
        self.namespace = namespace
        self.max_conversations = max_conversations
        self.ttl_s = ttl_s
        self._clock = clock
        self._table = _TABLES[namespace]
        super().__init__(
            path,
            _SCHEMA.format(table=self._table),
            timeout_s=timeout_s,
            check=f"SELECT id, query, seq, touched_at FROM {self._table} LIMIT 1",
        )

    def _error(self, exc: Exception) -> ConfigError:
        return ConfigError(
            f"会話の記録を開けません / cannot use the conversation store {self.path}: {exc} "
            "(delete the file to start afresh)"
        )

    # -- ConversationStore ----------------------------------------------------------------
    def start(self) -> str:
        conversation_id = new_conversation_id()
        self._write(conversation_id, None)
        return conversation_id

    def exists(self, conversation_id: str) -> bool:
        return self._read(conversation_id) is not None

    def last(self, conversation_id: str) -> Query | None:
        row = self._read(conversation_id)
        if row is None or row[0] is None:
            return None
        try:
            return query_from_json(row[0])
        except ValueError as exc:
            # An unreadable turn (e.g. written by an older version) starts the conversation afresh.
            log.warning("conversation %s: %s", conversation_id, exc)
            return None

    def remember(self, conversation_id: str, query: Query) -> None:
        self._write(conversation_id, query_to_json(query))

    def __len__(self) -> int:
        cutoff = self._clock() - self.ttl_s
        with self._guard():
            (count,) = self._db.execute(
                f"SELECT COUNT(*) FROM {self._table} WHERE touched_at > ?", (cutoff,)
            ).fetchone()
        return int(count)

    # -- SQL --------------------------------------------------------------------------------

    def _read(self, conversation_id: str) -> tuple[str | None] | None:
        cutoff = self._clock() - self.ttl_s
        with self._guard():
            row = self._db.execute(
                f"SELECT query FROM {self._table} WHERE id = ? AND touched_at > ?",
                (conversation_id, cutoff),
            ).fetchone()
        return None if row is None else (row[0],)

    def _write(self, conversation_id: str, document: str | None) -> None:
        """Upsert one conversation, then drop the expired and the surplus: one transaction."""
        now = self._clock()
        table = self._table
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    f"INSERT INTO {table} (id, query, seq, touched_at) VALUES "
                    f"(?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}), ?) "
                    "ON CONFLICT (id) DO UPDATE SET query = excluded.query, "
                    "seq = excluded.seq, touched_at = excluded.touched_at",
                    (conversation_id, document, now),
                )
                self._db.execute(f"DELETE FROM {table} WHERE touched_at <= ?", (now - self.ttl_s,))
                row = self._db.execute(
                    f"SELECT seq FROM {table} ORDER BY seq DESC LIMIT 1 OFFSET ?",
                    (max(self.max_conversations, 0),),
                ).fetchone()
                if row is not None:
                    self._db.execute(f"DELETE FROM {table} WHERE seq <= ?", (row[0],))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
