"""Core: what every stage shares and none owns.

Settings (``SME_*``), the one error hierarchy, and the one implementation of each Japanese
text helper (NFKC, era ↔ western years, kanji numerals). It imports no other package of the
project: the import flow is core → ingest → index → assistant → api.
"""

from core.errors import (
    AnswerError,
    ConfigError,
    CorpusError,
    IndexBuildError,
    NotFoundError,
    SmeError,
)
from core.japanese import (
    ERA_OFFSETS,
    KANJI_NUMERAL_CHARS,
    EraYear,
    era_label,
    era_to_western,
    era_years,
    era_years_as_western,
    find_era_years,
    is_katakana,
    join_spaced_digits,
    kanji_to_int,
    nfkc,
    western_to_era,
)
from core.settings import Settings, get_settings
from core.sqlite_file import SqliteFile

__all__ = [
    "ERA_OFFSETS",
    "KANJI_NUMERAL_CHARS",
    "AnswerError",
    "ConfigError",
    "CorpusError",
    "EraYear",
    "IndexBuildError",
    "NotFoundError",
    "Settings",
    "SmeError",
    "SqliteFile",
    "era_label",
    "era_to_western",
    "era_years",
    "era_years_as_western",
    "find_era_years",
    "get_settings",
    "is_katakana",
    "join_spaced_digits",
    "kanji_to_int",
    "nfkc",
    "western_to_era",
]
