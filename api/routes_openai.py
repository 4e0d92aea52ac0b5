"""The OpenAI-compatible chat API (/v1) on the same app, for chat front-ends (Dify, Open
WebUI, LibreChat) and the ``openai`` SDK: one model, chat completions plain or streamed.

Stateless, as those clients expect: each request carries the conversation (see
:mod:`api.openai_turns`). The answer's text carries [n] citation marks and a 「出典」 list;
the same citations come as data in the completion's extra ``citations`` field (in the
stream: its last chunk). Errors use OpenAI's shape (see :mod:`api.errors`).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from api.convert import citation_out
from api.deps import AnswererDep, CorpusDep, SettingsDep
from api.errors import openai_error_body
from api.openai_schemas import (
    MODEL_ID,
    ChatChoiceOut,
    ChatCompletionIn,
    ChatCompletionOut,
    ChatMessageOut,
    ModelListOut,
    ModelOut,
    OpenAIErrorOut,
)
from api.openai_text import cited_content, completion_chunk, sse_data
from api.openai_turns import Turns, ask_after, model_not_found, read_turns
from api.routes_answer import answer_question
from assistant import Answer, Answerer
from ingest import Corpus

__all__ = ["router"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["openai"])

_CREATED = int(time.time())  # the model's "created": when this process began serving it
_ERROR = {"model": OpenAIErrorOut}
_KEY: dict[int | str, dict[str, Any]] = {
    401: {**_ERROR, "description": "invalid_api_key: SME_API_KEY が設定されていて、キーがない"}
}
_CHAT_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`stream: true` なら SSE: `data: {chat.completion.chunk}` の列"
        "（最初は delta.role、最後は finish_reason=stop と citations）、最後に `data: [DONE]`。",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    400: {**_ERROR, "description": "tools・n>1・画像など使えない指定、質問がない・長すぎる"},
    **_KEY,
    404: {**_ERROR, "description": "model_not_found"},
    413: {**_ERROR, "description": "本文が大きすぎる"},
    503: {**_ERROR, "description": "準備中"},
}


@router.get("/v1/models", response_model=ModelListOut, responses=_KEY)
async def list_models() -> ModelListOut:
    """使えるモデル（1つ）。OpenAI の `GET /v1/models` と同じ形。"""
    return ModelListOut(data=[ModelOut(created=_CREATED)])


@router.get(
    "/v1/models/{model}",
    response_model=ModelOut,
    responses={**_KEY, 404: {**_ERROR, "description": "model_not_found"}},
)
async def retrieve_model(model: str) -> ModelOut:
    """モデル1つの情報。"""
    if model != MODEL_ID:
        raise model_not_found(model)
    return ModelOut(created=_CREATED)


async def _answer(request: Request, answerer: Answerer, turns: Turns) -> Answer:
    """A lone question as /api/ask answers it (answer cache, one composition per burst);
    one after earlier turns replays them, all in one worker under the answer limiter."""
    if not turns.earlier:
        return await answer_question(request, answerer, turns.question, None)
    limiter = request.app.state.answer_limiter
    return await anyio.to_thread.run_sync(ask_after, answerer, turns, limiter=limiter)


async def _chunks(
    request: Request,
    answerer: Answerer,
    corpus: Corpus,
    turns: Turns,
    *,
    completion_id: str,
    created: int,
) -> AsyncIterator[str]:
    """The stream: the role at once (the client sees the answer coming), then the message
    text line by line, the last chunk with the citations, and [DONE].

    The text is sent once the answer is final: OpenAI clients cannot take back text already
    shown (the web chat's `reset`), and the marks need the citations."""
    yield sse_data(completion_chunk(completion_id, created, {"role": "assistant", "content": ""}))
    try:
        answer = await _answer(request, answerer, turns)
        for line in cited_content(answer, corpus).splitlines(keepends=True):
            yield sse_data(completion_chunk(completion_id, created, {"content": line}))
        yield sse_data(completion_chunk(completion_id, created, {}, finish="stop", answer=answer))
    except Exception as exc:
        # The status line is sent by now: the error travels as an event the SDK raises.
        status, body = openai_error_body(exc)
        if status >= 500:
            log.exception("streamed completion failed")
        yield sse_data(body)
    yield sse_data("[DONE]")


@router.post("/v1/chat/completions", response_model=ChatCompletionOut, responses=_CHAT_DOC)
async def chat_completions(
    body: ChatCompletionIn,
    request: Request,
    settings: SettingsDep,
    answerer: AnswererDep,
    corpus: CorpusDep,
) -> Response | ChatCompletionOut:
    """OpenAI 互換のチャット（`stream: true` で SSE）。会話はサーバーに残りません。

    最後の user メッセージが質問です。その前の user メッセージ（最大3つ）を順に答え直して
    から質問に答えるので、「その補助率は？」のような続きの質問も Web のチャットと同じように
    解決します。回答文には出典番号（…[1]）と「出典」の一覧が付き、同じ出典が `citations` にも
    入ります（/api/ask と同じ形）。"""
    turns = read_turns(body, settings)
    completion_id = f"chatcmpl-{secrets.token_hex(12)}"
    created = int(time.time())
    if body.stream:
        return StreamingResponse(
            _chunks(request, answerer, corpus, turns, completion_id=completion_id, created=created),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = await _answer(request, answerer, turns)
    return ChatCompletionOut(
        id=completion_id,
        created=created,
        model=MODEL_ID,
        choices=[ChatChoiceOut(message=ChatMessageOut(content=cited_content(answer, corpus)))],
        citations=[citation_out(c) for c in answer.citations],
    )
