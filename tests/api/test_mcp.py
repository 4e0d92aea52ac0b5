"""`sme-assistant mcp`: the MCP SDK's own stdio client starts the server as a desktop
assistant would, lists its tools and calls each one.

The server is the real one (real ingest, index and answerer) on a tiny report in the real
layout (the mini report plus a two-article ordinance) with the hash embedder: it loads in
seconds. One client session serves the whole module; each test reads its transcript.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent, Tool

from api import Services
from api.mcp_server import TOOL_NAMES, create_mcp_server
from api.services import NOT_READY
from core import Settings

ROOT = Path(__file__).resolve().parents[2]
MINI_REPORT = ROOT / "tests" / "fixtures" / "mini_report.txt"
ORDINANCE = """
川崎市中小企業活性化条例
（目的）
第１条 この条例は、中小企業の創業の促進に関し基本理念を定めることを目的とする。
（資金の円滑な供給）
第２条 市は、中小企業者の資金の円滑な供給を図るため、融資制度の充実に努める。
"""
SESSION_TIMEOUT_S = 120  # a generous bound: the session takes a few seconds

# (key, tool, arguments): every call the client makes, in order.
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("ask", "ask", {"question": "丙融資事業の小規模資金（ミニ）の利率は？"}),
    ("ask_article", "ask", {"question": "条例の第２条は何について？"}),
    ("search", "search", {"query": "創業セミナーの開催", "k": 3}),
    ("programme", "get_programme", {"name": "甲創業支援事業"}),
    ("article", "get_article", {"number": 2}),
    ("unknown_programme", "get_programme", {"name": "存在しない事業"}),
    ("unknown_article", "get_article", {"number": 99}),
    ("empty_question", "ask", {"question": "   "}),
    ("long_question", "ask", {"question": "融資" * 600}),
    ("after_errors", "search", {"query": "融資制度"}),
]


async def _converse(params: StdioServerParameters, errlog: Any) -> dict[str, Any]:
    stray: list[Exception] = []  # lines on stdout that are not protocol messages

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception):
            stray.append(message)

    transcript: dict[str, Any] = {}
    with anyio.fail_after(SESSION_TIMEOUT_S):
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, message_handler=on_message) as session,
        ):
            transcript["init"] = await session.initialize()
            transcript["tools"] = (await session.list_tools()).tools
            for key, tool, arguments in CALLS:
                transcript[key] = await session.call_tool(tool, arguments)
    transcript["stray"] = stray
    return transcript


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("mcp")
    report = folder / "report.txt"
    report.write_text(MINI_REPORT.read_text(encoding="utf-8") + ORDINANCE, encoding="utf-8")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "api.cli", "mcp"],
        env={
            "PYTHONPATH": str(ROOT),
            "SME_DATA_DIR": str(folder),
            "SME_CORPUS_PATH": str(report),
            "SME_STORE_DIR": str(folder / "store"),
            "SME_EMBEDDER": "hash",
            "SME_LLM_ENABLED": "false",
        },
        cwd=folder,  # away from any .env in the checkout
    )
    stderr = folder / "stderr.txt"
    with stderr.open("w", encoding="utf-8") as errlog:
        result = anyio.run(_converse, params, errlog)
    result["stderr"] = stderr.read_text(encoding="utf-8")
    return result


def _text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


def _ok(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, _text(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def test_the_server_lists_exactly_the_four_tools_with_schemas(transcript):
    tools: dict[str, Tool] = {tool.name: tool for tool in transcript["tools"]}
    assert sorted(tools) == sorted(TOOL_NAMES)
    for tool in tools.values():
        assert tool.description and any("\u3040" <= ch <= "\u30ff" for ch in tool.description)
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    assert tools["ask"].input_schema["required"] == ["question"]
    assert tools["ask"].input_schema["properties"]["question"]["type"] == "string"
    assert {"answer", "citations"} <= set(tools["ask"].output_schema["properties"])
    k = tools["search"].input_schema["properties"]["k"]
    assert (k["type"], k["default"], k["minimum"], k["maximum"]) == ("integer", 5, 1, 50)
    assert tools["search"].input_schema["required"] == ["query"]
    assert tools["get_programme"].input_schema["required"] == ["name"]
    assert tools["get_article"].input_schema["properties"]["number"]["type"] == "integer"
    assert transcript["init"].server_info.name == "kawasaki-sme-assistant"


def test_ask_answers_with_citations_as_text_and_structured_content(transcript):
    out = _ok(transcript["ask"])
    assert out["answerable"] is True and "1.3%" in out["answer"]
    cite = out["citations"][0]
    assert cite["programme"] == "丙融資事業" and cite["page"] == 7
    assert "小規模資金" in cite["quote"] and cite["id"]
    text = _text(transcript["ask"])
    assert text.startswith(out["answer"])
    assert "出典:" in text and "丙融資事業 p.7" in text and cite["id"] in text


def test_ask_cites_the_ordinance_article(transcript):
    out = _ok(transcript["ask_article"])
    assert out["answerable"] is True and "資金の円滑な供給" in out["answer"]
    assert any(c["article"] == 2 for c in out["citations"])
    assert "条例第2条" in _text(transcript["ask_article"])


def test_search_returns_typed_hits(transcript):
    out = _ok(transcript["search"])
    assert out["k"] == 3 and 1 <= len(out["hits"]) <= 3
    top = out["hits"][0]
    assert {"id", "kind", "score", "text", "programme", "article", "section", "page"} <= set(top)
    assert top["programme"] == "甲創業支援事業" and "創業セミナー" in top["text"]
    assert [hit["rank"] for hit in out["hits"]] == sorted(hit["rank"] for hit in out["hits"])


def test_get_programme_returns_the_record_as_the_api_does(transcript):
    out = _ok(transcript["programme"])
    assert out["name"] == "甲創業支援事業"
    assert (out["article"], out["focus"], out["page"]) == (1, True, 5)
    assert out["budget"]["fy2016_budget"] == 1_000_000
    assert out["kpis"][0]["indicator"] == "セミナーの参加人数"
    assert out["has_record"] is True


def test_get_article_returns_the_ordinance_article(transcript):
    out = _ok(transcript["article"])
    assert (out["number"], out["title"]) == (2, "資金の円滑な供給")
    assert "融資制度の充実" in out["text"]
    assert out["programmes"] == ["丙融資事業"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("unknown_programme", "事業「存在しない事業」は報告書に見つかりません。"),
        ("unknown_article", "条例に「99」はありません。"),
        ("empty_question", "質問を入力してください。"),
        ("long_question", "質問が長すぎます（1200文字）。1000文字以内で入力してください。"),
    ],
)
def test_errors_come_back_as_tool_errors_with_the_apis_japanese_message(transcript, key, message):
    result = transcript[key]
    assert result.is_error is True
    assert _text(result) == message


def test_the_server_keeps_serving_after_errors_and_stdout_carries_only_the_protocol(transcript):
    assert _ok(transcript["after_errors"])["hits"]
    assert transcript["stray"] == [], transcript["stderr"][-2000:]


# -- in process (the SDK's in-memory client), on the API tests' fakes ------------------------


def _call_all(server: Any, calls: list[tuple[str, dict[str, Any]]]) -> list[CallToolResult]:
    async def run() -> list[CallToolResult]:
        results: list[CallToolResult | None] = [None] * len(calls)
        async with Client(server) as client:

            async def one(i: int) -> None:
                results[i] = await client.call_tool(*calls[i])

            with anyio.fail_after(30):
                async with anyio.create_task_group() as group:
                    for i in range(len(calls)):
                        group.start_soon(one, i)
        return [r for r in results if r is not None]

    return anyio.run(run)


def test_creating_the_server_loads_nothing_and_concurrent_calls_load_once(fakes, settings):
    loads: list[Settings] = []
    corpus = fakes.build_corpus()

    def load(got: Settings) -> Services:
        loads.append(got)
        time.sleep(0.2)  # long enough for the four calls to arrive while it loads
        return Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))

    server = create_mcp_server(settings, load=load, warm=False)
    assert loads == []
    results = _call_all(
        server,
        [
            ("get_article", {"number": 12}),
            ("get_programme", {"name": "中小企業融資制度事業"}),
            ("search", {"query": "展示会"}),
            ("ask", {"question": "小規模事業資金（ミニ）の利率は？"}),
        ],
    )
    assert [r.is_error for r in results] == [False] * 4, [_text(r) for r in results]
    assert loads == [settings]


def test_a_stage_that_failed_to_load_is_a_tool_error_saying_why(settings):
    reason = "検索インデックスを開けません / the search index could not be opened"
    server = create_mcp_server(settings, load=lambda _s: Services(error=reason), warm=False)
    (result,) = _call_all(server, [("search", {"query": "融資"})])
    assert result.is_error is True
    assert NOT_READY in _text(result) and reason in _text(result)


def test_a_crash_in_a_stage_is_a_tool_error_and_the_server_goes_on(fakes, settings):
    corpus = fakes.build_corpus()

    class Broken(fakes.FakeAnswerer):
        def ask(self, question, conversation_id=None):
            raise RuntimeError("internal detail")

    services = Services(corpus, fakes.FakeSearcher(corpus), Broken(corpus))
    server = create_mcp_server(settings, load=lambda _s: services, warm=False)
    crashed, fine = _call_all(
        server, [("ask", {"question": "融資の限度額は？"}), ("get_article", {"number": 12})]
    )
    assert crashed.is_error is True and "internal detail" not in _text(crashed)
    assert fine.is_error is False
