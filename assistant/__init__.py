"""Assistant: grounded Japanese answers with citations."""

from assistant.conversation import ConversationMemory, SqliteConversationStore
from assistant.models import Answer, Answerer, Citation, Intent, StreamReset
from assistant.service import Assistant, build_assistant
from assistant.text import nfkc

__all__ = [
    "Answer",
    "Answerer",
    "Assistant",
    "Citation",
    "ConversationMemory",
    "Intent",
    "SqliteConversationStore",
    "StreamReset",
    "build_assistant",
    "nfkc",
]
