"""Lexical tokens for BM25, on the dictionary and input splitting of ingest's Sudachi adapter.

Tokens are Sudachi normalised forms of content words (split mode chosen by measurement,
see eval/retrieval_benchmark.py), lower-cased; numbers and amounts are cut out *before*
Sudachi sees the text so `1,500万円` stays one number token (`1500万`) plus its unit.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from index.normalize import lexical_form
from ingest import SUDACHI_MAX_BYTES as INGEST_SUDACHI_MAX_BYTES
from ingest import sudachi_dictionary, sudachi_pieces

__all__ = ["SUDACHI_MAX_BYTES", "SudachiTokenizer", "split_for_sudachi"]

log = logging.getLogger(__name__)

# Kept under these names for callers of the index; the splitting lives in ingest's adapter.
SUDACHI_MAX_BYTES = INGEST_SUDACHI_MAX_BYTES
split_for_sudachi = sudachi_pieces

# A legal reference (第15条) or a number with its thousands separators, decimals, a
# fraction (2/3) or a kanji multiplier (1,500万): each becomes one token.
_NUMBER_RE = re.compile(r"第\d+[条項号章節]|\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?[万億千]?")
# Parts of speech that carry meaning for retrieval; particles, auxiliaries and symbols do not.
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "接尾辞", "連体詞")
_SKIP_SURFACES = frozenset(
    {"する", "ある", "いる", "なる", "れる", "られる", "こと", "もの", "ため"}
)


class SudachiTokenizer:
    """Thread-safe Sudachi tokenizer producing BM25 tokens.

    Each thread tokenizes with Sudachi tokenizers of its own (a Sudachi tokenizer cannot be
    used by two threads at once; the dictionary is shared), so concurrent searches never
    wait for each other here.

    ``mode`` is Sudachi's split mode ("A", "B" or "C"); ``compounds`` adds the mode-C
    compound of a multi-token run (e.g. 融資限度額). Defaults by measurement on the gold set
    (eval/retrieval_benchmark.py --sweep): mode A without compounds had the best BM25
    R@1/MRR (0.934/0.929 vs B 0.918/0.918, C 0.918/0.914, A+C 0.929/0.925).
    """

    def __init__(self, mode: str = "A", compounds: bool = False) -> None:
        self.mode = mode.upper()
        self.compounds = compounds
        self._per_thread = threading.local()

    @property
    def signature(self) -> str:
        """Identifies the token stream (stored with an index to detect stale ones)."""
        return f"sudachi-{self.mode}{'+C' if self.compounds else ''}-v1"

    def _tokenizers(self) -> tuple[Any, Any]:
        """This thread's (fine, coarse or None) Sudachi tokenizers, created on first use."""
        own: tuple[Any, Any] | None = getattr(self._per_thread, "tokenizers", None)
        if own is None:
            from sudachipy import SplitMode  # noqa: PLC0415 - lazy: heavy or optional

            dictionary = sudachi_dictionary()  # shared with ingest: one dictionary per process
            fine = dictionary.create(mode=getattr(SplitMode, self.mode))
            coarse = dictionary.create(mode=SplitMode.C) if self.compounds else None
            own = self._per_thread.tokenizers = (fine, coarse)
            log.debug("sudachi tokenizer created (mode %s)", self.mode)
        return own

    def tokenize(self, text: str) -> list[str]:
        """Content-word tokens of ``text`` after :func:`lexical_form` normalisation."""
        text = lexical_form(text)
        out: list[str] = []
        fine, coarse = self._tokenizers()
        pos = 0
        for match in _NUMBER_RE.finditer(text):
            _words(fine, coarse, text[pos : match.start()], out)
            out.append(match.group(0).replace(",", ""))
            pos = match.end()
        _words(fine, coarse, text[pos:], out)
        return out


def _words(fine_tokenizer: Any, coarse_tokenizer: Any, text: str, out: list[str]) -> None:
    if not text.strip():
        return
    for piece in sudachi_pieces(text):
        fine = [m for m in fine_tokenizer.tokenize(piece) if _is_content(m)]
        out.extend(_form(m) for m in fine)
        if coarse_tokenizer is None:
            continue
        fine_surfaces = {m.surface() for m in fine}
        out.extend(
            _form(m)
            for m in coarse_tokenizer.tokenize(piece)
            if _is_content(m) and m.surface() not in fine_surfaces
        )


def _is_content(morpheme: Any) -> bool:
    pos = morpheme.part_of_speech()[0]
    if pos not in _CONTENT_POS:
        return False
    return morpheme.normalized_form() not in _SKIP_SURFACES


def _form(morpheme: Any) -> str:
    return str(morpheme.normalized_form()).lower()
