"""The FastAPI application factory: JSON API, SSE chat and the static web chat."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api.conversations import WebConversations
from api.deps import ServicesDep
from api.errors import install_error_handlers
from api.feedback import Feedback
from api.middleware import BodyLimit, HeadAsGet, SecurityHeaders
from api.openai_auth import ApiKeyAuth
from api.openapi import document_text_limits
from api.routes_answer import router as answer_router
from api.routes_corpus import router as corpus_router
from api.routes_feedback import router as feedback_router
from api.routes_openai import router as openai_router
from api.schemas import HealthOut
from api.services import NOT_READY, STARTING, Services, load_services
from assistant import ConversationStore
from core import ConfigError, Settings, get_settings

__all__ = ["STATIC_DIR", "create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _cache_stats(state: Services) -> dict[str, dict[str, float]]:
    """Counters of whichever caches the loaded stages keep (load tests read the hit rate)."""
    stats: dict[str, dict[str, float]] = {}
    answers = getattr(state.answerer, "answers", None)
    if callable(getattr(answers, "stats", None)):
        stats["answer"] = answers.stats()  # type: ignore[union-attr]
    searcher_stats = getattr(state.searcher, "cache_stats", None)
    if callable(searcher_stats):
        stats.update(searcher_stats())
    return stats


def _stage_stats(state: Services) -> dict[str, int | float]:
    clock = getattr(state.answerer, "clock", None)
    stats = getattr(clock, "stats", None)
    return stats() if callable(stats) else {}


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app; ``services`` (tests, benchmarks) skips loading the real stages."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The answer id key now, not on the first answer (which may be served on the loop).
        await anyio.to_thread.run_sync(app.state.feedback.ids.key)
        if services is None:
            store: ConversationStore | None = None
            try:
                store = await anyio.to_thread.run_sync(app.state.conversations.store)
            except ConfigError as exc:
                # One-shot questions still work; conversation requests answer 503.
                log.error("conversations unavailable: %s", exc)
            app.state.services = await anyio.to_thread.run_sync(load_services, settings, store)
            if app.state.services.error:
                log.warning("serving degraded: %s", app.state.services.error)
        try:
            yield
        finally:
            app.state.conversations.close()
            await anyio.to_thread.run_sync(app.state.feedback.close)

    app = FastAPI(
        title="川崎市 中小企業活性化施策 報告書アシスタント",
        description="平成28年度 中小企業活性化施策実施状況報告書と中小企業活性化条例に、"
        "引用付きで答える API。",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services or Services(error=STARTING)
    # The routes check ids against the store the answerer keeps turns in: an injected
    # answerer's own store when it has one, else the configured one (opened on first use).
    own = getattr(app.state.services.answerer, "conversations", None)
    app.state.conversations = WebConversations(
        settings, own if isinstance(own, ConversationStore) else None
    )
    app.state.feedback = Feedback(settings)
    # Answering is CPU-bound Python: a few threads keep the event loop free, while dozens
    # (the default pool) would only fight over the GIL and stretch the latency tail.
    app.state.answer_limiter = anyio.CapacityLimiter(max(2, os.cpu_count() or 2))
    # NFKC form of a question → (Event set when its composition ends, the spelling composed)
    app.state.answers_in_flight = {}
    install_error_handlers(app)
    document_text_limits(app, settings)
    # Added innermost first: HEAD wraps everything (it must see the GET response with all
    # headers), the body limit sits inside CORS so a 413 still carries CORS headers, and the
    # /v1 key check outside the body limit (no body is read for a caller without the key).
    app.add_middleware(BodyLimit)
    if settings.api_key is not None:
        app.add_middleware(ApiKeyAuth, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)

    app.include_router(answer_router)
    app.include_router(corpus_router)
    app.include_router(feedback_router)
    app.include_router(openai_router)

    @app.get(
        "/healthz",
        response_model=HealthOut,
        tags=["ops"],
        responses={503: {"model": HealthOut, "description": "一部を読み込めていない (degraded)"}},
    )
    async def healthz(state: ServicesDep, response: Response) -> HealthOut:
        """稼働確認（読み込み状況つき）。読み込めていない部分があれば 503。"""
        corpus = state.corpus
        ready = corpus is not None and state.searcher is not None and state.answerer is not None
        degraded = not ready or bool(state.error)
        if degraded:
            # Load balancers and uptime checks read the status code, not the body.
            response.status_code = 503
        return HealthOut(
            status="degraded" if degraded else "ok",
            corpus=corpus.source if corpus else None,
            programmes=len(corpus.programmes) if corpus else 0,
            articles=len(corpus.articles) if corpus else 0,
            chunks=len(corpus.chunks) if corpus else 0,
            searcher=state.searcher is not None,
            answerer=state.answerer is not None,
            error=(state.error or NOT_READY) if degraded else None,
            caches=_cache_stats(state),
            stages=_stage_stats(state),
        )

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
