"""Typed records the ingest stage produces; every later stage reads only these.

All records are frozen dataclasses. Every value that comes from the report carries the
1-based, inclusive line range (:class:`Span`) of the report text it was read from, so a
citation can always point back to the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Article",
    "ArticleItem",
    "ArticleParagraph",
    "Budget",
    "Chunk",
    "ChunkKind",
    "Contact",
    "Corpus",
    "Kpi",
    "Programme",
    "Section",
    "Span",
    "SupportMenu",
    "TextBlock",
]


@dataclass(frozen=True, slots=True)
class Span:
    """1-based inclusive line range in the source text."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 1 or self.last < self.first:
            raise ValueError(f"bad span {self.first}-{self.last}")

    def as_list(self) -> list[int]:
        return [self.first, self.last]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A piece of cleaned report text (PDF line wraps joined without spaces)."""

    text: str
    lines: Span


@dataclass(frozen=True, slots=True)
class Budget:
    """Budget figures in yen (the report prints 千円; converted exactly). None = not given."""

    fy2016_budget: int | None
    fy2016_actual: int | None
    fy2017_budget: int | None
    lines: Span
    text: str | None = None  # the budget lines as printed (cleaned), incl. the 増減 column
    # The western fiscal year of the 決算 / 実績 column (the report's year); the field names
    # above are the published JSON contract and name this report's years.
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI row: indicator, unit and the figures as printed (half-width, NFKC)."""

    indicator: str
    unit: str | None
    target: str | None
    fy2015: str | None
    fy2016: str | None
    lines: Span
    year: int | None = None  # western fiscal year of the later actual column (``fy2016``)


@dataclass(frozen=True, slots=True)
class SupportMenu:
    """A subsidy or loan product a programme offers."""

    name: str
    kind: str  # "subsidy" | "loan" | "other"
    cap_yen: int | None  # the (first) upper limit in yen
    rate: str | None  # e.g. "1/2", "2/3", "年1.3%以内"
    term: str | None  # e.g. "4年以内"
    eligibility: str | None
    text: str  # the cleaned source text the fields were read from
    lines: Span


@dataclass(frozen=True, slots=True)
class Contact:
    """An organisation or consultation desk a programme record names."""

    name: str
    description: str | None  # the sentence that names it, cleaned
    lines: Span


@dataclass(frozen=True, slots=True)
class Programme:
    """One of the programmes in the table, with its record when the report has one."""

    id: str
    name: str
    article: int  # ordinance article 12–19
    focus: bool  # 重点事業 (○)
    page: int | None  # page in the table
    lines: Span  # the table row
    record_lines: Span | None = None  # the programme's own record, when present
    plan: TextBlock | None = None  # 事業計画 / 事業概要
    budget: Budget | None = None
    kpis: tuple[Kpi, ...] = ()
    activities: tuple[TextBlock, ...] = ()  # Do
    council_opinions: tuple[TextBlock, ...] = ()  # Check
    responses: tuple[TextBlock, ...] = ()  # Action
    support_menus: tuple[SupportMenu, ...] = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleItem:
    """A numbered item (1), (2) … of a paragraph."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class ArticleParagraph:
    """A paragraph (項) of an article; ``number`` 1 for the first, unnumbered one."""

    number: int
    text: str
    items: tuple[ArticleItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """An ordinance article. number 0 = 前文 (preamble), 25 = 附則 (supplementary provisions)."""

    id: str
    number: int
    title: str  # 見出し without brackets, e.g. "研究及び開発の支援"; "前文" / "附則"
    paragraphs: tuple[ArticleParagraph, ...]
    page: int | None
    lines: Span

    @property
    def label(self) -> str:
        if self.number == 0:
            return "前文"
        if self.number == SUPPLEMENTARY_ARTICLE:
            return "附則"
        return f"第{self.number}条"

    @property
    def numbered(self) -> bool:
        """Whether the article has a 第N条 of its own (the preamble and 附則 have none)."""
        return 0 < self.number != SUPPLEMENTARY_ARTICLE

    @property
    def text(self) -> str:
        """The article as one text: paragraphs in order, items as "(n) …" lines."""
        out: list[str] = []
        for para in self.paragraphs:
            prefix = "" if para.number <= 1 else f"{para.number} "
            out.append(prefix + para.text)
            out.extend(f"({item.number}) {item.text}" for item in para.items)
        return "\n".join(out)


SUPPLEMENTARY_ARTICLE = 25


@dataclass(frozen=True, slots=True)
class Section:
    """Any other part of the report: introduction, statistics, survey, council, table, column."""

    id: str
    key: str  # introduction, statistics, survey, council, programme_table, column, …
    title: str
    text: str
    page: int | None
    lines: Span
    facts: tuple[tuple[str, str], ...] = ()  # e.g. (("有効回答", "837件"),) for the survey


class ChunkKind(StrEnum):
    ARTICLE = "article"
    PLAN = "plan"
    BUDGET = "budget"  # budget + KPIs
    ACTIVITIES = "activities"
    CHECK = "check"
    ACTION = "action"
    SUPPORT_MENU = "support_menu"
    CONTACT = "contact"
    PROGRAMME_ROW = "programme_row"
    SECTION = "section"


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable unit of text with its provenance."""

    id: str  # hash of document + unit
    kind: ChunkKind
    text: str
    lines: Span
    page: int | None = None
    programme: str | None = None
    article: int | None = None
    section: str | None = None
    title: str | None = None
    fiscal_years: tuple[int, ...] = ()  # western years the text is about, e.g. (2016, 2017)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything ingest produces from one report."""

    source: str  # file name of the report
    sha256: str
    programmes: tuple[Programme, ...]
    articles: tuple[Article, ...]
    sections: tuple[Section, ...]
    chunks: tuple[Chunk, ...] = field(default=())
