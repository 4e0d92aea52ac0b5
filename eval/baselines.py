"""Deliberately weak answerers: floors the real assistant must clearly beat.

They exist to show the metrics can fail; nothing outside evaluation and its tests uses them.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant import Answer, Citation, Intent
from eval.runner import SearchFn

__all__ = ["RefuseAllAnswerer", "TopPassageAnswerer"]


class TopPassageAnswerer:
    """Answers every question with the top retrieved passage, verbatim; never refuses."""

    def __init__(self, search: SearchFn) -> None:
        self.search = search

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        hits = list(self.search(question, 1))
        if not hits:
            return Answer(question, "", True, Intent.PROGRAMME, (), 0.0, conversation_id)
        chunk = hits[0].chunk
        citation = Citation(
            id=chunk.id,
            kind=str(chunk.kind),
            quote=chunk.text,
            lines=chunk.lines,
            page=chunk.page,
            programme=chunk.programme,
            article=chunk.article,
            section=chunk.section,
        )
        return Answer(
            question, chunk.text, True, Intent.PROGRAMME, (citation,), 0.0, conversation_id
        )

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[str | Answer]:
        answer = self.ask(question, conversation_id)
        yield answer.answer
        yield answer


class RefuseAllAnswerer:
    """Refuses every question without pointing anywhere."""

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        return Answer(
            question,
            "報告書には記載がありません。",
            False,
            Intent.OUT_OF_SCOPE,
            (),
            0.0,
            conversation_id,
        )

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[str | Answer]:
        answer = self.ask(question, conversation_id)
        yield answer.answer
        yield answer
