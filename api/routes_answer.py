"""Asking: one JSON answer (/api/ask) or the answer streamed as Server-Sent Events (/api/chat)."""

from __future__ import annotations

import json
import logging
import time
import unicodedata
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.conversations import resolve_conversation
from api.convert import answer_out
from api.deps import AnswererDep, ConversationsDep, FeedbackDep, SettingsDep
from api.errors import error_body
from api.feedback import Feedback
from api.questions import check_question
from api.schemas import AnswerOut, AskIn, ErrorOut
from assistant import Answer, Answerer, StreamReset
from core import AnswerError

__all__ = ["answer_question", "check_question", "router"]

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


def _out(
    answer: Answer, conversation_id: str | None, started: float, feedback: Feedback, question: str
) -> AnswerOut:
    out = answer_out(answer)
    out.conversation_id = conversation_id  # the route's, never an id the API did not issue
    # Issued as the answer leaves: each answer sent, a cached one too, has its own id.
    out.answer_id = feedback.issue(question, answer)
    if not out.latency_ms:
        out.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return out


@router.post("/api/ask", response_model=AnswerOut, responses=_ERRORS)
async def ask(
    *,
    body: AskIn,
    request: Request,
    settings: SettingsDep,
    answerer: AnswererDep,
    conversations: ConversationsDep,
    feedback: FeedbackDep,
) -> AnswerOut:
    """質問に、報告書からの引用付きで答えます（`sme-assistant ask --json` と同じ形）。

    `new_conversation: true` で会話を始め、回答の `conversation_id` を次の質問に付けると
    「その上限は？」のような続きの質問ができます。"""
    question = check_question(body.question, settings)
    conversation_id = await resolve_conversation(body, conversations)
    started = time.perf_counter()
    answer = await answer_question(request, answerer, question, conversation_id)
    return _out(answer, conversation_id, started, feedback, question)


def _caches(answerer: Answerer) -> bool:
    lookup = getattr(answerer, "cached_answer", None)
    return callable(lookup) and bool(getattr(answerer, "answer_cache_enabled", True))


@asynccontextmanager
async def _turn(
    request: Request, answerer: Answerer, question: str
) -> AsyncIterator[Answer | None]:
    """The cached answer, or None when this request is to compose it.

    Requests for a question being composed wait for that composition, then read the cache
    instead of composing it again at the same time: a popular question arriving in a burst
    costs one composition. Spellings that NFKC makes one (１５ and 15, ？ and ?) wait for
    each other too, and take turns; each is still composed, and cached, as written. The
    lookup is a dictionary access on the event loop: a cached answer never queues behind
    questions that need a worker (the limiter keeps those to a few at a time).
    """
    in_flight: dict[str, tuple[anyio.Event, str]] = request.app.state.answers_in_flight
    lookup = getattr(answerer, "cached_answer")  # noqa: B009 - checked by _caches
    key = unicodedata.normalize("NFKC", question)
    answer: Answer | None = lookup(question, None)
    takes_turn = True
    while answer is None and (pending := in_flight.get(key)) is not None:
        await pending[0].wait()
        answer = lookup(question, None)
        if answer is None and pending[1] == question:
            # Composed as written, yet not cached (the answerer declined to keep it):
            # waiting again would not help, so compose it alongside.
            takes_turn = False
            break
    if answer is not None or not takes_turn:
        yield answer
        return
    done = anyio.Event()
    in_flight[key] = (done, question)
    try:
        yield None
    finally:
        if in_flight.get(key, (None, ""))[0] is done:
            del in_flight[key]
        done.set()


async def answer_question(
    request: Request, answerer: Answerer, question: str, conversation_id: str | None
) -> Answer:
    """The answer, from the answerer's cache when it has one, else from a worker thread.

    A conversation's turn reads and writes its store (maybe a file): always in a worker."""
    limiter = request.app.state.answer_limiter
    if conversation_id is not None or not _caches(answerer):
        return await anyio.to_thread.run_sync(
            answerer.ask, question, conversation_id, limiter=limiter
        )
    async with _turn(request, answerer, question) as cached:
        if cached is not None:
            return cached
        return await anyio.to_thread.run_sync(
            answerer.ask, question, conversation_id, limiter=limiter
        )


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _events(
    answerer: Answerer, question: str, conversation_id: str | None, feedback: Feedback
) -> Generator[str, None, None]:
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
        out = _out(final, conversation_id, started, feedback, question)
        yield _event("answer", out.model_dump())
    except Exception as exc:
        # Headers are sent by now: the failure travels as an event carrying its status.
        status, body = error_body(exc)
        if status >= 500:
            log.exception("streamed answer failed")
        yield _event("error", {**body, "status": status})
    yield _event("done", {})


def _answer_events(
    answer: Answer, conversation_id: str | None, started: float, feedback: Feedback, question: str
) -> list[str]:
    """The whole event stream of an answer already composed; the events match the streamed
    path's for the same answer (deltas by line)."""
    out = _out(answer, conversation_id, started, feedback, question)
    return [
        _event("meta", {"conversation_id": conversation_id}),
        *(_event("delta", {"text": line}) for line in answer.answer.splitlines(keepends=True)),
        _event("answer", out.model_dump()),
        _event("done", {}),
    ]


def _cached_events(answerer: Answerer, question: str, feedback: Feedback) -> list[str] | None:
    """The whole event stream of a cached one-shot answer, or None when there is none.

    The fast path of :func:`answer_question` for the stream: the lookup is a dictionary
    access, so :func:`chat` does it on the event loop and a cached answer never queues for a
    worker thread."""
    if not _caches(answerer):
        return None
    started = time.perf_counter()
    lookup = getattr(answerer, "cached_answer")  # noqa: B009 - checked by _caches
    answer: Answer | None = lookup(question, None)
    return None if answer is None else _answer_events(answer, None, started, feedback, question)


async def _replay(events: list[str]) -> AsyncIterator[str]:
    # An async iterator: Starlette runs a sync one in the thread pool, one hop per event.
    for event in events:
        yield event


async def _in_workers(
    events: Generator[str, None, None], limiter: anyio.CapacityLimiter
) -> AsyncIterator[str]:
    """Each step of a composing stream in a worker thread, under the answer limiter (as
    /api/ask composes): a burst of new questions no longer composes all at once."""
    try:
        while True:
            event = await anyio.to_thread.run_sync(next, events, None, limiter=limiter)
            if event is None:
                return
            yield event
    finally:
        # Left early (the client went away): close it in a worker, as closing may end an
        # LLM stream; shielded, since this runs while the request is being cancelled.
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(events.close)


async def _composed(
    request: Request,
    answerer: Answerer,
    question: str,
    conversation_id: str | None,
    feedback: Feedback,
) -> AsyncIterator[str]:
    """The stream of a question not in the cache: composed under the answer limiter, and
    after any composition of the same question already under way, whose cached answer is
    then replayed instead of composing it again (the guard of /api/ask)."""
    limiter = request.app.state.answer_limiter
    events = _events(answerer, question, conversation_id, feedback)
    if conversation_id is not None or not _caches(answerer):
        async for event in _in_workers(events, limiter):
            yield event
        return
    started = time.perf_counter()
    async with _turn(request, answerer, question) as cached:
        if cached is not None:  # ``events`` never started: nothing to close
            for event in _answer_events(cached, conversation_id, started, feedback, question):
                yield event
            return
        async for event in _in_workers(events, limiter):
            yield event


@router.post("/api/chat", response_class=StreamingResponse, responses=_SSE_DOC)
async def chat(
    *,
    body: AskIn,
    request: Request,
    settings: SettingsDep,
    answerer: AnswererDep,
    conversations: ConversationsDep,
    feedback: FeedbackDep,
) -> StreamingResponse:
    """回答を生成しながら Server-Sent Events で送ります（最後に引用と最終結果）。

    会話の扱いは /api/ask と同じです（不明な conversation_id はストリームの前に 404）。"""
    question = check_question(body.question, settings)
    conversation_id = await resolve_conversation(body, conversations)
    # A conversation's turn touches its store: the stream (a worker thread) does that.
    cached = _cached_events(answerer, question, feedback) if conversation_id is None else None
    events = (
        _replay(cached)
        if cached is not None
        else _composed(request, answerer, question, conversation_id, feedback)
    )
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
