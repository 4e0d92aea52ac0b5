"""Verbatim quotes: citations quote the report's raw lines, never normalised text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from assistant.text import squash
from core import CorpusError
from ingest import Span

__all__ = ["Quoter", "SourceLines"]

_MAX_QUOTE_LINES = 12


class SourceLines:
    """The report's raw lines, 1-based, exactly as in the file (line ends dropped)."""

    def __init__(self, lines: Sequence[str], name: str = "", sha256: str = "") -> None:
        self.lines = tuple(lines)
        self.name = name
        self.sha256 = sha256

    @classmethod
    def read(cls, path: Path) -> SourceLines:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CorpusError(f"報告書を読めません / cannot read report {path}: {exc}") from exc
        text = data.decode("utf-8", errors="replace")
        return cls(text.split("\n"), path.name, hashlib.sha256(data).hexdigest())

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def text(self, span: Span) -> str:
        """Raw text of the span: a verbatim substring of the file (outer whitespace trimmed)."""
        last = min(span.last, len(self.lines))
        return "\n".join(self.lines[span.first - 1 : last]).strip()


class Quoter:
    """Picks the few raw lines of a span that hold a fact, so quotes stay short and exact."""

    def __init__(self, source: SourceLines) -> None:
        self.source = source

    def quote(
        self, span: Span, needles: Sequence[str] = (), max_lines: int | None = None
    ) -> tuple[str, Span]:
        """The smallest window of ``span`` whose text contains every needle (comparison form).

        Falls back to the window holding the most needles, then to the span's first lines.
        """
        last = min(span.last, len(self.source))
        if last < span.first:
            return "", span
        limit = max_lines or _MAX_QUOTE_LINES
        wanted = [squash(n) for n in needles if squash(n)]
        flat = [squash(self.source.line(n)) for n in range(span.first, last + 1)]
        best: tuple[int, int, int] | None = None  # (-found, width, start)
        for start in range(len(flat)):
            joined = ""
            for end in range(start, min(len(flat), start + limit)):
                joined += flat[end]
                if not joined:
                    continue
                found = sum(1 for w in wanted if w in joined)
                key = (-found, end - start, start)
                if found and (best is None or key < best):
                    best = key
                if found == len(wanted):
                    break
        if best is None:
            first, end_line = span.first, min(last, span.first + limit - 1)
        else:
            first = span.first + best[2]
            end_line = first + best[1]
        # Skip blank edges so the cited lines are exactly the quoted ones.
        while first < end_line and not self.source.line(first).strip():
            first += 1
        while end_line > first and not self.source.line(end_line).strip():
            end_line -= 1
        window = Span(first, end_line)
        return self.source.text(window), window

    def locate(self, text: str, span: Span) -> tuple[str, Span]:
        """Quote the raw lines of ``span`` that a cleaned sentence ``text`` was joined from."""
        target = squash(text)
        last = min(span.last, len(self.source))
        hits = [
            n
            for n in range(span.first, last + 1)
            if (piece := squash(self.source.line(n)))
            and (piece in target or (len(target) >= 6 and target in piece))
            and (len(piece) >= 4 or len(target) < 8)
        ]
        if not hits:
            return self.quote(span, [text[:12]])
        # Keep the longest run of nearby lines (a sentence wraps over consecutive lines).
        runs: list[list[int]] = [[hits[0]]]
        for n in hits[1:]:
            if n - runs[-1][-1] <= 2:
                runs[-1].append(n)
            else:
                runs.append([n])
        run = max(runs, key=lambda r: sum(len(squash(self.source.line(n))) for n in r))
        # At most that many of the sentence's own lines (the dump puts blank lines between).
        window = Span(run[0], run[min(len(run), _MAX_QUOTE_LINES) - 1])
        return self.source.text(window), window
