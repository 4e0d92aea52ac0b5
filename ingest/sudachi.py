"""Small SudachiPy adapter: a cached tokenizer and a sentence splitter.

SudachiPy is imported lazily so importing ``ingest`` stays cheap. Sudachi refuses inputs
over 49,149 bytes, so long texts are fed in pieces cut at line ends (or, failing that, at
character boundaries well under the limit).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["MAX_INPUT_BYTES", "split_sentences", "tokenizer"]

MAX_INPUT_BYTES = 49_149
_PIECE_BYTES = 40_000
_SENTENCE_POS = "句点"
_CLOSERS = "」』）)】"


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The process-wide Sudachi tokenizer (core dictionary, mode C)."""
    from sudachipy import Dictionary, SplitMode  # noqa: PLC0415 - heavy, load lazily

    return Dictionary(dict="core").create(SplitMode.C)


def _pieces(text: str) -> list[str]:
    """Cut text into pieces Sudachi accepts, preferring line ends as cut points."""
    pieces: list[str] = []
    current = ""
    for raw in text.splitlines(keepends=True):
        line = raw
        while len(line.encode("utf-8")) > _PIECE_BYTES:
            head, line = line[: _PIECE_BYTES // 4], line[_PIECE_BYTES // 4 :]
            pieces.append(current + head)
            current = ""
        if len((current + line).encode("utf-8")) > _PIECE_BYTES:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [piece for piece in pieces if piece]


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: cut after Sudachi's sentence-final punctuation (句点, keeping a
    closing bracket that follows it) and at line ends. Numbers such as ``1.3%`` are single
    tokens to Sudachi, so a cut never falls inside one."""
    sentences: list[str] = []
    current = ""
    for piece in _pieces(text):
        morphemes = list(tokenizer().tokenize(piece))
        for index, morpheme in enumerate(morphemes):
            surface = morpheme.surface()
            if "\n" in surface:
                before, _, after = surface.partition("\n")
                current += before
                if current.strip():
                    sentences.append(current.strip())
                current = after.lstrip("\n")
                continue
            current += surface
            next_surface = morphemes[index + 1].surface() if index + 1 < len(morphemes) else ""
            # An ASCII "." is a sentence end only before a space or the end: in "H28.5.21",
            # "1.5" or "Co.Ltd" it belongs to the token.
            is_end = morpheme.part_of_speech()[1] == _SENTENCE_POS and (
                surface != "." or not next_surface[:1].strip()
            )
            if is_end and next_surface[:1] not in _CLOSERS:
                sentences.append(current.strip())
                current = ""
    if current.strip():
        sentences.append(current.strip())
    return [sentence for sentence in sentences if sentence]
