"""Assistant: grounded Japanese answers with citations."""

from assistant.conversation import (
    ConversationNotFoundError,
    ConversationStore,
    MemoryConversationStore,
)
from assistant.conversation_sqlite import (
    SqliteConversationStore,
    conversation_db_path,
    open_conversation_store,
)
from assistant.models import Answer, Answerer, Citation, Intent, StreamReset
from assistant.service import Assistant, build_assistant
from assistant.text import nfkc
from assistant.topics import ScoredTopic, Topic, TopicStage

__all__ = [
    "Answer",
    "Answerer",
    "Assistant",
    "Citation",
    "ConversationNotFoundError",
    "ConversationStore",
    "Intent",
    "MemoryConversationStore",
    "ScoredTopic",
    "SqliteConversationStore",
    "StreamReset",
    "Topic",
    "TopicStage",
    "build_assistant",
    "conversation_db_path",
    "nfkc",
    "open_conversation_store",
]
