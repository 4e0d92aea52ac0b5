"""Pydantic models of the HTTP edge (the only place pydantic meets the pipeline's records)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.questions import TEXT_PATTERN

# Longer than any answer the assistant composes; bounds what a rating may carry back.
MAX_ANSWER_CHARS = 4000

__all__ = [
    "AnswerOut",
    "ArticleOut",
    "ArticleParagraphOut",
    "AskIn",
    "BudgetOut",
    "CitationOut",
    "ContactOut",
    "ErrorOut",
    "FeedbackIn",
    "FeedbackOut",
    "HealthOut",
    "HitOut",
    "KpiOut",
    "ProgrammeDetailOut",
    "ProgrammeOut",
    "SearchOut",
    "SourceOut",
    "SupportMenuOut",
    "TextBlockOut",
    "UnansweredGroupOut",
    "UnansweredOut",
]


class AskIn(BaseModel):
    """A question; the length limit is checked against settings in the route, not here."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="利用者の質問 (日本語)。", examples=["融資の限度額は？"])
    conversation_id: str | None = Field(
        default=None,
        max_length=128,
        description="会話を続けるときに、前の回答に付いていた conversation_id をそのまま送ります。"
        "サーバーが発行していない ID・期限切れの ID は 404 (conversation_not_found)。",
        # Documented only: the route checks it and answers in Japanese (api.questions).
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    new_conversation: bool = Field(
        default=False,
        description="true で新しい会話を始めます"
        "（回答にサーバー発行の conversation_id が付きます）。"
        "どちらも送らない質問は1問だけのやりとりで、回答の conversation_id は null です。",
    )


class CitationOut(BaseModel):
    id: str
    kind: str
    programme: str | None = Field(default=None, description="Programme id (see /api/programmes).")
    article: int | None = None
    section: str | None = None
    page: int | None = None
    quote: str
    lines: list[int] = Field(description="[first, last], 1-based inclusive report lines.")


class AnswerOut(BaseModel):
    """Same shape as ``sme-assistant ask --json``."""

    question: str
    answer: str
    answerable: bool
    intent: str
    citations: list[CitationOut]
    latency_ms: float
    conversation_id: str | None = Field(
        default=None, description="会話の ID（会話でない1問だけの質問では null）。"
    )
    answer_id: str | None = Field(
        default=None,
        description="この回答の ID（サーバー発行）。POST /api/feedback で評価するときに送ります。"
        "コマンドラインの回答では null。",
    )


class FeedbackIn(BaseModel):
    """A rating of one answer; the texts are checked in the route (api.questions)."""

    model_config = ConfigDict(extra="forbid")

    answer_id: str = Field(
        max_length=64,
        description="評価する回答の answer_id。",
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    rating: Literal["up", "down"] = Field(description="up（👍）または down（👎）。")
    comment: str | None = Field(
        default=None,
        max_length=500,
        description="👎 に添える任意のコメント（500文字以内）。",
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    # The rated answer carried back: another worker checks it against the signed id.
    question: str | None = Field(
        default=None,
        description="評価する回答の質問（/api/ask・/api/chat に送った question）。"
        "answer・intent・answerable とあわせて送ると、回答したのと別のサーバープロセスに"
        "届いた評価も受け付けます（answer_id の署名と一致するときだけ記録します）。",
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    answer: str | None = Field(
        default=None,
        max_length=MAX_ANSWER_CHARS,
        description=f"評価する回答の answer（受け取ったまま、{MAX_ANSWER_CHARS}文字以内）。",
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    intent: str | None = Field(
        default=None,
        max_length=64,
        description="評価する回答の intent（受け取ったまま）。",
        json_schema_extra={"pattern": TEXT_PATTERN},
    )
    answerable: bool | None = Field(default=None, description="評価する回答の answerable。")


class FeedbackOut(BaseModel):
    answer_id: str
    rating: str
    recorded: bool = Field(
        description="👎 を記録したか（👍 と、SME_RECORD_QUESTIONS=false のときは false）。"
    )


class UnansweredGroupOut(BaseModel):
    question: str = Field(description="正規化した質問（NFKC・空白をまとめたもの）。")
    example: str = Field(description="最近の質問の原文。")
    count: int = Field(description="記録された回答の数。")
    last_at: str = Field(description="最後に記録された時刻 (ISO 8601, UTC)。")
    reasons: list[str] = Field(description="declined / low_confidence / thumbs_down。")
    answer: str = Field(description="最近の回答。")
    intent: str
    comments: list[str] = Field(description="👎 に添えられたコメント（新しい順）。")


class UnansweredOut(BaseModel):
    recording: bool = Field(description="記録中か（SME_RECORD_QUESTIONS）。")
    groups: list[UnansweredGroupOut]


class ErrorOut(BaseModel):
    error: str = Field(description="Machine-readable error kind, e.g. not_found.")
    detail: str = Field(description="Human-readable (Japanese) message.")


class HitOut(BaseModel):
    id: str
    kind: str
    score: float
    rank: int
    text: str
    title: str | None = None
    programme: str | None = Field(default=None, description="Programme id.")
    programme_name: str | None = None
    article: int | None = None
    section: str | None = None
    page: int | None = None
    lines: list[int]


class SearchOut(BaseModel):
    query: str
    k: int
    hits: list[HitOut]


class ProgrammeOut(BaseModel):
    id: str
    name: str
    article: int
    focus: bool
    page: int | None = None
    lines: list[int]
    has_record: bool


class TextBlockOut(BaseModel):
    text: str
    lines: list[int]


class BudgetOut(BaseModel):
    fy2016_budget: int | None = None
    fy2016_actual: int | None = None
    fy2017_budget: int | None = None
    lines: list[int]


class KpiOut(BaseModel):
    indicator: str
    unit: str | None = None
    target: str | None = None
    fy2015: str | None = None
    fy2016: str | None = None
    lines: list[int]


class SupportMenuOut(BaseModel):
    name: str
    kind: str
    cap_yen: int | None = None
    rate: str | None = None
    term: str | None = None
    eligibility: str | None = None
    text: str
    lines: list[int]


class ContactOut(BaseModel):
    name: str
    description: str | None = None
    lines: list[int]


class ProgrammeDetailOut(ProgrammeOut):
    record_lines: list[int] | None = None
    plan: TextBlockOut | None = None
    budget: BudgetOut | None = None
    kpis: list[KpiOut] = []
    activities: list[TextBlockOut] = []
    council_opinions: list[TextBlockOut] = []
    responses: list[TextBlockOut] = []
    support_menus: list[SupportMenuOut] = []
    contacts: list[ContactOut] = []


class ArticleParagraphOut(BaseModel):
    number: int
    text: str
    items: list[str]


class ArticleOut(BaseModel):
    id: str
    number: int
    label: str
    title: str
    text: str
    paragraphs: list[ArticleParagraphOut]
    page: int | None = None
    lines: list[int]
    programmes: list[str] = Field(description="Programmes the report files under this article.")


class SourceOut(BaseModel):
    id: str
    kind: str
    text: str
    title: str | None = None
    programme: str | None = Field(default=None, description="Programme id.")
    programme_name: str | None = None
    article: int | None = None
    article_label: str | None = None
    section: str | None = None
    page: int | None = None
    lines: list[int]
    fiscal_years: list[int] = []


class HealthOut(BaseModel):
    status: str = Field(description="ok when everything loaded, else degraded.")
    corpus: str | None = None
    programmes: int = 0
    articles: int = 0
    chunks: int = 0
    searcher: bool = False
    answerer: bool = False
    error: str | None = Field(
        default=None,
        description="Why it is degraded, in Japanese and English (details are in the server log).",
    )
    stages: dict[str, int | float] = Field(
        default_factory=dict,
        description="This worker's answers so far and the CPU milliseconds each answering "
        "stage spent on them (understand, retrieve, compose).",
    )
    # int | float, not float: pydantic would print the counts as 1.0 (smart unions keep ints).
    caches: dict[str, dict[str, int | float]] = Field(
        default_factory=dict,
        description="Per cache (answer, search, query_embedding): integer counts size, maxsize, "
        "hits, misses, stores, and the float hit_rate.",
        examples=[
            {
                "answer": {
                    "size": 12,
                    "maxsize": 1024,
                    "hits": 30,
                    "misses": 12,
                    "stores": 12,
                    "hit_rate": 0.7143,
                }
            }
        ],
    )
