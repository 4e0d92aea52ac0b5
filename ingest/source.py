"""The immutable view of one input file: validated on read, 1-based line access.

Every reader of a report goes through :meth:`SourceText.from_path`, so a missing, binary,
non-UTF-8 or empty file is rejected the same way everywhere (``CorpusError``, Japanese /
English message).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from core import CorpusError
from ingest.text import join_wrapped, noise_lines, normalize

__all__ = ["SourceText"]

_BINARY_SAMPLE = 8192


def _corpus_error(japanese: str, english: str) -> CorpusError:
    return CorpusError(f"{japanese} / {english}")


@dataclass(frozen=True, slots=True)
class SourceText:
    """One input text: its name, sha256 and raw lines (without line ends), 1-based access.

    ``noise`` holds the 1-based numbers of page-footer and sidebar lines (computed once).
    """

    name: str
    sha256: str
    lines: tuple[str, ...] = field(repr=False)
    path: Path | None = None
    noise: frozenset[int] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.noise:
            object.__setattr__(self, "noise", noise_lines(self.lines))

    @classmethod
    def from_text(cls, text: str, name: str = "<text>", path: Path | None = None) -> SourceText:
        """Build from a decoded string (``\\r\\n`` and ``\\r`` are treated as line ends)."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        if lines and lines[-1] == "":
            lines = lines[:-1]
        return cls(name=name, sha256=digest, lines=lines, path=path)

    @classmethod
    def from_path(cls, path: Path | str) -> SourceText:
        """Read one UTF-8 text file; :class:`CorpusError` (Japanese / English) when unusable.

        Missing file, directory, unreadable, binary, non-UTF-8 and empty files are rejected
        here, so every reader of a report validates it the same way.
        """
        p = Path(path)
        if not p.exists():
            raise _corpus_error("ファイルが見つかりません", f"file not found: {p}")
        if p.is_dir():
            raise _corpus_error(
                "ファイルではなくフォルダです", f"expected a text file, got a directory: {p}"
            )
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise _corpus_error("ファイルを読み込めません", f"cannot read {p}: {exc}") from exc
        if b"\x00" in data[:_BINARY_SAMPLE]:
            raise _corpus_error(
                "バイナリファイルは取り込めません", f"{p} is a binary file, not text"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _corpus_error(
                "UTF-8 のテキストではありません", f"{p} is not UTF-8 text ({exc.reason})"
            ) from exc
        if not text.strip():
            raise _corpus_error("ファイルが空です", f"{p} is empty")
        source = cls.from_text(text, name=p.name, path=p)
        return SourceText(
            name=source.name,
            sha256=hashlib.sha256(data).hexdigest(),
            lines=source.lines,
            path=p,
            noise=source.noise,
        )

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        """The raw line ``number`` (1-based)."""
        if not 1 <= number <= len(self.lines):
            raise IndexError(f"line {number} outside 1..{len(self.lines)}")
        return self.lines[number - 1]

    def numbered(self, first: int = 1, last: int | None = None) -> list[tuple[int, str]]:
        """``(number, raw line)`` pairs for ``first..last`` (inclusive, clipped to the text)."""
        stop = len(self.lines) if last is None else min(last, len(self.lines))
        return [(n, self.lines[n - 1]) for n in range(max(first, 1), stop + 1)]

    def content(self, first: int = 1, last: int | None = None) -> list[tuple[int, str]]:
        """Like :meth:`numbered` without blank lines, page footers and sidebar labels."""
        return [(n, s) for n, s in self.numbered(first, last) if n not in self.noise and s.strip()]

    def clean_text(self, first: int, last: int) -> str:
        """Lines ``first..last`` without noise, joined (:func:`join_wrapped`) and normalised."""
        return normalize(join_wrapped(s for _, s in self.content(first, last)))
