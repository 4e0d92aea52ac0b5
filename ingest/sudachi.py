"""The project's one SudachiPy adapter: the shared dictionary, a tokenizer per thread, input
pieces under Sudachi's byte limit, and a sentence splitter.

SudachiPy is imported lazily so importing ``ingest`` stays cheap. Sudachi refuses inputs
over 49,149 bytes, so long texts are fed in pieces cut at line or sentence ends (or, failing
that, at character boundaries well under the limit). ``index`` builds its BM25 tokenizer on
:func:`dictionary` and :func:`pieces` rather than loading a second dictionary.

A Sudachi tokenizer must not be used by two threads at once (it raises "Tokenizer is already
in use"), while the dictionary may be shared: the server answers in several worker threads,
so each thread gets its own tokenizer from the one dictionary, and none waits for another.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

__all__ = [
    "MAX_INPUT_BYTES",
    "content_forms",
    "country_names",
    "dictionary",
    "pieces",
    "place_names",
    "reading",
    "split_sentences",
    "synonym_nouns",
    "tokenizer",
]

MAX_INPUT_BYTES = 49_149
_PIECE_BYTES = 40_000  # margin below Sudachi's hard input limit
_SENTENCE_POS = "句点"
_CLOSERS = "」』）)】"
_PIECE_END = re.compile(r"(?<=[\n。])")
_PLACE_NAME = ("固有名詞", "地名")
_COUNTRY = (*_PLACE_NAME, "国")
# Content words: nouns, verbs, adjectives, adjectival nouns; not numerals, auxiliary-like
# nouns (こと, ため) or pronouns.
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞")
_SKIP_SUBPOS = ("数詞", "非自立可能", "代名詞")

_LOAD_LOCK = threading.Lock()
_loaded: dict[str, Any] = {}
_per_thread = threading.local()


def dictionary() -> Any:
    """The process-wide Sudachi core dictionary (every tokenizer of the project comes from it)."""
    shared = _loaded.get("dictionary")
    if shared is None:
        with _LOAD_LOCK:  # two threads starting together must not load it twice
            shared = _loaded.get("dictionary")
            if shared is None:
                from sudachipy import Dictionary  # noqa: PLC0415 - heavy, load lazily

                shared = _loaded["dictionary"] = Dictionary(dict="core")
    return shared


def tokenizer() -> Any:
    """This thread's Sudachi tokenizer (core dictionary, mode C), created on first use."""
    own = getattr(_per_thread, "tokenizer", None)
    if own is None:
        from sudachipy import SplitMode  # noqa: PLC0415 - heavy, load lazily

        own = _per_thread.tokenizer = dictionary().create(SplitMode.C)
    return own


def pieces(text: str, max_bytes: int = _PIECE_BYTES) -> Iterator[str]:
    """Consecutive pieces of ``text`` under Sudachi's byte limit (joined, they give ``text``).

    Cuts fall at line or sentence ends (``。``); a single longer run is cut by characters.
    """
    if len(text.encode("utf-8")) <= max_bytes:
        if text:
            yield text
        return
    piece: list[str] = []
    size = 0
    for part in _PIECE_END.split(text):
        part_size = len(part.encode("utf-8"))
        if piece and size + part_size > max_bytes:
            yield "".join(piece)
            piece, size = [], 0
        if part_size > max_bytes:  # one enormous line or sentence
            step = max_bytes // 4  # UTF-8 characters are at most 4 bytes
            yield from (part[start : start + step] for start in range(0, len(part), step))
            continue
        piece.append(part)
        size += part_size
    if piece:
        yield "".join(piece)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: cut after Sudachi's sentence-final punctuation (句点, keeping a
    closing bracket that follows it) and at line ends. Numbers such as ``1.3%`` are single
    tokens to Sudachi, so a cut never falls inside one."""
    sentences: list[str] = []
    current = ""
    for piece in pieces(text):
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


def place_names(text: str) -> list[str]:
    """Place names in ``text`` as written (Sudachi's 固有名詞・地名: 横浜市, 世田谷区, 名古屋)."""
    return [
        m.surface() for m in tokenizer().tokenize(text) if m.part_of_speech()[1:3] == _PLACE_NAME
    ]


def country_names(text: str) -> list[str]:
    """Names of countries in ``text`` as written (Sudachi's 固有名詞・地名・国: 中国, ベトナム)."""
    return [m.surface() for m in tokenizer().tokenize(text) if m.part_of_speech()[1:4] == _COUNTRY]


def content_forms(text: str) -> list[str]:
    """Normalised forms of the content words of ``text`` (働い → 働く), in order."""
    out = []
    for m in tokenizer().tokenize(text):
        pos = m.part_of_speech()
        if pos[0] in _CONTENT_POS and pos[1] not in _SKIP_SUBPOS:
            out.append(m.normalized_form())
    return out


def synonym_nouns(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The nouns of ``text`` as written, each with the synonym groups the dictionary puts it
    in (職安, ハローワーク and 公共職業安定所 share one); nouns in no group and numerals are
    left out."""
    out = []
    for piece in pieces(text):
        for m in tokenizer().tokenize(piece):
            pos = m.part_of_speech()
            groups = tuple(m.synonym_group_ids()) if pos[0] == "名詞" and pos[1] != "数詞" else ()
            if groups:
                out.append((m.surface(), groups))
    return out


def reading(text: str) -> str:
    """The katakana reading of ``text`` (川崎 → カワサキ)."""
    return "".join(m.reading_form() for m in tokenizer().tokenize(text))
