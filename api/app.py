"""The FastAPI application factory: JSON API, SSE chat and the static web chat."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api.deps import get_services
from api.errors import install_error_handlers
from api.routes_answer import router as answer_router
from api.routes_corpus import router as corpus_router
from api.schemas import HealthOut
from api.services import Services, load_services
from ingest import Settings, get_settings

__all__ = ["STATIC_DIR", "create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"

# The chat page runs only its own script: user text can never become code even if a bug
# slipped HTML in. /docs keeps FastAPI's defaults (its assets come from a CDN).
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
_DOC_PATHS = ("/docs", "/redoc", "/openapi.json")


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
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not request.url.path.startswith(_DOC_PATHS):
            response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    app.include_router(answer_router)
    app.include_router(corpus_router)

    @app.get("/healthz", response_model=HealthOut, tags=["ops"])
    def healthz(state: Annotated[Services, Depends(get_services)]) -> HealthOut:
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
        )

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
