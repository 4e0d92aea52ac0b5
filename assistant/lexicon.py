"""Colloquial → report wording: paraphrases (``paraphrases.everyday`` in the catalogue)
appended to a question for matching."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.catalogue import rules

__all__ = ["expand"]


def expand(text: str, synonyms: Sequence[str] = ()) -> str:
    """``text`` plus the report's terms for the everyday words it contains (and the
    ``synonyms`` read for it, see :mod:`assistant.synonyms`)."""
    table = rules().table("paraphrases.everyday")
    extra = [formal for word, formal in table.items() if word in text and formal not in text]
    extra += [word for word in synonyms if word not in text]
    return text if not extra else f"{text} {' '.join(dict.fromkeys(extra))}"
