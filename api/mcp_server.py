"""The assistant as an MCP server: four read-only tools for desktop assistants (stdio).

Each tool answers as its web route does: ``ask`` as /api/ask, ``search`` as /api/search,
``get_programme`` and ``get_article`` as /api/programmes/{name} and /api/articles/{number}
(the route handlers themselves run here, so the lookups and the records are the same).
The stages load once through :func:`api.services.load_services`, the web app's builder,
in the background as the server starts; a tool called before that waits for it.
Project errors (an unknown programme, an empty question…) come back as tool errors with
their Japanese message; anything else becomes the SDK's generic tool error, and the server
goes on. The stdio transport keeps stdout for the protocol; logging goes to stderr.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial, wraps
from typing import Annotated, ParamSpec, TypeVar

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from api import routes_corpus
from api.convert import answer_out
from api.questions import check_question
from api.schemas import AnswerOut, ArticleOut, CitationOut, ProgrammeDetailOut, SearchOut
from api.services import NOT_READY, Services, load_services
from core import CorpusError, Settings, SmeError

__all__ = ["SERVER_NAME", "TOOL_NAMES", "create_mcp_server"]

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

SERVER_NAME = "kawasaki-sme-assistant"
TOOL_NAMES = ("ask", "search", "get_programme", "get_article")

_INSTRUCTIONS = (
    "川崎市「中小企業活性化施策実施状況報告書（平成28年度）」と川崎市中小企業活性化条例について、"
    "報告書の記載だけに基づいて答えるツールです。質問には ask、本文の検索には search、"
    "事業の詳細には get_programme、条例の条文には get_article を使ってください。"
    "回答を利用者に示すときは、出典（事業名または条、ページ）も添えてください。"
)
_ASK = (
    "報告書と条例に基づいて、日本語の質問に引用付きで答えます。"
    "回答本文と出典（事業名または条例の条、ページ、引用文、チャンク ID）を返します。"
    "報告書に記載がないことは「記載がない」と答えます（answerable が false）。"
)
_SEARCH = (
    "報告書と条例の本文を検索（キーワード検索と意味検索の組み合わせ）し、関連する箇所を"
    "スコアの高い順に返します。各ヒットには種類、事業・条・節、ページ、スコア、本文、"
    "チャンク ID が付きます。"
)
_PROGRAMME = (
    "報告書に載っている事業の記録（根拠となる条例の条、重点事業か、ページ、事業計画、予算、"
    "成果指標、取組実績、支援メニュー、問い合わせ先など）を、事業名または事業 ID で取得します。"
)
_ARTICLE = (
    "川崎市中小企業活性化条例の条文を条の番号で取得します（例: 12 → 第12条）。"
    "見出し、本文、項・号と、その条に基づく報告書の事業名を返します。"
)
_READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

Loader = Callable[[Settings], Services]


class _Stages:
    """The web app's services, loaded once, by whichever caller comes first."""

    def __init__(self, settings: Settings, load: Loader) -> None:
        self._settings = settings
        self._load = load
        self._lock = threading.Lock()
        self._services: Services | None = None

    def get(self) -> Services:
        with self._lock:
            if self._services is None:
                self._services = self._load(self._settings)
                if self._services.error:
                    log.warning("serving degraded: %s", self._services.error)
            return self._services

    def warm(self) -> None:
        # A daemon thread: a client that disconnects while the index is still being built
        # must not keep the process alive until the build ends.
        threading.Thread(target=self.get, name="mcp-load", daemon=True).start()

    async def need(self, pick: Callable[[Services], T | None]) -> T:
        """The slot ``pick`` reads, once loaded (in a worker thread: loading can take minutes)."""
        services = await anyio.to_thread.run_sync(self.get)
        value = pick(services)
        if value is None:
            raise CorpusError(f"{NOT_READY}（{services.error or '不明な理由'}）")
        return value


def _japanese_errors(tool: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T | CallToolResult]]:
    """The project's errors carry a message fit for the user: it comes back as the tool's
    error result, as is (the SDK's ToolError would put English in front of it)."""

    @wraps(tool)  # the SDK reads the arguments' schema through __wrapped__
    async def run(*args: P.args, **kwargs: P.kwargs) -> T | CallToolResult:
        try:
            return await tool(*args, **kwargs)
        except SmeError as exc:
            log.info("tool %s: %s", tool.__name__, exc)
            return CallToolResult(content=[TextContent(type="text", text=str(exc))], is_error=True)

    return run


def _source(citation: CitationOut, names: dict[str, str]) -> str:
    if citation.programme:
        return names.get(citation.programme, citation.programme)
    if citation.article is not None:
        return f"条例第{citation.article}条"
    return citation.section or citation.kind


def answer_text(out: AnswerOut, names: dict[str, str]) -> str:
    """The answer as a person reads it: the text, then one numbered line per citation."""
    lines = [out.answer]
    if out.citations:
        lines += ["", "出典:"]
    for n, citation in enumerate(out.citations, start=1):
        page = f" p.{citation.page}" if citation.page is not None else ""
        quote = " ".join(citation.quote.split())
        lines.append(f"[{n}] {_source(citation, names)}{page}「{quote}」（{citation.id}）")
    return "\n".join(lines)


def create_mcp_server(
    settings: Settings, *, load: Loader = load_services, warm: bool = True
) -> MCPServer[None]:
    """The server with its four tools; nothing loads until it runs (``warm``) or is asked.

    ``load``: tests hand in small services instead of the real stages."""
    stages = _Stages(settings, load)

    @asynccontextmanager
    async def lifespan(_server: MCPServer[None]) -> AsyncIterator[None]:
        if warm:
            stages.warm()
        yield

    server: MCPServer[None] = MCPServer(
        SERVER_NAME,
        title="川崎市 中小企業活性化施策 報告書アシスタント",
        instructions=_INSTRUCTIONS,
        version="0.1.0",
        log_level="WARNING",
        lifespan=lifespan,
    )

    @server.tool(description=_ASK, annotations=_READ_ONLY)
    @_japanese_errors
    async def ask(
        question: Annotated[str, Field(description="質問（日本語）。例: 小規模事業資金の利率は？")],
    ) -> Annotated[CallToolResult, AnswerOut]:
        question = check_question(question, settings)
        answerer = await stages.need(lambda s: s.answerer)
        corpus = await stages.need(lambda s: s.corpus)
        answer = await anyio.to_thread.run_sync(answerer.ask, question, None)
        out = answer_out(answer)
        text = answer_text(out, routes_corpus.programme_names(corpus))
        return CallToolResult(
            content=[TextContent(type="text", text=text)],
            structured_content=out.model_dump(mode="json"),
        )

    @server.tool(description=_SEARCH, annotations=_READ_ONLY)
    @_japanese_errors
    async def search(
        query: Annotated[str, Field(description="検索語または文（日本語）。")],
        k: Annotated[int, Field(ge=1, le=50, description="返すヒットの件数。")] = 5,
    ) -> SearchOut:
        check_question(query, settings)  # before waiting for the stages to load
        searcher = await stages.need(lambda s: s.searcher)
        corpus = await stages.need(lambda s: s.corpus)
        run = partial(
            routes_corpus.search,
            settings=settings,
            searcher=searcher,
            corpus=corpus,
            q=query,
            k=k,
        )
        return await anyio.to_thread.run_sync(run)

    @server.tool(description=_PROGRAMME, annotations=_READ_ONLY)
    @_japanese_errors
    async def get_programme(
        name: Annotated[str, Field(description="事業名（例: 間接融資事業）または事業 ID。")],
    ) -> ProgrammeDetailOut:
        corpus = await stages.need(lambda s: s.corpus)
        return await routes_corpus.programme(name, corpus)

    @server.tool(description=_ARTICLE, annotations=_READ_ONLY)
    @_japanese_errors
    async def get_article(
        number: Annotated[int, Field(description="条の番号（例: 12 は第12条）。")],
    ) -> ArticleOut:
        corpus = await stages.need(lambda s: s.corpus)
        return await routes_corpus.article(str(number), corpus)

    return server
