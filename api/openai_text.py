"""An answer as an OpenAI chat message: the text with numbered citation marks and a 「出典」
list appended, for front-ends that show only the message text; and the stream's chunks."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from api.convert import citation_out
from api.openai_schemas import MODEL_ID
from api.routes_corpus import programme_names
from assistant import Answer, Citation, nfkc
from ingest import Corpus

__all__ = ["cited_content", "completion_chunk", "sse_data"]

_QUOTE_CHARS = 160  # the list stays readable; the whole quote is in `citations`
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def _numbers(text: str) -> set[str]:
    # Thousands separators and the report's stray spaces (「1 .3％」) removed first.
    return set(_NUMBER.findall(re.sub(r"[,\s]", "", nfkc(text))))


def _marked(text: str, citations: Sequence[Citation]) -> str:
    """``text`` with [n] marks: at the end of each line when the lines are the composer's
    facts, one citation each in order (checked: every number of a line is in its quote),
    else all after the text, which the citations together support."""
    if not citations:
        return text
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) == len(citations) > 1 and all(
        _numbers(lines[i]) <= _numbers(c.quote) for i, c in zip(filled, citations, strict=True)
    ):
        for number, i in enumerate(filled, 1):
            lines[i] = f"{lines[i].rstrip()}[{number}]"
        return "\n".join(lines)
    return text.rstrip() + "".join(f"[{n}]" for n in range(1, len(citations) + 1))


def _title(citation: Citation, corpus: Corpus, names: dict[str, str]) -> str:
    if citation.programme:
        return names.get(citation.programme, citation.programme)
    article = next((a for a in corpus.articles if a.number == citation.article), None)
    if article is not None:
        return f"条例 {article.label}"
    chunk = next((c for c in corpus.chunks if c.id == citation.id), None)
    return (chunk.title if chunk else None) or citation.section or "報告書"


def _source(citation: Citation, corpus: Corpus, names: dict[str, str]) -> str:
    where = [f"p.{citation.page}"] if citation.page else []
    where.append(f"{citation.lines.first}–{citation.lines.last}行")
    quote = _LINE_BREAKS.sub("", citation.quote).strip()
    if len(quote) > _QUOTE_CHARS:
        quote = quote[:_QUOTE_CHARS] + "…"
    return f"{_title(citation, corpus, names)}（{'・'.join(where)}）「{quote}」"


def cited_content(answer: Answer, corpus: Corpus) -> str:
    """The message text: the answer with its marks, then the numbered sources (a Markdown
    list, which the front-ends render and plain text still reads well)."""
    text = _marked(answer.answer, answer.citations)
    if not answer.citations:
        return text
    names = programme_names(corpus)
    sources = (f"- [{n}] {_source(c, corpus, names)}" for n, c in enumerate(answer.citations, 1))
    return text + "\n\n出典：\n" + "\n".join(sources)


def completion_chunk(
    completion_id: str,
    created: int,
    delta: dict[str, str],
    *,
    finish: str | None = None,
    answer: Answer | None = None,
) -> dict[str, Any]:
    """One ``chat.completion.chunk``; the last one (``answer`` given) carries the citations."""
    chunk: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if answer is not None:
        chunk["citations"] = [citation_out(c).model_dump() for c in answer.citations]
    return chunk


def sse_data(data: dict[str, Any] | str) -> str:
    """One event as the OpenAI stream carries it: a bare ``data:`` line (no event name)."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {text}\n\n"
