"""Asking: one JSON answer (/api/ask) or the answer streamed as Server-Sent Events (/api/chat)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from api.conversations import WebConversations, resolve_conversation
from api.convert import answer_out
from api.deps import get_answerer, get_app_settings, get_conversations
from api.errors import error_body
from api.questions import check_question
from api.schemas import AnswerOut, AskIn, ErrorOut
from assistant import Answer, Answerer, StreamReset
from core import AnswerError, Settings

__all__ = ["check_question", "router"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["answer"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": ErrorOut,
        "description": "conversation_not_found: 発行していない・期限切れの conversation_id",
    },
    422: {"model": ErrorOut, "description": "空の質問・長すぎる質問・不正な JSON"},
    503: {"model": ErrorOut, "description": "準備中"},
}
_SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SSE: `meta` (conversation_id), `delta` (text)…, `answer` (AnswerOut) "
        'or `error`, then `done`. A `reset` event ({"reason": "guard"|"error"}) among '
        "the deltas means: discard the text shown so far, the deltas after it replace it "
        "(LLM phrasing rejected mid-stream, the grounded composer's text follows). The "
        "`answer` event's text is always what the client ends up showing.",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "required": ["event", "data"],
                    "properties": {
                        "event": {"enum": ["meta", "delta", "reset", "answer", "error", "done"]},
                        "data": {"type": "string", "description": "JSON"},
                    },
                }
            }
        },
    },
    **_ERRORS,
}


def _out(answer: Answer, conversation_id: str | None, started: float) -> AnswerOut:
    out = answer_out(answer)
    out.conversation_id = conversation_id  # the route's, never an id the API did not issue
    if not out.latency_ms:
        out.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return out


@router.post("/api/ask", response_model=AnswerOut, responses=_ERRORS)
async def ask(
    body: AskIn,
    request: Request,
    settings: Annotated[Settings, Depends(get_app_settings)],
    answerer: Annotated[Answerer, Depends(get_answerer)],
    conversations: Annotated[WebConversations, Depends(get_conversations)],
) -> AnswerOut:
    """質問に、報告書からの引用付きで答えます（`sme-assistant ask --json` と同じ形）。

    `new_conversation: true` で会話を始め、回答の `conversation_id` を次の質問に付けると
    「その上限は？」のような続きの質問ができます。"""
    question = check_question(body.question, settings)
    conversation_id = await resolve_conversation(body, conversations)
    started = time.perf_counter()
    answer = await _answer(request, answerer, question, conversation_id)
    return _out(answer, conversation_id, started)


async def _answer(
    request: Request, answerer: Answerer, question: str, conversation_id: str | None
) -> Answer:
    """The answer, from the answerer's cache when it has one, else from a worker thread.

    A cache lookup is a dictionary access: done on the event loop, it does not queue behind
    questions that need a worker (the limiter keeps those to a few at a time). Requests for
    a question already being composed wait for that one and then read the cache, instead
    of composing it again (a popular question arriving in a burst costs one composition).
    A conversation's turn reads and writes its store (maybe a file): always in a worker.
    """
    limiter = request.app.state.answer_limiter
    lookup = getattr(answerer, "cached_answer", None)
    enabled = getattr(answerer, "answer_cache_enabled", True)
    if conversation_id is not None or not callable(lookup) or not enabled:
        return await anyio.to_thread.run_sync(
            answerer.ask, question, conversation_id, limiter=limiter
        )
    answer: Answer | None = lookup(question, None)
    if answer is not None:
        return answer
    in_flight: dict[str, anyio.Event] = request.app.state.answers_in_flight
    pending = in_flight.get(question)
    if pending is not None:
        await pending.wait()
        answer = lookup(question, None)  # None: not cacheable
        if answer is not None:
            return answer
        return await anyio.to_thread.run_sync(
            answerer.ask, question, conversation_id, limiter=limiter
        )
    done = in_flight[question] = anyio.Event()
    try:
        return await anyio.to_thread.run_sync(
            answerer.ask, question, conversation_id, limiter=limiter
        )
    finally:
        in_flight.pop(question, None)
        done.set()


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _events(answerer: Answerer, question: str, conversation_id: str | None) -> Iterator[str]:
    started = time.perf_counter()
    yield _event("meta", {"conversation_id": conversation_id})
    final: Answer | None = None
    try:
        for piece in answerer.stream(question, conversation_id):
            if isinstance(piece, Answer):
                final = piece
            elif isinstance(piece, StreamReset):
                yield _event("reset", {"reason": piece.reason})
            elif piece:
                yield _event("delta", {"text": piece})
        if final is None:
            raise AnswerError("回答を作成できませんでした。")
        yield _event("answer", _out(final, conversation_id, started).model_dump())
    except Exception as exc:
        # Headers are sent by now: the failure travels as an event carrying its status.
        status, body = error_body(exc)
        if status >= 500:
            log.exception("streamed answer failed")
        yield _event("error", {**body, "status": status})
    yield _event("done", {})


def _cached_events(answerer: Answerer, question: str) -> list[str] | None:
    """The whole event stream of a cached one-shot answer, or None when there is none.

    The fast path of :func:`_answer` for the stream: the lookup is a dictionary access, so
    :func:`chat` does it on the event loop and a cached answer never queues for a worker
    thread. The events match the slow path's for the same answer (deltas by line)."""
    lookup = getattr(answerer, "cached_answer", None)
    if not callable(lookup) or not getattr(answerer, "answer_cache_enabled", True):
        return None
    started = time.perf_counter()
    answer: Answer | None = lookup(question, None)
    if answer is None:
        return None
    return [
        _event("meta", {"conversation_id": None}),
        *(_event("delta", {"text": line}) for line in answer.answer.splitlines(keepends=True)),
        _event("answer", _out(answer, None, started).model_dump()),
        _event("done", {}),
    ]


async def _replay(events: list[str]) -> AsyncIterator[str]:
    # An async iterator: Starlette runs a sync one in the thread pool, one hop per event.
    for event in events:
        yield event


@router.post("/api/chat", response_class=StreamingResponse, responses=_SSE_DOC)
async def chat(
    body: AskIn,
    settings: Annotated[Settings, Depends(get_app_settings)],
    answerer: Annotated[Answerer, Depends(get_answerer)],
    conversations: Annotated[WebConversations, Depends(get_conversations)],
) -> StreamingResponse:
    """回答を生成しながら Server-Sent Events で送ります（最後に引用と最終結果）。

    会話の扱いは /api/ask と同じです（不明な conversation_id はストリームの前に 404）。"""
    question = check_question(body.question, settings)
    conversation_id = await resolve_conversation(body, conversations)
    # A conversation's turn touches its store: the stream (a worker thread) does that.
    cached = _cached_events(answerer, question) if conversation_id is None else None
    events: AsyncIterator[str] | Iterator[str] = (
        _replay(cached) if cached is not None else _events(answerer, question, conversation_id)
    )
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
