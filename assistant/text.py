"""Japanese text helpers for questions and answers: numbers, n-grams, sentences.

``nfkc`` and ``kanji_to_int`` are core's, re-exported for the assistant's modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.catalogue import rules
from core import join_spaced_digits, kanji_to_int, nfkc

__all__ = [
    "bare",
    "bigrams",
    "final_clause",
    "full_stop",
    "is_caption",
    "kanji_to_int",
    "nfkc",
    "numbers_in",
    "quoted_numbers",
    "sentences",
    "spread",
    "squash",
]

_SPACES = re.compile(r"\s+")
# A thousands separator sits between a digit and exactly three digits.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Comparison form: NFKC, no whitespace, no thousands separators (cached: report
    sentences are compared with every question)."""
    return _THOUSANDS.sub("", _SPACES.sub("", nfkc(text)))


def spread(word: str, texts: Iterable[str]) -> int:
    """How many of ``texts`` contain ``word``: a word many topics' texts use names none of
    them (the one measure of how common a name piece is)."""
    return sum(1 for text in texts if word in text)


_BROKEN_NUMBER = re.compile(r"(?<=\d)\s+(?=[,.]\d)|(?<=\d[,.])\s+(?=\d)")


def numbers_in(text: str) -> list[str]:
    """Every number in ``text`` in comparison form (``1,500`` → ``1500``, ``１.３`` → ``1.3``).

    Spaces separate numbers (``３ 2`` in a KPI row is two values) except around a decimal
    point or thousands separator, where the PDF dump breaks single numbers (``1 ,500``).
    """
    joined = _BROKEN_NUMBER.sub("", nfkc(text))
    return _NUMBER.findall(_THOUSANDS.sub("", joined))


def quoted_numbers(text: str) -> set[str]:
    """Numbers a quote supports: as spaced, the fully joined reading (``2 0 . 9`` → 20.9),
    and each line's reading with the spaces inside its figures removed (a chart printed
    ``3 42`` / ``4 0 . 9%`` on two lines shows 342 and 40.9)."""
    lines = {n for line in text.splitlines() for n in numbers_in(join_spaced_digits(line))}
    return set(numbers_in(text)) | set(_NUMBER.findall(squash(text))) | lines


@lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the comparison form (a cheap, tokenizer-free overlap measure;
    cached: report sentences are compared with every question)."""
    s = squash(text)
    return frozenset(s[i : i + 2] for i in range(len(s) - 1))


_SENTENCE_END = re.compile(r"(?<=[。！？])|\n")


def final_clause(text: str) -> str:
    """The last clause of a question: the ask comes last in Japanese (「本社は東京で、…使える？」
    asks 「…使える？」)."""
    marks = rules().text("text.clause_marks")
    return re.split(f"[{re.escape(marks)}]", text.rstrip(marks + " "))[-1]


_STOPS = ("。", "…")  # a sentence's full stop, or the mark of a cut


def full_stop(text: str) -> str:
    """``text`` ending as a sentence: with its full stop, unless it ends one or was cut."""
    return text if text.endswith(_STOPS) else text + _STOPS[0]


def bare(text: str) -> str:
    """``text`` without the full stop or the cut marks at its ends (before NFKC, which turns
    「…」 into 「...」)."""
    return text.strip("".join(_STOPS))


@lru_cache(maxsize=65536)
def is_caption(sentence: str) -> bool:
    """A chart's caption or a data source line: it labels a figure and states no fact
    (cached: the report's sentences are read for every question)."""
    return rules().pattern("patterns.report.caption").match(nfkc(sentence)) is not None


def sentences(text: str) -> list[str]:
    """Split cleaned report text into sentences and bullet items."""
    return [s.strip() for s in _SENTENCE_END.split(_join_wrapped(text)) if s and s.strip()]


_OPENERS, _CLOSERS = "(（「", ")）」"


def _join_wrapped(text: str) -> str:
    """Rejoin a line the layout wrapped inside brackets (「…(43職種63」 + 「団体が加盟)…」)."""
    lines = text.split("\n")
    item_starts = rules().text("text.item_starts")
    out: list[str] = []
    for line in lines:
        if out and _open_brackets(out[-1]) > 0 and line[:1] not in item_starts:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _open_brackets(line: str) -> int:
    return sum(line.count(c) for c in _OPENERS) - sum(line.count(c) for c in _CLOSERS)
