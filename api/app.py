"""The FastAPI application factory: JSON API, SSE chat and the static web chat."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api.deps import get_services
from api.errors import install_error_handlers
from api.middleware import SecurityHeaders
from api.routes_answer import router as answer_router
from api.routes_corpus import router as corpus_router
from api.schemas import HealthOut
from api.services import Services, load_services
from ingest import Settings, get_settings

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


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app; ``services`` (tests, benchmarks) skips loading the real stages."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is None:
            app.state.services = await anyio.to_thread.run_sync(load_services, settings)
            if app.state.services.error:
                log.warning("serving degraded: %s", app.state.services.error)
        yield

    app = FastAPI(
        title="川崎市 中小企業活性化施策 報告書アシスタント",
        description="平成28年度 中小企業活性化施策実施状況報告書と中小企業活性化条例に、"
        "引用付きで答える API。",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services or Services(error="starting")
    # Answering is CPU-bound Python: a few threads keep the event loop free, while dozens
    # (the default pool) would only fight over the GIL and stretch the latency tail.
    app.state.answer_limiter = anyio.CapacityLimiter(max(2, os.cpu_count() or 2))
    # NFKC form of a question → (Event set when its composition ends, the spelling composed)
    app.state.answers_in_flight = {}
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    app.add_middleware(SecurityHeaders)

    app.include_router(answer_router)
    app.include_router(corpus_router)

    @app.get("/healthz", response_model=HealthOut, tags=["ops"])
    async def healthz(state: Annotated[Services, Depends(get_services)]) -> HealthOut:
        """稼働確認（読み込み状況つき）。"""
        corpus = state.corpus
        ready = corpus is not None and state.searcher is not None and state.answerer is not None
        return HealthOut(
            status="ok" if ready and not state.error else "degraded",
            corpus=corpus.source if corpus else None,
            programmes=len(corpus.programmes) if corpus else 0,
            articles=len(corpus.articles) if corpus else 0,
            chunks=len(corpus.chunks) if corpus else 0,
            searcher=state.searcher is not None,
            answerer=state.answerer is not None,
            error=state.error,
            caches=_cache_stats(state),
        )

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
