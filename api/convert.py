"""Turn the pipeline's frozen records into the edge's pydantic models."""

from __future__ import annotations

from api.schemas import (
    AnswerOut,
    ArticleOut,
    ArticleParagraphOut,
    CitationOut,
    HitOut,
    ProgrammeDetailOut,
    ProgrammeOut,
    SourceOut,
)
from assistant import Answer, Citation
from index import Hit
from ingest import Article, Chunk, Programme, to_jsonable

__all__ = [
    "answer_out",
    "article_out",
    "citation_out",
    "hit_out",
    "programme_detail_out",
    "programme_out",
    "source_out",
]


def citation_out(citation: Citation) -> CitationOut:
    return CitationOut(
        id=citation.id,
        kind=str(citation.kind),
        programme=citation.programme,
        article=citation.article,
        section=citation.section,
        page=citation.page,
        quote=citation.quote,
        lines=citation.lines.as_list(),
    )


def answer_out(answer: Answer, conversation_id: str | None = None) -> AnswerOut:
    """``conversation_id`` fills in when the answerer did not set one itself."""
    return AnswerOut(
        question=answer.question,
        answer=answer.answer,
        answerable=answer.answerable,
        intent=str(answer.intent),
        citations=[citation_out(c) for c in answer.citations],
        latency_ms=round(answer.latency_ms, 1),
        conversation_id=answer.conversation_id or conversation_id,
    )


def hit_out(hit: Hit, programme_name: str | None = None) -> HitOut:
    chunk = hit.chunk
    return HitOut(
        id=chunk.id,
        kind=str(chunk.kind),
        score=hit.score,
        rank=hit.rank,
        text=chunk.text,
        title=chunk.title,
        programme=chunk.programme,
        programme_name=programme_name,
        article=chunk.article,
        section=chunk.section,
        page=chunk.page,
        lines=chunk.lines.as_list(),
    )


def programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=programme.id,
        name=programme.name,
        article=programme.article,
        focus=programme.focus,
        page=programme.page,
        lines=programme.lines.as_list(),
        has_record=programme.record_lines is not None,
    )


def programme_detail_out(p: Programme) -> ProgrammeDetailOut:
    # The same JSON shape as `sme-assistant records --json` (one serializer for both edges);
    # fields the API does not document (e.g. the budget's printed text) are dropped here.
    return ProgrammeDetailOut.model_validate(
        to_jsonable(p) | {"has_record": p.record_lines is not None}
    )


def article_out(article: Article, programmes: list[str]) -> ArticleOut:
    return ArticleOut(
        id=article.id,
        number=article.number,
        label=article.label,
        title=article.title,
        text=article.text,
        paragraphs=[
            ArticleParagraphOut(
                number=para.number,
                text=para.text,
                items=[f"({item.number}) {item.text}" for item in para.items],
            )
            for para in article.paragraphs
        ],
        page=article.page,
        lines=article.lines.as_list(),
        programmes=programmes,
    )


def source_out(
    chunk: Chunk, article_label: str | None, programme_name: str | None = None
) -> SourceOut:
    return SourceOut(
        id=chunk.id,
        kind=str(chunk.kind),
        text=chunk.text,
        title=chunk.title,
        programme=chunk.programme,
        programme_name=programme_name,
        article=chunk.article,
        article_label=article_label,
        section=chunk.section,
        page=chunk.page,
        lines=chunk.lines.as_list(),
        fiscal_years=list(chunk.fiscal_years),
    )
