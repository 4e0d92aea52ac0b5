"""Multi-turn memory: each conversation's previous parsed question (bounded, thread-safe).

Two stores keep the same contract (:class:`ConversationMemory`): :class:`ConversationStore`
lives in one process (the web API); :class:`SqliteConversationStore` keeps turns in a small
SQLite file so ``sme-assistant ask --conversation ID`` can resolve a follow-up asked in a
later process. Turns are stored as JSON (never pickle: the file may outlive the code).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import threading
import types
import typing
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.understanding import Query
from ingest import ConfigError

__all__ = [
    "ConversationMemory",
    "ConversationStore",
    "SqliteConversationStore",
    "query_from_json",
    "query_to_json",
]

log = logging.getLogger(__name__)

_FORMAT = 1  # bump when a stored turn can no longer be read by the decoder below


@runtime_checkable
class ConversationMemory(Protocol):
    """Where the assistant keeps each conversation's last :class:`Query`."""

    def new_id(self) -> str: ...

    def last(self, conversation_id: str) -> Query | None: ...

    def remember(self, conversation_id: str, query: Query) -> None: ...

    def __len__(self) -> int: ...


def _new_id() -> str:
    return uuid.uuid4().hex


class ConversationStore:
    """Keeps the last :class:`Query` of at most ``max_conversations`` conversations (LRU)."""

    def __init__(self, max_conversations: int = 1000) -> None:
        self.max_conversations = max_conversations
        self._turns: OrderedDict[str, Query] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def new_id() -> str:
        return _new_id()

    def last(self, conversation_id: str) -> Query | None:
        with self._lock:
            query = self._turns.get(conversation_id)
            if query is not None:
                self._turns.move_to_end(conversation_id)
            return query

    def remember(self, conversation_id: str, query: Query) -> None:
        with self._lock:
            self._turns[conversation_id] = query
            self._turns.move_to_end(conversation_id)
            while len(self._turns) > self.max_conversations:
                self._turns.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._turns)


# -- JSON form of a Query ------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a conversation turn")


def _decode(hint: Any, raw: Any) -> Any:
    """``raw`` (parsed JSON) turned back into the type ``hint`` names, checked on the way."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if raw is None and type(None) in options:
            return None
        for option in (o for o in options if o is not type(None)):
            try:
                return _decode(option, raw)
            except (TypeError, ValueError):
                continue
        raise ValueError(f"{raw!r} fits none of {hint}")
    if origin is tuple:
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {type(raw).__name__}")
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_dataclass(hint, raw)
    if hint is Any:
        return raw
    if isinstance(raw, bool) and hint is not bool:
        raise TypeError(f"expected {hint}, got a bool")  # JSON true is no number here
    if hint is float and isinstance(raw, int | float):
        return float(raw)
    if isinstance(hint, type) and isinstance(raw, hint):
        return raw
    raise TypeError(f"expected {hint}, got {type(raw).__name__}")


def _decode_dataclass(cls: type, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    hints = typing.get_type_hints(cls)
    # Unknown keys (a field since removed) are dropped; missing ones take the field default.
    values = {
        f.name: _decode(hints[f.name], raw[f.name])
        for f in dataclasses.fields(cls)
        if f.name in raw
    }
    return cls(**values)


def query_to_json(query: Query) -> str:
    """The turn as a JSON document (enums by value, tuples as lists)."""
    return json.dumps({"format": _FORMAT, "query": _encode(query)}, ensure_ascii=False)


def query_from_json(text: str) -> Query:
    """Inverse of :func:`query_to_json`; ``ValueError`` when the text is not such a turn."""
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError("unknown conversation turn format")
        query = _decode_dataclass(Query, doc.get("query"))
    except (TypeError, KeyError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable conversation turn: {exc}") from exc
    assert isinstance(query, Query)
    return query


# -- SQLite store ----------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    touched INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_touched ON conversations (touched);
"""


class SqliteConversationStore:
    """:class:`ConversationStore` kept in a SQLite file, shared by processes (WAL mode).

    Every call is one short transaction; ``touched`` is a counter taken inside the write
    transaction, so the least recently used order holds across processes."""

    def __init__(self, path: Path, max_conversations: int = 1000, timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.max_conversations = max_conversations
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are begun explicitly below.
            self._db = sqlite3.connect(
                self.path, timeout=timeout_s, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.execute("SELECT id, query, touched FROM conversations LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> ConfigError:
        return ConfigError(
            f"会話の記録を開けません / cannot use the conversation store {self.path}: {exc} "
            "(delete the file to start afresh)"
        )

    @staticmethod
    def new_id() -> str:
        return _new_id()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write-locked transaction (safe against a second process), with the
        store's lock held; SQLite failures become a :class:`ConfigError` naming the file."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def last(self, conversation_id: str) -> Query | None:
        with self._transaction() as db:
            row = db.execute(
                "SELECT query FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is not None:
                self._touch(conversation_id)
        if row is None:
            return None
        try:
            return query_from_json(row[0])
        except ValueError as exc:
            # An unreadable turn (e.g. written by an older version) starts the conversation afresh.
            log.warning("conversation %s: %s", conversation_id, exc)
            return None

    def remember(self, conversation_id: str, query: Query) -> None:
        document = query_to_json(query)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO conversations (id, query, touched) VALUES (?, ?, 0) "
                "ON CONFLICT (id) DO UPDATE SET query = excluded.query",
                (conversation_id, document),
            )
            self._touch(conversation_id)
            self._evict()

    def __len__(self) -> int:
        with self._lock:
            try:
                (count,) = self._db.execute("SELECT COUNT(*) FROM conversations").fetchone()
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
        return int(count)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteConversationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- inside a write transaction ------------------------------------------------------------
    def _touch(self, conversation_id: str) -> None:
        self._db.execute(
            "UPDATE conversations SET touched = "
            "(SELECT COALESCE(MAX(touched), 0) + 1 FROM conversations) WHERE id = ?",
            (conversation_id,),
        )

    def _evict(self) -> None:
        row = self._db.execute(
            "SELECT touched FROM conversations ORDER BY touched DESC LIMIT 1 OFFSET ?",
            (max(self.max_conversations, 0),),
        ).fetchone()
        if row is not None:
            self._db.execute("DELETE FROM conversations WHERE touched <= ?", (row[0],))
