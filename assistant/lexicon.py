"""Colloquial → report wording: paraphrases (``paraphrases.everyday`` in the catalogue)
appended to a question for matching."""

from __future__ import annotations

from assistant.catalogue import rules

__all__ = ["expand"]


def expand(text: str) -> str:
    """``text`` plus the report's terms for the everyday words it contains."""
    table = rules().table("paraphrases.everyday")
    extra = [formal for word, formal in table.items() if word in text and formal not in text]
    return text if not extra else f"{text} {' '.join(dict.fromkeys(extra))}"
