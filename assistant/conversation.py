"""Multi-turn memory: each conversation's previous parsed question (bounded, thread-safe)."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

from assistant.understanding import Query

__all__ = ["ConversationStore"]


class ConversationStore:
    """Keeps the last :class:`Query` of at most ``max_conversations`` conversations (LRU)."""

    def __init__(self, max_conversations: int = 1000) -> None:
        self.max_conversations = max_conversations
        self._turns: OrderedDict[str, Query] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

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
