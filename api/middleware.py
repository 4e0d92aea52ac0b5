"""Plain ASGI middleware (BaseHTTPMiddleware would cost a task per request): security headers,
the request body limit, and HEAD answered as GET."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BodyTooLarge, http_error_response

__all__ = ["MAX_BODY_BYTES", "BodyLimit", "HeadAsGet", "SecurityHeaders"]

# A question is at most a few thousand bytes; 64 KB leaves room for any JSON envelope.
MAX_BODY_BYTES = 64 * 1024

# The chat page runs only its own script: user text can never become code even if a bug
# slipped HTML in. /docs keeps FastAPI's defaults (its assets come from a CDN).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
_DOC_PATHS = ("/docs", "/redoc", "/openapi.json")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not str(scope.get("path", "")).startswith(_DOC_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if with_csp:
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """413 for a request body over ``max_bytes``, without ever holding more than that.

    A declared Content-Length over the limit is refused before the app runs (and before the
    body is read). A body without one (chunked) is counted as it streams: the read that
    crosses the limit raises :class:`BodyTooLarge` instead of returning, so nothing after it
    is read; the app's error handler turns it into the JSON 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.strip().isdigit() and int(declared) > self.max_bytes:
            await http_error_response(BodyTooLarge(self.max_bytes), scope["path"])(
                scope, receive, send
            )
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:
            # Raised where no handler saw it (e.g. a body read outside a route).
            if started:
                raise
            await http_error_response(exc, scope["path"])(scope, receive, send)


class HeadAsGet:
    """HEAD is answered as GET (same status and headers) with the body left out.

    FastAPI routes accept only the methods they declare, so without this ``HEAD /`` and
    ``HEAD /healthz`` (what uptime checkers send) would get 405.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        # A copy: the server keeps its own scope (its access log still says HEAD).
        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
