"""What an OpenAI chat request asks: the question, the earlier turns it may lean on, and the
refusal of what this API does not do (tools, several choices, images, JSON output).

The request carries the whole conversation (the front-ends keep it; the server keeps
nothing). A follow-up such as 「その補助率は？」 resolves as in the web chat by replaying
the earlier user turns through the answerer in a private conversation that lives only for
this request (never the web conversation store), then asking the last one.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any

from api.errors import OpenAIError
from api.openai_schemas import MODEL_ID, ChatCompletionIn, ChatMessageIn
from api.questions import check_question
from assistant import Answer, Answerer, ConversationStore, MemoryConversationStore
from core import AnswerError, Settings

__all__ = ["MAX_REPLAYED_TURNS", "Turns", "ask_after", "model_not_found", "read_turns"]

# Each replayed turn may cost a composition: a follow-up rarely leans further back.
MAX_REPLAYED_TURNS = 3
_UNSUPPORTED = "unsupported_parameter"


@dataclass(frozen=True, slots=True)
class Turns:
    question: str
    earlier: tuple[str, ...] = ()  # user turns to replay first, oldest first


def model_not_found(name: str) -> OpenAIError:
    shown = name if len(name) <= 80 else name[:80] + "…"
    return OpenAIError(
        404,
        f"モデル「{shown}」はありません。使えるのは {MODEL_ID} です。",
        param="model",
        code="model_not_found",
    )


def _refuse(param: str, message: str, code: str = _UNSUPPORTED) -> OpenAIError:
    return OpenAIError(400, message, param=param, code=code)


def _check_options(body: ChatCompletionIn) -> None:
    """400 for what the API cannot do; sampling options (temperature…) are simply ignored."""
    if body.model != MODEL_ID:
        raise model_not_found(body.model)
    if body.tools or body.functions:
        param = "tools" if body.tools else "functions"
        raise _refuse(param, "ツール（関数呼び出し）は使えません。")
    for param, value in (("tool_choice", body.tool_choice), ("function_call", body.function_call)):
        if value not in (None, "none"):
            raise _refuse(param, "ツール（関数呼び出し）は使えません。")
    if body.n is not None and body.n != 1:
        raise _refuse("n", "回答は1つだけ返します（n は 1 にしてください）。", "unsupported_value")
    if body.response_format is not None and body.response_format.get("type") != "text":
        raise _refuse(
            "response_format", "回答はテキストだけです（JSON 形式には対応していません）。"
        )
    if body.audio is not None or any(m != "text" for m in body.modalities or ()):
        raise _refuse("modalities", "回答はテキストだけです（音声には対応していません）。")


def _text(message: ChatMessageIn, index: int) -> str:
    """The message's text; images, audio and files are refused (400)."""
    content = message.content
    if content is None or isinstance(content, str):
        return content or ""
    texts: list[str] = []
    for number, part in enumerate(content):
        text: Any = part.get("text")
        if part.get("type") != "text" or not isinstance(text, str):
            raise _refuse(
                f"messages[{index}].content[{number}]",
                "画像・音声・ファイルは扱えません。質問は文字で入力してください。",
                "unsupported_content",
            )
        texts.append(text)
    return "\n".join(texts)


def _usable(message: ChatMessageIn, index: int, settings: Settings) -> str | None:
    """An earlier turn as the answerer would take it, or None for one it would refuse (too
    long, not text): its answer was an error, and the front-end still sends it back."""
    try:
        return check_question(_text(message, index), settings)
    except (AnswerError, OpenAIError):
        return None


def read_turns(body: ChatCompletionIn, settings: Settings) -> Turns:
    """The question and the turns before it, or an :class:`OpenAIError`. System and
    assistant messages are not read: the answers come from the report alone."""
    _check_options(body)
    users = [i for i, message in enumerate(body.messages) if message.role == "user"]
    if not users:
        raise _refuse("messages", "user のメッセージ（質問）がありません。", "missing_user_message")
    last = users[-1]
    try:
        question = check_question(_text(body.messages[last], last), settings)
    except AnswerError as exc:
        raise _refuse(f"messages[{last}].content", str(exc), "invalid_value") from exc
    earlier: list[str] = []
    for i in reversed(users[:-1]):  # newest first: a long history is not read to its start
        if len(earlier) == MAX_REPLAYED_TURNS:
            break
        text = _usable(body.messages[i], i, settings)
        if text is not None:
            earlier.append(text)
    return Turns(question, tuple(reversed(earlier)))


def _private(answerer: Answerer) -> tuple[Answerer, str]:
    """The answerer with a throw-away conversation store of its own, and a conversation id.

    A shallow copy shares everything costly (parser, searcher, answer cache) and swaps only
    the store: the replayed turns never reach the web conversations, and nothing outlives
    the request. An answerer without a store keeps turns by id: a fresh random id then."""
    store = getattr(answerer, "conversations", None)
    if isinstance(store, ConversationStore):
        private = copy.copy(answerer)
        own = MemoryConversationStore(max_conversations=1)
        private.conversations = own  # type: ignore[attr-defined]
        return private, own.start()
    return answerer, secrets.token_urlsafe(24)


def ask_after(answerer: Answerer, turns: Turns) -> Answer:
    """The answer to ``turns.question`` as the web chat gives it after the earlier turns
    (runs them all: call it in a worker thread)."""
    private, conversation_id = _private(answerer)
    for turn in turns.earlier:
        private.ask(turn, conversation_id)
    return private.ask(turns.question, conversation_id)
