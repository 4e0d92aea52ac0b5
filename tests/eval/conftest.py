"""Tiny hand-made chunks, gold items and fake answerers/searchers for the eval tests."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType

import pytest

from assistant import Answer, Citation, Intent
from eval.gold_schema import GoldItem, GoldSource
from index import Hit
from ingest import Chunk, ChunkKind, Span


def make_chunk(
    cid: str,
    text: str,
    first: int,
    programme: str | None = None,
    article: int | None = None,
    section: str | None = None,
) -> Chunk:
    return Chunk(
        id=cid,
        kind=ChunkKind.SUPPORT_MENU if programme else ChunkKind.ARTICLE,
        text=text,
        lines=Span(first, first + 1),
        page=3,
        programme=programme,
        article=article,
        section=section,
    )


def citation(quote: str, first: int = 10, **meta: object) -> Citation:
    return Citation(id="c", kind="support_menu", quote=quote, lines=Span(first, first + 1), **meta)  # type: ignore[arg-type]


def answer(text: str, answerable: bool = True, *quotes: str) -> Answer:
    return Answer(
        question="q",
        answer=text,
        answerable=answerable,
        intent=Intent.LOAN,
        citations=tuple(citation(q) for q in quotes),
    )


def gold(
    gid: str,
    question: str | tuple[str, ...],
    answer_text: str,
    facts: Sequence[str] = (),
    sources: Sequence[GoldSource] = (),
    category: str = "loan",
    style: str = "formal",
) -> GoldItem:
    answerable = category != "unanswerable"
    return GoldItem(
        id=gid,
        category=category,
        style=style,
        question=question,
        answer=answer_text,
        must_include=tuple(facts),
        sources=tuple(sources),
        answerable=answerable,
    )


CHUNKS = (
    # A record split over two chunks, as the real ones are: the question's words land in
    # the first, the figures in the second.
    make_chunk(
        "k1",
        "経営安定資金 融資対象は市内で1年以上事業を営む中小企業者です。"
        "融資限度額及び利率は次の表のとおりです。",
        100,
        "P-loan",
    ),
    make_chunk("k1b", "限度額 8,000 万円 年 1.3％以内 期間 10 年以内", 102, "P-loan"),
    make_chunk("k2", "研究開発助成金は補助率 1/2、上限 500 万円を助成します。", 200, "P-rd"),
    make_chunk("k3", "市は、中小企業の研究及び開発を支援するものとする。", 300, article=14),
    make_chunk(
        "k4",
        "市内の事業所数は 40,000 件、そのうち中小企業は 99.2％です。",
        400,
        section="statistics",
    ),
)

GOLD = (
    gold(
        "g1",
        "経営安定資金の融資限度額はいくらですか",
        "8,000万円です。",
        ["8,000万円"],
        [GoldSource(programme="経営安定資金")],
    ),
    gold(
        "g2",
        "研究開発の助成金、上限いくら？",
        "上限500万円、補助率1/2です。",
        ["500万円", "1/2"],
        [GoldSource(programme="研究開発助成")],
        category="subsidy",
        style="colloquial",
    ),
    gold(
        "g3",
        "研究開発について条例は何と定めていますか",
        "市は研究及び開発を支援する。",
        ["研究及び開発を支援"],
        [GoldSource(article=14)],
        category="ordinance",
    ),
    gold(
        "g4",
        ("経営安定資金について教えて", "利率は？"),
        "年1.3%以内です。",
        ["1.3%"],
        [GoldSource(programme="経営安定資金")],
        category="multi_turn",
        style="colloquial",
    ),
    gold(
        "g5",
        "川崎市の法人税率は何%ですか",
        "報告書には記載がありません。",
        (),
        (),
        category="unanswerable",
    ),
    gold(
        "g6",
        "来年度の補助金の締切日はいつ？",
        "報告書には記載がありません。",
        (),
        (),
        category="unanswerable",
        style="colloquial",
    ),
)

PROGRAMME_NAMES = {"P-loan": "経営安定資金", "P-rd": "研究開発助成"}


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def bigram_search(chunks: Sequence[Chunk]) -> Callable[[str, int], list[Hit]]:
    """A deterministic lexical fake of the index searcher (character-bigram overlap)."""

    grams = [_bigrams(c.text) for c in chunks]

    def search(query: str, k: int) -> list[Hit]:
        q = _bigrams(query)
        scores = [len(q & g) for g in grams]
        order = sorted(range(len(chunks)), key=lambda i: (-scores[i], i))[:k]
        return [
            Hit(chunk=chunks[i], score=float(scores[i]), rank=r + 1) for r, i in enumerate(order)
        ]

    return search


class OracleAnswerer:
    """Answers with the gold answer, cites the chunk holding its facts, refuses with a pointer."""

    def __init__(self, items: Sequence[GoldItem], chunks: Sequence[Chunk]) -> None:
        self.by_turns = {item.turns: item for item in items}
        self.chunks = chunks
        self.calls: list[tuple[str, str | None]] = []
        self.history: dict[str | None, list[str]] = {}

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        self.calls.append((question, conversation_id))
        turns = self.history.setdefault(conversation_id, [])
        turns.append(question)
        item = self.by_turns.get(tuple(turns))
        if item is None:  # an earlier turn of a conversation
            return answer("はい。", True)
        if not item.answerable:
            quote = self.chunks[0].text
            text = "報告書には記載がありません。融資制度については記載があります。"
            return Answer(question, text, False, Intent.OUT_OF_SCOPE, (citation(quote),))
        quotes = [item.answer]
        return Answer(
            question,
            item.answer,
            True,
            Intent.LOAN,
            tuple(citation(q) for q in quotes),
            conversation_id=conversation_id,
        )

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[str | Answer]:
        yield self.ask(question, conversation_id)


@pytest.fixture
def chunks() -> tuple[Chunk, ...]:
    return CHUNKS


@pytest.fixture
def gold_items() -> tuple[GoldItem, ...]:
    return GOLD


@pytest.fixture
def search() -> Callable[[str, int], list[Hit]]:
    return bigram_search(CHUNKS)


@pytest.fixture
def kit() -> ModuleType:
    """This module: its helpers (make_chunk, answer, gold, OracleAnswerer …) for the tests."""
    return sys.modules[__name__]
