"""Ingest: parse the report and the ordinance into typed records and chunks."""

from ingest.errors import (
    AnswerError,
    ConfigError,
    CorpusError,
    IndexBuildError,
    NotFoundError,
    SmeError,
)
from ingest.models import (
    Article,
    ArticleItem,
    ArticleParagraph,
    Budget,
    Chunk,
    ChunkKind,
    Contact,
    Corpus,
    Kpi,
    Programme,
    Section,
    Span,
    SupportMenu,
    TextBlock,
)
from ingest.settings import Settings, get_settings

__all__ = [
    "AnswerError",
    "Article",
    "ArticleItem",
    "ArticleParagraph",
    "Budget",
    "Chunk",
    "ChunkKind",
    "ConfigError",
    "Contact",
    "Corpus",
    "CorpusError",
    "IndexBuildError",
    "Kpi",
    "NotFoundError",
    "Programme",
    "Section",
    "Settings",
    "SmeError",
    "Span",
    "SupportMenu",
    "TextBlock",
    "get_settings",
]
