"""Multi-turn memory: each conversation's previous parsed question, bounded by count and age.

One contract (:class:`ConversationStore`), two stores: :class:`MemoryConversationStore`
lives in one process; :class:`assistant.SqliteConversationStore` keeps turns in a SQLite
file shared by processes (the CLI's ``ask --conversation``, the API's worker processes).

Ids handed to HTTP clients come from :meth:`ConversationStore.start`: random, unguessable,
and known to the store from the moment they are issued, so the API can refuse any other id.
In-process callers (the CLI, the evaluation) may also name a conversation themselves:
:meth:`ConversationStore.remember` creates an unknown one.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from assistant.understanding import Query
from core import NotFoundError

__all__ = [
    "ConversationNotFoundError",
    "ConversationStore",
    "MemoryConversationStore",
    "new_conversation_id",
]

ID_BYTES = 24  # 192 random bits: guessing a live id is hopeless even with many live ones
DEFAULT_MAX_CONVERSATIONS = 1000
DEFAULT_TTL_S = 86400.0


class ConversationNotFoundError(NotFoundError):
    """A client sent a conversation id that was never issued, or has expired."""

    def __init__(self) -> None:
        super().__init__(
            "会話が見つかりません（期限切れの可能性があります）。新しい会話として質問してください。"
        )


def new_conversation_id() -> str:
    """An unguessable id (URL-safe text of :data:`ID_BYTES` random bytes)."""
    return secrets.token_urlsafe(ID_BYTES)


@runtime_checkable
class ConversationStore(Protocol):
    """Where the assistant keeps each conversation's last :class:`Query`.

    A conversation is dropped when it has had no turn for ``ttl_s`` seconds, or when more
    than ``max_conversations`` are kept (the one whose last turn is oldest goes first)."""

    def start(self) -> str:
        """Issue a fresh id for a conversation that has no turn yet."""
        ...

    def exists(self, conversation_id: str) -> bool:
        """Whether the id was started or remembered, and has not expired or been dropped."""
        ...

    def last(self, conversation_id: str) -> Query | None: ...

    def remember(self, conversation_id: str, query: Query) -> None:
        """Keep ``query`` as the conversation's last turn (creating the conversation)."""
        ...

    def __len__(self) -> int:
        """Live conversations (expired ones are not counted)."""
        ...

    def close(self) -> None: ...


class MemoryConversationStore:
    """:class:`ConversationStore` in this process's memory (thread-safe).

    ``clock`` (seconds, never going back) is injectable so tests expire turns without
    sleeping."""

    def __init__(
        self,
        max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_conversations = max_conversations
        self.ttl_s = ttl_s
        self._clock = clock
        # id → (last turn or None before the first, time of the last turn); oldest first.
        self._turns: OrderedDict[str, tuple[Query | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> str:
        conversation_id = new_conversation_id()
        with self._lock:
            self._put(conversation_id, None)
        return conversation_id

    def exists(self, conversation_id: str) -> bool:
        with self._lock:
            return self._live(conversation_id) is not None

    def last(self, conversation_id: str) -> Query | None:
        with self._lock:
            entry = self._live(conversation_id)
            return None if entry is None else entry[0]

    def remember(self, conversation_id: str, query: Query) -> None:
        with self._lock:
            self._put(conversation_id, query)

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._turns)

    def close(self) -> None:
        """Nothing to release (the same interface as the SQLite store)."""

    # -- with the lock held ---------------------------------------------------------------
    def _live(self, conversation_id: str) -> tuple[Query | None, float] | None:
        entry = self._turns.get(conversation_id)
        if entry is not None and self._clock() - entry[1] >= self.ttl_s:
            del self._turns[conversation_id]
            return None
        return entry

    def _put(self, conversation_id: str, query: Query | None) -> None:
        self._turns[conversation_id] = (query, self._clock())
        self._turns.move_to_end(conversation_id)
        self._expire()
        while len(self._turns) > max(self.max_conversations, 0):
            self._turns.popitem(last=False)

    def _expire(self) -> None:
        # Entries are in the order of their last turn, so the expired ones lead.
        cutoff = self._clock() - self.ttl_s
        while self._turns and next(iter(self._turns.values()))[1] <= cutoff:
            self._turns.popitem(last=False)
