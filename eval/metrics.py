"""Per-item scoring functions and their aggregation.

Every function here is pure: it reads gold fields, retrieved chunks or an :class:`Answer` and
returns a number or a flag, so each metric can be unit-tested on hand-made cases. "Fact in
text" is always :func:`eval.gold_schema.contains_fact` (NFKC, no spaces or thousands
separators, aliases 万円/千円/円, 平成/西暦, 2/3 / 3分の2), the definition the gold set is
validated with.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from assistant import Answer, Citation
from core import ERA_OFFSETS, join_spaced_digits
from eval.gold_schema import GoldSource, contains_fact, normalize_fact
from ingest import Chunk

__all__ = [
    "citation_precision",
    "fact_support",
    "has_pointer",
    "key_facts_ok",
    "mean",
    "missing_facts",
    "number_tokens",
    "percentile",
    "refusal_ok",
    "retrieval_scores",
    "source_matches",
    "unfaithful_numbers",
]

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DOTTED = re.compile(r"\d+(?:\s*\.\s*\d+){2,}")
_CIRCLED = re.compile("[\u2460-\u2473\u24ea-\u24ff\u2776-\u2793]")
_HEISEI_SHORT = re.compile(r"(?:平成|H)\s*(\d{1,2})(?!\d)|(?<![\d.])(\d{1,2})\s*年度")
_WESTERN_YEAR = re.compile(r"(?<!\d)((?:19[89]|20[0-4])\d)\s*年")
_HEISEI_BASE = ERA_OFFSETS["平成"]  # the report's short years (H28, 28年度) are Heisei
# A number with the unit or era that gives it meaning ("500万円", "平成28年", "2016年").
_QUANTITY = re.compile(r"(平成)?(\d+(?:\.\d+)?)(億円|万円|千円|円|年)?")
# Reference markers the assistant may print after a sentence: [1], ［2］, 【3】, [出典1].
_REF_MARKER = re.compile(r"[\[［【](?:出典|引用)?\s*\d+(?:\s*[,、]\s*\d+)*\s*[\]］】]")
# List numbering at the start of a line: "1. ", "2) ", "(3) ".
_LIST_MARKER = re.compile(r"(?m)^[^\S\n]*(?:\(\d{1,2}\)|\d{1,2}[.)．、](?!\d))")
# Cues that a refusal still points somewhere in the report ("…については記載があります").
_POINTER_CUES = (
    "記載がある",  # not a prefix of 記載がありません
    "記載があります",
    "記載されている",
    "記載されています",
    "掲載されています",
    "載っています",
    "書かれています",
    "代わりに",
    "参考までに",
    "関連して",
    "ご覧ください",
    "お問い合わせ",
)


# --- retrieval ------------------------------------------------------------------------


def source_matches(
    chunk: Chunk, source: GoldSource, programme_names: Mapping[str, str] | None = None
) -> bool:
    """A chunk matches a gold source when its programme, article or section equals the source's.

    Gold sources name programmes by name; chunks may carry a programme id, so
    ``programme_names`` (id → name) resolves ids before comparing.
    """
    if source.programme is not None and chunk.programme is not None and programme_names:
        name = programme_names.get(chunk.programme)
        if name is not None and source.matches(programme=name):
            return True
    return source.matches(programme=chunk.programme, article=chunk.article, section=chunk.section)


def retrieval_scores(
    chunks: Sequence[Chunk],
    sources: Sequence[GoldSource],
    ks: Iterable[int] = (1, 5),
    programme_names: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """recall@k for each k and the reciprocal rank of the first matching chunk.

    recall@k = gold sources matched within the top k / min(k, number of sources), so an item
    with two sources can still reach recall@1 = 1 with its best source first.
    """
    hits = [[source_matches(c, s, programme_names) for s in sources] for c in chunks]
    out: dict[str, float] = {}
    for k in ks:
        found = sum(1 for j in range(len(sources)) if any(row[j] for row in hits[:k]))
        # One chunk can match two sources (a programme and its article): cap at 1.
        out[f"recall@{k}"] = min(found, k) / min(k, len(sources)) if sources else 0.0
    out["mrr"] = next((1.0 / rank for rank, row in enumerate(hits, 1) if any(row)), 0.0)
    return out


# --- key facts --------------------------------------------------------------------------


def key_facts_ok(answer: Answer, facts: Sequence[str]) -> bool:
    """An answerable item is right when it is answered and states every must_include fact."""
    return answer.answerable and all(contains_fact(answer.answer, f) for f in facts)


def missing_facts(answer: Answer, facts: Sequence[str]) -> list[str]:
    """The must_include facts the answer text does not state."""
    return [f for f in facts if not contains_fact(answer.answer, f)]


# --- citations --------------------------------------------------------------------------


def citation_precision(citations: Sequence[Citation], facts: Sequence[str]) -> float:
    """Share of citations whose quote contains at least one gold fact (0 for no citations)."""
    if not citations:
        return 0.0
    good = sum(1 for c in citations if any(contains_fact(c.quote, f) for f in facts))
    return good / len(citations)


def fact_support(answer: Answer, facts: Sequence[str]) -> float | None:
    """Share of the gold facts the answer states that some cited quote also contains.

    None when the answer states none of the facts (nothing to support).
    """
    stated = [f for f in facts if contains_fact(answer.answer, f)]
    if not stated:
        return None
    ok = sum(1 for f in stated if any(contains_fact(c.quote, f) for c in answer.citations))
    return ok / len(stated)


# --- numbers ----------------------------------------------------------------------------


def number_tokens(text: str) -> list[str]:
    """Numbers in a normalised text, canonical ("1.30" → "1.3", "007" → "7")."""
    return [_canonical(raw) for raw in _NUMBER.findall(text)]


def _canonical(raw: str) -> str:
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
    return raw.lstrip("0") or "0"


def _numbers_of(text: str) -> set[str]:
    # Whole-text normalisation glues numbers that only whitespace separates (table rows
    # "100 120"); per-piece normalisation keeps them apart. The union is what the text shows.
    out = set(number_tokens(normalize_fact(text)))
    for piece in unicodedata.normalize("NFKC", text).split():
        out.update(number_tokens(normalize_fact(piece)))
    plain = unicodedata.normalize("NFKC", text)
    # A PDF dump breaks a chart's figures with spaces inside a line ("3 42", "4 0 . 9%"):
    # each line also reads with the spaces between its digits removed (342, 40.9).
    for line in plain.splitlines():
        out.update(number_tokens(normalize_fact(join_spaced_digits(line))))
    # Dotted dates ("H28.5.21") read as decimals above; their parts are numbers too.
    for date in _DOTTED.findall(plain):
        out.update(_canonical(part.strip()) for part in date.split("."))
    # The report abbreviates Heisei years ("H28", "28年度予算"): the western year is the same fact.
    for era, short in _HEISEI_SHORT.findall(plain):
        out.add(str(int(era or short) + _HEISEI_BASE))
    for western in _WESTERN_YEAR.findall(plain):
        out.add(str(int(western) - _HEISEI_BASE))
    return out


def unfaithful_numbers(answer: Answer, question: str = "") -> list[str]:
    """Numbers in the answer text that none of its cited quotes supports.

    A number is supported when a quote shows the same number, or the same quantity under an
    alias (quote "5,000千円" supports "500万円", "平成28年" supports "2016年"). Reference
    markers ([1]), list numbering (1. ①), citation metadata (page, line numbers, article)
    and numbers the user typed in the question are not claims about the report, so they
    are allowed.
    """
    text = _CIRCLED.sub(" ", answer.answer)  # ①② enumerate; NFKC would make them numbers
    text = _REF_MARKER.sub(" ", unicodedata.normalize("NFKC", text))
    text = _LIST_MARKER.sub("", text)
    quotes = [c.quote for c in answer.citations]
    allowed: set[str] = set()
    for c in answer.citations:
        allowed |= _numbers_of(c.quote)
        meta = [c.lines.first, c.lines.last, c.page, c.article]
        allowed.update(str(v) for v in meta if v is not None)
    allowed |= _numbers_of(question)
    bad: list[str] = []
    for piece in text.split():
        for match in _QUANTITY.finditer(normalize_fact(piece)):
            num = _canonical(match.group(2))
            if num in allowed or num in bad:
                continue
            has_unit = bool(match.group(1) or match.group(3))
            if has_unit and any(contains_fact(q, match.group(0)) for q in quotes):
                continue
            bad.append(num)
    return bad


# --- refusals ---------------------------------------------------------------------------


def has_pointer(answer: Answer) -> bool:
    """A refusal is useful when it cites something or names what the report does say."""
    return bool(answer.citations) or any(cue in answer.answer for cue in _POINTER_CUES)


def refusal_ok(answer: Answer, answerable: bool) -> bool:
    """Unanswerable: refused with a pointer. Answerable: not refused."""
    if answerable:
        return answer.answerable
    return (not answer.answerable) and has_pointer(answer)


# --- aggregation ------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the non-None values; None when there are none."""
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0–100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
