"""The one place where errors become HTTP responses (JSON bodies, never stack traces)."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ingest import (
    AnswerError,
    ConfigError,
    CorpusError,
    IndexBuildError,
    NotFoundError,
    SmeError,
)

__all__ = ["error_body", "install_error_handlers"]

log = logging.getLogger(__name__)

_STATUS: tuple[tuple[type[SmeError], int], ...] = (
    (NotFoundError, 404),
    (AnswerError, 422),
    (CorpusError, 503),
    (IndexBuildError, 503),
    (ConfigError, 503),
)
_INTERNAL = "サーバー内部でエラーが発生しました。時間をおいて、もう一度お試しください。"
_UNAVAILABLE = "サービスを一時的に利用できません。時間をおいて、もう一度お試しください。"
_BAD_JSON = "リクエストの JSON の形式が正しくありません。"
_BAD_INPUT = "入力内容が正しくありません。"
_HTTP_DETAIL = {404: "ページが見つかりません。", 405: "この操作はできません。"}


def _kind(exc: BaseException) -> str:
    name = type(exc).__name__.removesuffix("Error") or "sme"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def error_body(exc: BaseException) -> tuple[int, dict[str, str]]:
    """Status and JSON body for any exception (also used inside the SSE stream)."""
    if isinstance(exc, SmeError):
        status = next((code for cls, code in _STATUS if isinstance(exc, cls)), 500)
        # 5xx messages may carry paths or internals: the log has them, the client does not.
        detail = str(exc) if status < 500 else _UNAVAILABLE if status == 503 else _INTERNAL
        return status, {"error": _kind(exc), "detail": detail or _BAD_INPUT}
    return 500, {"error": "internal", "detail": _INTERNAL}


def _validation_detail(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):
        return _BAD_JSON
    messages = []
    for err in errors:
        field = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
        messages.append(f"{field or '本文'}: {err.get('msg', '')}")
    return f"{_BAD_INPUT}（{'; '.join(messages)}）" if messages else _BAD_INPUT


async def _on_sme_error(request: Request, exc: Exception) -> JSONResponse:
    status, body = error_body(exc)
    if status >= 500:
        log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    return JSONResponse(body, status_code=status)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"error": "invalid_request", "detail": _validation_detail(exc)}, status_code=422
    )


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        # FastAPI's own 400 means a body it could not even decode: treat it like bad JSON.
        return JSONResponse({"error": "invalid_request", "detail": _BAD_JSON}, status_code=422)
    detail = _HTTP_DETAIL.get(exc.status_code, str(exc.detail))
    return JSONResponse(
        {"error": "http", "detail": detail},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s crashed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal", "detail": _INTERNAL}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SmeError, _on_sme_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
