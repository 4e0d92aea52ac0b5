"""Faithfulness guard: every number and proper noun of a phrased answer must be in the sources,
and the phrasing must still say what the composer's answer says."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.catalogue import rules
from assistant.text import nfkc, numbers_in, quoted_numbers, squash

__all__ = ["SentenceSplitter", "dropped_figures", "unsupported_claims"]


def unsupported_claims(answer: str, sources: Iterable[str]) -> list[str]:
    """Numbers, dates and proper nouns of ``answer`` that no source text contains."""
    texts = list(sources)
    flat = "\n".join(squash(s) for s in texts)
    known_numbers = {n for s in texts for n in quoted_numbers(s)}
    missing = [n for n in numbers_in(answer) if n not in known_numbers]
    text = nfkc(answer)
    for m in rules().pattern("patterns.guard.proper_noun").finditer(text):
        token = m.group(1) or m.group(0)
        if squash(token) not in flat:
            missing.append(token)
    era_words = rules().pattern("patterns.guard.era_words")
    missing.extend(m.group(0) for m in era_words.finditer(text) if m.group(0) not in flat)
    return list(dict.fromkeys(missing))


def dropped_figures(answer: str, grounded: str) -> list[str]:
    """The grounded answer's figures when ``answer`` states none of them.

    A phrasing may leave out a secondary figure, but one that keeps no figure at all (an echo
    of the question, a refusal the composer did not make) has lost the answer itself.
    """
    figures = list(dict.fromkeys(numbers_in(grounded)))
    if not figures or set(numbers_in(answer)) & set(figures):
        return []
    return figures


_ENDS = frozenset("。！？!?")
_OPENERS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "［": "］", "[": "]"}
_CLOSERS = frozenset(_OPENERS.values())


class SentenceSplitter:
    """Cuts streamed text into complete sentences as the pieces arrive.

    A sentence ends at ``。！？!?`` outside brackets and quotes (``「…。…」`` stays whole), with
    any closing marks or further end marks that follow it (``？！``, ``。」``), or at a newline.
    ``.`` never ends a sentence, so ``1.5`` and ``KOBS.`` are safe. An end mark as the last
    character received waits for the next piece: it may still be followed by a closing mark.
    """

    def __init__(self) -> None:
        self._buffer = ""
        self._scan = 0  # buffer[:scan] is known to hold no sentence end
        self._depth: list[str] = []  # closing marks awaited, innermost last

    def feed(self, piece: str) -> list[str]:
        """Add a piece; return the sentences it completed, in order, verbatim."""
        self._buffer += piece
        return self._cut(final=False)

    def flush(self, drop_unfinished: bool = False) -> list[str]:
        """The end of the stream: whatever is left, as the last sentence unless it has no end
        mark and ``drop_unfinished`` is set (text cut off by a token limit)."""
        out = self._cut(final=True)
        if self._buffer and not drop_unfinished:
            out.append(self._buffer)
        self._buffer, self._scan, self._depth = "", 0, []
        return out

    def _cut(self, final: bool) -> list[str]:
        out: list[str] = []
        text = self._buffer
        start, i = 0, self._scan
        while i < len(text):
            ch = text[i]
            end = None
            if ch == "\n":
                end = i + 1
            elif ch in _OPENERS:
                self._depth.append(_OPENERS[ch])
            elif ch in _CLOSERS:
                if ch in self._depth:  # an unbalanced closer is plain text
                    del self._depth[len(self._depth) - 1 - self._depth[::-1].index(ch) :]
            elif ch in _ENDS and not self._depth:
                end = i + 1
                while end < len(text) and (text[end] in _ENDS or text[end] in _CLOSERS):
                    end += 1
                if end == len(text) and not final:
                    break  # the next piece may continue the end marks
            if end is not None:
                out.append(text[start:end])
                start, i = end, end
                self._depth = []
                continue
            i += 1
        self._buffer = text[start:]
        self._scan = i - start
        return out
