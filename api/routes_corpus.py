"""Browsing the report: search, programmes, ordinance articles and cited source passages."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.convert import article_out, hit_out, programme_detail_out, programme_out, source_out
from api.deps import CorpusDep, SearcherDep, SettingsDep
from api.questions import check_question, check_text
from api.schemas import (
    ArticleOut,
    ErrorOut,
    ProgrammeDetailOut,
    ProgrammeOut,
    SearchOut,
    SourceOut,
)
from assistant import nfkc
from core import NotFoundError
from index import SearchFilters
from ingest import Article, ChunkKind, Corpus

__all__ = ["find_article", "programme_names", "router"]

router = APIRouter(tags=["report"])

_404: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 503: {"model": ErrorOut}}
_NAMED: dict[int | str, dict[str, Any]] = {**_404, 422: {"model": ErrorOut}}  # a name in the path
_ARTICLE = re.compile(r"^第?(\d{1,3})条?$")


def _norm(text: str) -> str:
    return nfkc(text).strip()


def programme_names(corpus: Corpus) -> dict[str, str]:
    """The name people read for how a chunk or citation refers to a programme: ingest's chunks
    carry the programme's name, hand-made ones (and older stores) its id; both resolve."""
    return {key: p.name for p in corpus.programmes for key in (p.id, p.name)}


def find_article(corpus: Corpus, text: str) -> Article | None:
    """'12', '１２', '第12条' or a label such as '前文' / '附則' → the article, if any."""
    value = _norm(text)
    match = _ARTICLE.match(value)
    for candidate in corpus.articles:
        if candidate.label == value or (match and candidate.number == int(match.group(1))):
            return candidate
    return None


@router.get("/api/search", response_model=SearchOut, responses={422: {"model": ErrorOut}, **_404})
def search(
    *,
    settings: SettingsDep,
    searcher: SearcherDep,
    corpus: CorpusDep,
    q: Annotated[str, Query(description="検索語")],
    k: Annotated[int | None, Query(ge=1, le=50, description="件数")] = None,
    kind: Annotated[ChunkKind | None, Query(description="種類で絞り込み")] = None,
    programme: Annotated[str | None, Query(max_length=200, description="事業 ID")] = None,
    article: Annotated[int | None, Query(ge=0, le=100)] = None,
) -> SearchOut:
    """報告書の本文をハイブリッド検索します（職員向け）。"""
    query = check_question(q, settings)
    if programme:
        check_text(programme, "事業 ID")
    limit = k or settings.search_k
    filters = None
    if kind is not None or programme or article is not None:
        filters = SearchFilters(
            kinds=(kind,) if kind is not None else None,
            programme=programme or None,
            article=article,
        )
    hits = searcher.search(query, limit, filters)
    names = programme_names(corpus)
    out = [hit_out(hit, names.get(hit.chunk.programme or "")) for hit in hits[:limit]]
    return SearchOut(query=query, k=limit, hits=out)


@router.get("/api/programmes", response_model=list[ProgrammeOut], responses=_404)
async def programmes(corpus: CorpusDep) -> list[ProgrammeOut]:
    """報告書の事業一覧。"""
    return [programme_out(p) for p in corpus.programmes]


@router.get("/api/programmes/{name}", response_model=ProgrammeDetailOut, responses=_NAMED)
async def programme(name: str, corpus: CorpusDep) -> ProgrammeDetailOut:
    """事業の詳細（事業名または ID で指定）。"""
    wanted = _norm(check_text(name, "事業名"))
    for p in corpus.programmes:
        if wanted in (p.id, _norm(p.name)):
            return programme_detail_out(p)
    raise NotFoundError(f"事業「{wanted}」は報告書に見つかりません。")


@router.get("/api/articles/{number}", response_model=ArticleOut, responses=_NAMED)
async def article(number: str, corpus: CorpusDep) -> ArticleOut:
    """条例の条文（'12'、'第12条'、'前文'、'附則'）。"""
    found = find_article(corpus, check_text(number, "条"))
    if found is None:
        raise NotFoundError(f"条例に「{_norm(number)}」はありません。")
    names = [p.name for p in corpus.programmes if p.article == found.number]
    return article_out(found, names)


@router.get("/api/sources/{chunk_id}", response_model=SourceOut, responses=_NAMED)
async def source(chunk_id: str, corpus: CorpusDep) -> SourceOut:
    """引用元の本文（チャンク ID で指定）。"""
    check_text(chunk_id, "チャンク ID")
    for chunk in corpus.chunks:
        if chunk.id == chunk_id:
            label = next((a.label for a in corpus.articles if a.number == chunk.article), None)
            return source_out(chunk, label, programme_names(corpus).get(chunk.programme or ""))
    raise NotFoundError("指定された引用元は見つかりません。")
