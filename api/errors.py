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

__all__ = [
    "BodyTooLarge",
    "OpenAIError",
    "error_body",
    "http_error_response",
    "install_error_handlers",
    "is_openai_path",
    "openai_error_body",
    "openai_error_response",
]

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


class OpenAIError(Exception):
    """A refusal of the OpenAI-compatible API (/v1), sent in OpenAI's error shape.

    ``param`` names the request field at fault (``messages[2].content``), ``code`` is
    machine-readable (``model_not_found``); the message is Japanese, as everywhere else."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        kind: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.kind = kind
        self.headers = headers


def is_openai_path(path: str) -> bool:
    """Whether a request belongs to the OpenAI-compatible API, whose clients (the ``openai``
    SDK, Dify, Open WebUI, LibreChat) read errors in OpenAI's shape, not the app's."""
    return path == "/v1" or path.startswith("/v1/")


def _openai_body(
    message: str, kind: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


# The app's statuses → OpenAI's: a refused question is a 400 there, not a 422.
_OPENAI_STATUS = {422: 400}
_OPENAI_CODE = {400: "invalid_value", 404: "not_found", 503: "service_unavailable"}
_OPENAI_HTTP_CODE = {
    404: "unknown_url",
    405: "method_not_allowed",
    413: "request_too_large",
}
_OPENAI_UNKNOWN_URL = (
    "この URL はありません。使えるのは GET /v1/models と POST /v1/chat/completions です。"
)


def openai_error_body(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """:func:`error_body` in OpenAI's shape (also sent inside a /v1 stream)."""
    if isinstance(exc, OpenAIError):
        return exc.status, _openai_body(exc.message, exc.kind, exc.param, exc.code)
    status, body = error_body(exc)
    status = _OPENAI_STATUS.get(status, status)
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return status, _openai_body(body["detail"], kind, None, _OPENAI_CODE.get(status))


def openai_error_response(exc: BaseException) -> JSONResponse:
    status, body = openai_error_body(exc)
    headers = exc.headers if isinstance(exc, OpenAIError) else None
    return JSONResponse(body, status_code=status, headers=headers)


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
    "answer_id": "回答ID",
    "rating": "評価",
    "comment": "コメント",
    "answer": "回答",
    "intent": "分類",
    "answerable": "回答可否",
}
# Pydantic error types → the message, with {label} and the error's ctx values.
_PROBLEM = {
    "missing": "{label}がありません",
    "extra_forbidden": "{label}という項目は使えません",
    "string_type": "{label}は文字列で指定してください",
    "string_unicode": "{label}に使用できない文字が含まれています",
    "string_too_short": "{label}は{min_length}文字以上で指定してください",
    "string_too_long": "{label}は{max_length}文字以内で指定してください",
    "bool_type": "{label}は true か false で指定してください",
    "bool_parsing": "{label}は true か false で指定してください",
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
    if is_openai_path(request.url.path):
        return openai_error_response(exc)
    return JSONResponse(body, status_code=status)


async def _on_openai_error(request: Request, exc: Exception) -> JSONResponse:
    return openai_error_response(exc)


def _openai_param(exc: RequestValidationError) -> str | None:
    """The first faulty field as OpenAI names it: ``messages[0].role``."""
    for err in exc.errors():
        parts = [part for part in err.get("loc", ()) if part not in _WHERE]
        if parts:
            name = str(parts[0])
            return name + "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts[1:]
            )
    return None


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if is_openai_path(request.url.path):
        bad_json = any(err.get("type") == "json_invalid" for err in exc.errors())
        return openai_error_response(
            OpenAIError(
                400,
                _validation_detail(exc),
                param=None if bad_json else _openai_param(exc),
                code="invalid_json" if bad_json else "invalid_value",
            )
        )
    return JSONResponse(
        {"error": "invalid_request", "detail": _validation_detail(exc)}, status_code=422
    )


def _openai_http_error(exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400:
        error = OpenAIError(400, _BAD_JSON, code="invalid_json")
    elif isinstance(exc, BodyTooLarge):
        error = OpenAIError(413, str(exc.detail), code="request_too_large")
    else:
        message = (
            _OPENAI_UNKNOWN_URL
            if exc.status_code == 404
            else _HTTP_DETAIL.get(exc.status_code, _HTTP_OTHER)
        )
        error = OpenAIError(exc.status_code, message, code=_OPENAI_HTTP_CODE.get(exc.status_code))
    error.headers = getattr(exc, "headers", None)
    return openai_error_response(error)


def http_error_response(exc: HTTPException, path: str = "") -> JSONResponse:
    """The JSON response for an HTTP-level error (also sent by middleware before routing);
    ``path``: the request's, which decides the shape (the app's, or OpenAI's under /v1)."""
    if is_openai_path(path):
        return _openai_http_error(exc)
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
    return http_error_response(exc, request.url.path)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s crashed", request.method, request.url.path, exc_info=exc)
    if is_openai_path(request.url.path):
        return openai_error_response(exc)
    return JSONResponse({"error": "internal", "detail": _INTERNAL}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SmeError, _on_sme_error)
    app.add_exception_handler(OpenAIError, _on_openai_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
