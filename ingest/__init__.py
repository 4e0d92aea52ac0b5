"""Ingest: parse the report and the ordinance into typed records and chunks."""

from ingest.chunking import Chunker
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
from ingest.pipeline import STAGES as INGEST_STAGES
from ingest.pipeline import ReportIngestor, load_corpus, run_ingest
from ingest.sections import SECTION_KEYS
from ingest.serialize import records_to_dict, to_jsonable
from ingest.store import CorpusStore
from ingest.sudachi import MAX_INPUT_BYTES as SUDACHI_MAX_BYTES
from ingest.sudachi import content_forms as sudachi_content_forms
from ingest.sudachi import country_names as sudachi_country_names
from ingest.sudachi import dictionary as sudachi_dictionary
from ingest.sudachi import pieces as sudachi_pieces
from ingest.sudachi import place_names as sudachi_place_names
from ingest.sudachi import reading as sudachi_reading
from ingest.sudachi import split_sentences
from ingest.sudachi import synonym_nouns as sudachi_synonym_nouns
from ingest.sudachi import tokenizer as sudachi_tokenizer
from ingest.survey_charts import row_title as chart_row_title
from ingest.years import fiscal_year_label, report_years, short_year

__all__ = [
    "INGEST_STAGES",
    "SECTION_KEYS",
    "SUDACHI_MAX_BYTES",
    "Article",
    "ArticleItem",
    "ArticleParagraph",
    "Budget",
    "Chunk",
    "ChunkKind",
    "Chunker",
    "Contact",
    "Corpus",
    "CorpusStore",
    "Kpi",
    "Programme",
    "ReportIngestor",
    "Section",
    "Span",
    "SupportMenu",
    "TextBlock",
    "chart_row_title",
    "fiscal_year_label",
    "load_corpus",
    "records_to_dict",
    "report_years",
    "run_ingest",
    "short_year",
    "split_sentences",
    "sudachi_content_forms",
    "sudachi_country_names",
    "sudachi_dictionary",
    "sudachi_pieces",
    "sudachi_place_names",
    "sudachi_reading",
    "sudachi_synonym_nouns",
    "sudachi_tokenizer",
    "to_jsonable",
]
