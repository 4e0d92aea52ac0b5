"""The optional API key of the OpenAI-compatible API: with ``SME_API_KEY`` set, every /v1
request needs ``Authorization: Bearer <key>``; the web chat and /api/* stay open.

Plain ASGI middleware rather than a route dependency: it answers before routing and body
parsing, so an unknown /v1 URL or a malformed body tells nothing to a caller without the key.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import OpenAIError, is_openai_path, openai_error_response
from core import Settings

__all__ = ["ApiKeyAuth"]

_REFUSED = "API キーが正しくありません（Authorization: Bearer <キー> を付けてください）。"


class ApiKeyAuth:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        secret = settings.api_key
        self._key = secret.get_secret_value().encode() if secret is not None else None

    def _allowed(self, scope: Scope) -> bool:
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        # Header values arrive decoded as latin-1: compared as the bytes sent, in constant time.
        sent = token.strip().encode("latin-1")
        assert self._key is not None
        return scheme.lower() == "bearer" and hmac.compare_digest(sent, self._key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self._key is None
            or scope["type"] != "http"
            or not is_openai_path(str(scope.get("path", "")))
            or self._allowed(scope)
        ):
            await self.app(scope, receive, send)
            return
        refused = OpenAIError(
            401, _REFUSED, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"}
        )
        await openai_error_response(refused)(scope, receive, send)
