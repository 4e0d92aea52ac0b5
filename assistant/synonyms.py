"""Everyday words the report never uses, matched through the report's words of the same meaning.

Sudachi's dictionary puts synonyms in groups (職安, ハローワーク and 公共職業安定所 share one;
スマホ and スマートフォン another). A noun of the question that the report never uses brings the
report's nouns of its groups, so an owner's word reaches the report's. Data, not rules: the
groups come with the dictionary and the words with the report (next year's brings its own),
and a word the report uses itself is never replaced, so its own wording always decides.
"""

from __future__ import annotations

from assistant.text import nfkc
from ingest import sudachi_synonym_nouns

__all__ = ["MIN_CHARS", "SynonymReader"]

MIN_CHARS = 2  # a one-character noun of the report (店, 家) would match nearly every question


class SynonymReader:
    """The report's words for the nouns of a question that the report never uses."""

    def __init__(self, report_text: str) -> None:
        self.report_text = nfkc(report_text)
        groups: dict[int, dict[str, None]] = {}
        for surface, ids in sudachi_synonym_nouns(self.report_text):
            if len(surface) >= MIN_CHARS:
                for group in ids:
                    groups.setdefault(group, {})[surface] = None
        self.groups = {group: tuple(words) for group, words in groups.items()}

    def read(self, question: str) -> tuple[str, ...]:
        """The report's synonyms of the question's unfamiliar nouns, in the question's order
        (each group's words in the report's order); none the question holds already."""
        text = nfkc(question)
        found: dict[str, None] = {}
        for surface, ids in sudachi_synonym_nouns(text):
            if surface in self.report_text:
                continue
            for group in ids:
                found.update((w, None) for w in self.groups.get(group, ()) if w not in text)
        return tuple(found)
