"""Which conversation an HTTP request belongs to: none, a new one, or one the API issued.

A request without ``conversation_id`` is a one-shot question and keeps nothing, unless it
sets ``new_conversation``: then the store issues an unguessable id, which the answer carries
and the client sends back to continue. Any other id (made up, expired, or a command-line
conversation's name, which lives in another namespace) is refused with a 404.
"""

from __future__ import annotations

import logging
import threading

import anyio

from api.questions import check_text
from api.schemas import AskIn
from assistant import (
    ConversationNotFoundError,
    ConversationStore,
    open_conversation_store,
)
from core import AnswerError, Settings

__all__ = ["WebConversations", "resolve_conversation"]

log = logging.getLogger(__name__)


class WebConversations:
    """The app's conversation store (``web`` namespace), opened on first use.

    Opening may fail (an unwritable store folder): one-shot questions never open it, so
    they keep working while conversation requests answer 503."""

    def __init__(self, settings: Settings, store: ConversationStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._opened = False  # a store handed in belongs to its giver, who closes it
        self._lock = threading.Lock()

    def store(self) -> ConversationStore:
        """The store, opened now if need be (may touch the disk: call it off the event loop)."""
        with self._lock:
            if self._store is None:
                self._store = open_conversation_store(self.settings, "web")
                self._opened = True
                log.info("conversations kept in %s", type(self._store).__name__)
            return self._store

    def resolve(self, conversation_id: str | None, new_conversation: bool) -> str | None:
        """The id the request's turn belongs to (None: one-shot); see the module docstring."""
        cid = (conversation_id or "").strip()
        if cid and new_conversation:
            raise AnswerError(
                "conversation_id と new_conversation は一緒に指定できません"
                "（会話を続けるときは conversation_id だけを送ってください）。"
            )
        if cid:
            if not self.store().exists(cid):
                raise ConversationNotFoundError()
            return cid
        return self.store().start() if new_conversation else None

    def close(self) -> None:
        with self._lock:
            if self._store is not None and self._opened:
                self._store.close()
                self._store, self._opened = None, False


async def resolve_conversation(body: AskIn, conversations: WebConversations) -> str | None:
    """:meth:`WebConversations.resolve` for a request; one-shot questions stay on the loop."""
    conversation_id = check_text(body.conversation_id or "", "会話ID")
    if not conversation_id.strip() and not body.new_conversation:
        return None
    return await anyio.to_thread.run_sync(
        conversations.resolve, conversation_id, body.new_conversation
    )
