"""Core: what every stage shares and none owns (settings, errors, Japanese text helpers)."""

from core.japanese import (
    ERA_OFFSETS,
    KANJI_NUMERAL_CHARS,
    era_label,
    era_to_western,
    era_years,
    kanji_to_int,
    nfkc,
    western_to_era,
)

__all__ = [
    "ERA_OFFSETS",
    "KANJI_NUMERAL_CHARS",
    "era_label",
    "era_to_western",
    "era_years",
    "kanji_to_int",
    "nfkc",
    "western_to_era",
]
