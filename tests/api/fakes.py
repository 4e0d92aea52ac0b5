"""A tiny corpus in the report's shape, and a searcher and answerer that really work on it.

Used by the API tests, the browser tests and ``benchmarks/load_test.py`` (which loads this
file by path), so the web layer can be exercised without models or an index.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Iterator

from assistant import Answer, Citation, Intent
from index import Hit, SearchFilters
from ingest import (
    Article,
    ArticleItem,
    ArticleParagraph,
    Chunk,
    ChunkKind,
    Contact,
    Corpus,
    Programme,
    Span,
    SupportMenu,
)

NOT_IN_REPORT = "報告書に記載がありません。"


def format_yen(amount: int) -> str:
    if amount % 10_000 == 0:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"


def _menu(name: str, kind: str, cap: int, rate: str | None, term: str | None, text: str, line: int):
    return SupportMenu(name, kind, cap, rate, term, None, text, Span(line, line + 1))


def build_corpus() -> Corpus:
    fair = _menu(
        "展示会出展料の補助",
        "subsidy",
        150_000,
        None,
        None,
        "工業製品の販路開拓を目的とした展示会出展料の補助（１件あたり上限15万円）",
        3642,
    )
    mini = _menu(
        "小規模事業資金（ミニ）",
        "loan",
        3_000_000,
        "年1.3%以内",
        "4年以内",
        "小規模事業資金（ミニ）の創設（限度額300万円・利率年1.3%以内・返済期間4年以内）",
        3934,
    )
    programmes = (
        Programme(
            id="p-fair",
            name="ものづくり中小企業販路開拓支援事業",
            article=12,
            focus=True,
            page=31,
            lines=Span(700, 700),
            record_lines=Span(3620, 3690),
            support_menus=(fair,),
            contacts=(Contact("川崎市産業振興財団", "展示会の共同出展を支援", Span(3684, 3684)),),
        ),
        Programme(
            id="p-loan",
            name="中小企業融資制度事業",
            article=16,
            focus=False,
            page=40,
            lines=Span(720, 720),
            record_lines=Span(3900, 3960),
            support_menus=(mini,),
        ),
    )
    articles = (
        Article(
            "a-0",
            0,
            "前文",
            (ArticleParagraph(1, "川崎市の中小企業は地域経済の担い手である。"),),
            70,
            Span(7000, 7002),
        ),
        Article(
            "a-12",
            12,
            "創業、経営の革新等の促進",
            (
                ArticleParagraph(
                    1,
                    "市は、創業、経営の革新等を促進するため、次に掲げる施策を講ずるものとする。",
                    (ArticleItem(1, "創業に関する情報の提供"), ArticleItem(2, "経営相談の実施")),
                ),
            ),
            72,
            Span(7100, 7106),
        ),
        Article(
            "a-25",
            25,
            "附則",
            (ArticleParagraph(1, "この条例は、公布の日から施行する。"),),
            75,
            Span(7500, 7501),
        ),
    )
    chunks = (
        Chunk(
            "c-fair",
            ChunkKind.SUPPORT_MENU,
            fair.text,
            fair.lines,
            31,
            programmes[0].id,
            12,
            title="展示会出展料の補助",
            fiscal_years=(2016,),
        ),
        Chunk(
            "c-mini",
            ChunkKind.SUPPORT_MENU,
            mini.text,
            mini.lines,
            40,
            programmes[1].id,
            16,
            title="小規模事業資金（ミニ）",
            fiscal_years=(2016, 2017),
        ),
        Chunk(
            "c-art12",
            ChunkKind.ARTICLE,
            articles[1].text,
            articles[1].lines,
            72,
            None,
            12,
            title="第12条 創業、経営の革新等の促進",
        ),
        Chunk(
            "c-intro",
            ChunkKind.SECTION,
            "川崎市の中小企業は、事業所数の99.2%を占めています。",
            Span(3, 4),
            1,
            section="introduction",
            title="はじめに",
        ),
    )
    return Corpus("fake_report.txt", "0" * 64, programmes, articles, (), chunks)


def _grams(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


class FakeSearcher:
    """Character-bigram overlap: enough to rank a handful of chunks sensibly."""

    name = "fake"

    def __init__(self, corpus: Corpus) -> None:
        self._chunks = corpus.chunks

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        wanted = _grams(query)
        scored = [
            (len(wanted & _grams(c.text + (c.title or ""))) / (len(wanted) or 1), c)
            for c in self._chunks
            if filters is None or filters.accepts(c)
        ]
        scored = [pair for pair in scored if pair[0] > 0]
        scored.sort(key=lambda pair: -pair[0])
        return [Hit(c, s, i + 1, (("fake", i + 1),)) for i, (s, c) in enumerate(scored[:k])]


class FakeAnswerer:
    """Answers from support menus of the fake corpus; follow-ups ("その…") use the conversation."""

    def __init__(self, corpus: Corpus, delay_s: float = 0.0) -> None:
        self._corpus = corpus
        self._searcher = FakeSearcher(corpus)
        self._delay_s = delay_s
        self._last: dict[str, str] = {}  # conversation id → chunk id
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str | None]] = []

    def _answer(self, question: str, conversation_id: str | None) -> Answer:
        with self._lock:
            self.calls.append((question, conversation_id))
            previous = self._last.get(conversation_id or "")
        chunk = None
        if question.startswith(("その", "それ")):
            chunk = next((c for c in self._corpus.chunks if c.id == previous), None)
        else:
            hits = self._searcher.search(question, 1)
            if hits and hits[0].score >= 0.3:
                chunk = hits[0].chunk
        menu = None
        if chunk is not None:
            menu = next(
                (
                    m
                    for p in self._corpus.programmes
                    for m in p.support_menus
                    if p.id == chunk.programme and m.lines == chunk.lines
                ),
                None,
            )
        if chunk is None or menu is None:
            return Answer(
                question, NOT_IN_REPORT, False, Intent.OUT_OF_SCOPE, (), 1.0, conversation_id
            )
        with self._lock:
            self._last[conversation_id or ""] = chunk.id
        if "利率" in question or "金利" in question:
            text = f"「{menu.name}」の利率は{menu.rate or '報告書に記載がありません'}です。"
        else:
            cap = format_yen(menu.cap_yen or 0)
            name = next(p.name for p in self._corpus.programmes if p.id == chunk.programme)
            text = f"「{menu.name}」の上限額は{cap}です（{name}）。"
        citation = Citation(
            chunk.id,
            str(chunk.kind),
            chunk.text,
            chunk.lines,
            chunk.page,
            chunk.programme,
            chunk.article,
        )
        intent = Intent.LOAN if menu.kind == "loan" else Intent.SUBSIDY
        return Answer(question, text, True, intent, (citation,), 2.0, conversation_id)

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        return self._answer(question, conversation_id)

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[str | Answer]:
        answer = self._answer(question, conversation_id)
        for start in range(0, len(answer.answer), 6):
            if self._delay_s:
                time.sleep(self._delay_s)
            yield answer.answer[start : start + 6]
        yield answer
