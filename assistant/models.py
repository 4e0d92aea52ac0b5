"""What the assistant returns: answers with verbatim, located citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from ingest import Span

__all__ = ["Answer", "Answerer", "Citation", "Intent", "StreamReset"]


class Intent(StrEnum):
    SUBSIDY = "subsidy"
    LOAN = "loan"
    CONTACT = "contact"
    BUDGET = "budget"
    KPI = "kpi"
    ORDINANCE = "ordinance"
    PROGRAMME = "programme"
    STATISTICS = "statistics"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True, slots=True)
class Citation:
    """A source for a fact: ``quote`` is verbatim text of the report's ``lines``."""

    id: str  # chunk id
    kind: str
    quote: str
    lines: Span
    page: int | None = None
    programme: str | None = None
    article: int | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str
    answerable: bool
    intent: Intent
    citations: tuple[Citation, ...]
    latency_ms: float = 0.0
    conversation_id: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class StreamReset:
    """A stream signal: discard the text streamed so far, the pieces that follow replace it.

    Sent at most once per answer, only after some text was streamed: when streamed LLM
    phrasing fails the faithfulness guard, or the endpoint fails mid-answer, the composer's
    grounded text follows. The final :class:`Answer` always holds what the client ends up
    showing. ``reason`` is ``Answer.extra``'s ``llm_fallback`` value ("guard", "error").
    """

    reason: str = "guard"


class Answerer(Protocol):
    """The assistant's contract as the API and the evaluation see it."""

    def ask(self, question: str, conversation_id: str | None = None) -> Answer: ...

    def stream(
        self, question: str, conversation_id: str | None = None
    ) -> Iterator[str | StreamReset | Answer]:
        """Yield answer text pieces as they are produced, then the final :class:`Answer`.

        A :class:`StreamReset` among the pieces means: forget the text so far."""
        ...
