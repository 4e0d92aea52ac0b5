"""Turn the pipeline's frozen records into the edge's pydantic models."""

from __future__ import annotations

from api.schemas import (
    AnswerOut,
    ArticleOut,
    ArticleParagraphOut,
    BudgetOut,
    CitationOut,
    ContactOut,
    HitOut,
    KpiOut,
    ProgrammeDetailOut,
    ProgrammeOut,
    SourceOut,
    SupportMenuOut,
    TextBlockOut,
)
from assistant import Answer, Citation
from index import Hit
from ingest import Article, Chunk, Programme, TextBlock

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


def _block(block: TextBlock) -> TextBlockOut:
    return TextBlockOut(text=block.text, lines=block.lines.as_list())


def programme_detail_out(p: Programme) -> ProgrammeDetailOut:
    budget = p.budget
    return ProgrammeDetailOut(
        **programme_out(p).model_dump(),
        record_lines=p.record_lines.as_list() if p.record_lines else None,
        plan=_block(p.plan) if p.plan else None,
        budget=BudgetOut(
            fy2016_budget=budget.fy2016_budget,
            fy2016_actual=budget.fy2016_actual,
            fy2017_budget=budget.fy2017_budget,
            lines=budget.lines.as_list(),
        )
        if budget
        else None,
        kpis=[
            KpiOut(
                indicator=k.indicator,
                unit=k.unit,
                target=k.target,
                fy2015=k.fy2015,
                fy2016=k.fy2016,
                lines=k.lines.as_list(),
            )
            for k in p.kpis
        ],
        activities=[_block(b) for b in p.activities],
        council_opinions=[_block(b) for b in p.council_opinions],
        responses=[_block(b) for b in p.responses],
        support_menus=[
            SupportMenuOut(
                name=m.name,
                kind=m.kind,
                cap_yen=m.cap_yen,
                rate=m.rate,
                term=m.term,
                eligibility=m.eligibility,
                text=m.text,
                lines=m.lines.as_list(),
            )
            for m in p.support_menus
        ],
        contacts=[
            ContactOut(name=c.name, description=c.description, lines=c.lines.as_list())
            for c in p.contacts
        ],
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
