"""The one place where errors become HTTP responses (JSON bodies, never stack traces)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core import AnswerError, ConfigError, CorpusError, IndexBuildError, NotFoundError, SmeError

__all__ = ["BodyTooLarge", "error_body", "http_error_response", "install_error_handlers"]

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
_HTTP_OTHER = "このリクエストは処理できません。"
_HTTP_KIND = {413: "too_large"}


class BodyTooLarge(HTTPException):
    """A request body over the size limit (raised while it streams in, see api.middleware)."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(
            413, f"リクエストの本文が大きすぎます。{limit_bytes // 1024} KB 以内にしてください。"
        )


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
    """One Japanese message for pydantic's errors (its own texts are English: never shown)."""
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):
        return _BAD_JSON
    messages = dict.fromkeys(_problem(err) for err in errors)
    return _BAD_INPUT + "".join(f"{message}。" for message in messages)


_WHERE = ("body", "query", "path", "header", "cookie")
_FIELD = {
    "question": "質問",
    "conversation_id": "会話ID",
    "q": "検索語",
    "k": "件数",
    "kind": "種類",
    "programme": "事業 ID",
    "article": "条の番号",
    "name": "事業名",
    "number": "条",
    "chunk_id": "チャンク ID",
}
# Pydantic error types → the message, with {label} and the error's ctx values.
_PROBLEM = {
    "missing": "{label}がありません",
    "extra_forbidden": "{label}という項目は使えません",
    "string_type": "{label}は文字列で指定してください",
    "string_unicode": "{label}に使用できない文字が含まれています",
    "string_too_short": "{label}は{min_length}文字以上で指定してください",
    "string_too_long": "{label}は{max_length}文字以内で指定してください",
    "int_type": "{label}は整数で指定してください",
    "int_parsing": "{label}は整数で指定してください",
    "int_from_float": "{label}は整数で指定してください",
    "greater_than_equal": "{label}は{ge}以上にしてください",
    "less_than_equal": "{label}は{le}以下にしてください",
    "greater_than": "{label}は{gt}より大きくしてください",
    "less_than": "{label}は{lt}より小さくしてください",
    "enum": "{label}は次のいずれかにしてください：{choices}",
    "literal_error": "{label}は次のいずれかにしてください：{choices}",
    "model_attributes_type": "{label}は JSON のオブジェクトで指定してください",
    "dict_type": "{label}は JSON のオブジェクトで指定してください",
    "model_type": "{label}は JSON のオブジェクトで指定してください",
}
_UNKNOWN_PROBLEM = "{label}の値が正しくありません"


def _problem(err: Mapping[str, Any]) -> str:
    names = [str(part) for part in err.get("loc", ()) if part not in _WHERE]
    name = next((part for part in reversed(names) if not part.isdigit()), "")
    label = _FIELD.get(name, f"「{name}」") if name else "本文"
    ctx = dict(err.get("ctx") or {})
    # enum/literal ctx: "'article', 'plan' or 'section'": keep the values, drop the English.
    ctx["choices"] = "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    try:
        return _PROBLEM.get(str(err.get("type")), _UNKNOWN_PROBLEM).format(label=label, **ctx)
    except (KeyError, IndexError, ValueError):
        return _UNKNOWN_PROBLEM.format(label=label)


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


def http_error_response(exc: HTTPException) -> JSONResponse:
    """The JSON response for an HTTP-level error (also sent by middleware before routing)."""
    if exc.status_code == 400:
        # FastAPI's own 400 means a body it could not even decode: treat it like bad JSON.
        return JSONResponse({"error": "invalid_request", "detail": _BAD_JSON}, status_code=422)
    # Starlette's details are English ("Method Not Allowed"); only ours are shown as they are.
    own = isinstance(exc, BodyTooLarge)
    detail = str(exc.detail) if own else _HTTP_DETAIL.get(exc.status_code, _HTTP_OTHER)
    return JSONResponse(
        {"error": _HTTP_KIND.get(exc.status_code, "http"), "detail": detail},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return http_error_response(exc)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s crashed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal", "detail": _INTERNAL}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SmeError, _on_sme_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
