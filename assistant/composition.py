"""A composed answer, and the grounding check every fact passes before it is shown.

Shared by the composer and the decliner, so neither needs the other."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from assistant.citing import Fact, supported
from assistant.models import Citation
from assistant.phrases import phrase
from ingest import Programme

__all__ = ["Composition", "compose", "grounded", "line_label"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Composition:
    answer: str
    answerable: bool
    citations: tuple[Citation, ...]
    facts: tuple[Fact, ...] = field(default=())
    programmes: tuple[str, ...] = ()
    out_of_scope: bool = False


def grounded(fact: Fact) -> bool:
    """Every number of the fact is in its quotes, and every citation quotes something."""
    ok = supported(fact.text, fact.citations) and all(c.quote for c in fact.citations)
    if not ok:
        log.info("dropped a fact whose numbers are not in its quotes: %s", fact.text[:60])
    return ok


_MAX_LABEL = 60


def line_label(line: str) -> str:
    """A line's 「label：」 (its programme, article or section), or ""."""
    # What follows a label, as the phrase that writes labelled facts puts it.
    end = phrase("ranked.labelled", label="", text="")
    head, sep, _ = line.partition(end)
    return head + sep if sep and len(head) <= _MAX_LABEL else ""


def _lines(facts: list[Fact]) -> list[str]:
    """One line per fact; a line under the same 「label：」 as the line before it drops it
    (three facts of one programme name it once)."""
    out: list[str] = []
    previous = ""
    for fact in facts:
        label = line_label(fact.text)
        out.append(fact.text[len(label) :] if label and label == previous else fact.text)
        previous = label
    return out


def compose(facts: list[Fact], answerable: bool, programmes: list[Programme]) -> Composition:
    """The answer made of ``facts``, one per line, with their citations in order."""
    citations = tuple(dict.fromkeys(c for f in facts for c in f.citations))
    return Composition(
        "\n".join(_lines(facts)),
        answerable,
        citations,
        tuple(facts),
        tuple(p.id for p in programmes),
    )
