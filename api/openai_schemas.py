"""Pydantic models of the OpenAI-compatible API (/v1): the subset of OpenAI's chat API that
chat front-ends (Dify, Open WebUI, LibreChat) and the ``openai`` SDK send and read."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import CitationOut

__all__ = [
    "MODEL_ID",
    "ChatChoiceOut",
    "ChatCompletionIn",
    "ChatCompletionOut",
    "ChatMessageIn",
    "ChatMessageOut",
    "ModelListOut",
    "ModelOut",
    "OpenAIErrorDetailOut",
    "OpenAIErrorOut",
]

MODEL_ID = "kawasaki-sme-assistant"

_IGNORED = "受け付けますが使いません（回答は報告書の記載から作るため）。"


class ChatMessageIn(BaseModel):
    # Clients add fields of their own (name, tool_calls, ids): accepted, never read.
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = Field(
        default=None,
        description="テキスト、または `{type: text, text}` の部品の列。画像・音声の部品は 400。",
    )


class ChatCompletionIn(BaseModel):
    """OpenAI's chat completion request. Unknown fields are accepted and ignored, as the
    front-ends send many of their own."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description=f"`{MODEL_ID}` のみ（ほかは 404 model_not_found）。")
    messages: list[ChatMessageIn] = Field(
        description="会話の全履歴。最後の user メッセージが質問で、その前の user メッセージ"
        "（最大3つ）から続きの質問（「その補助率は？」）を解決します。system と assistant の"
        "メッセージは読みません。"
    )
    stream: bool | None = Field(default=False, description="true で chat.completion.chunk の SSE。")
    n: int | None = Field(default=None, description="1 のみ。")
    tools: list[Any] | None = Field(default=None, description="使えません（400）。")
    tool_choice: Any = Field(default=None, description="none 以外は 400。")
    functions: list[Any] | None = Field(default=None, description="使えません（400）。")
    function_call: Any = Field(default=None, description="none 以外は 400。")
    response_format: dict[str, Any] | None = Field(
        default=None, description='`{"type": "text"}` のみ。'
    )
    modalities: list[str] | None = Field(default=None, description='`["text"]` のみ。')
    audio: dict[str, Any] | None = Field(default=None, description="使えません（400）。")
    temperature: float | None = Field(default=None, description=_IGNORED)
    top_p: float | None = Field(default=None, description=_IGNORED)
    max_tokens: int | None = Field(default=None, description=_IGNORED)
    max_completion_tokens: int | None = Field(default=None, description=_IGNORED)
    presence_penalty: float | None = Field(default=None, description=_IGNORED)
    frequency_penalty: float | None = Field(default=None, description=_IGNORED)
    seed: int | None = Field(default=None, description=_IGNORED)
    stop: str | list[str] | None = Field(default=None, description=_IGNORED)
    user: str | None = Field(default=None, description=_IGNORED)
    stream_options: dict[str, Any] | None = Field(default=None, description=_IGNORED)


class ChatMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="回答と番号付きの出典記号（…[1]）、末尾に「出典」の一覧。")
    refusal: str | None = None


class ChatChoiceOut(BaseModel):
    index: int = 0
    message: ChatMessageOut
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[ChatChoiceOut]
    system_fingerprint: str | None = None
    citations: list[CitationOut] = Field(
        description="OpenAI にはない項目: 本文の [n] が指す出典（/api/ask の citations と同じ形）。"
    )


class ModelOut(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "kawasaki-sme-assistant"


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class OpenAIErrorDetailOut(BaseModel):
    message: str = Field(description="Human-readable (Japanese) message.")
    type: str = Field(description="invalid_request_error or server_error.")
    param: str | None = Field(default=None, description="The request field at fault.")
    code: str | None = Field(default=None, description="e.g. model_not_found, invalid_api_key.")


class OpenAIErrorOut(BaseModel):
    error: OpenAIErrorDetailOut
