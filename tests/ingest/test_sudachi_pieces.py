"""The shared Sudachi input splitter keeps text order and stays under the byte limit."""

from pathlib import Path

import pytest

from core import CorpusError
from ingest import SUDACHI_MAX_BYTES, sudachi_pieces
from ingest.source import SourceText


def test_short_text_is_one_piece_and_empty_is_none():
    assert list(sudachi_pieces("短い文。")) == ["短い文。"]
    assert list(sudachi_pieces("")) == []


def test_huge_sentence_after_short_ones_keeps_order():
    # A run longer than the limit that follows ordinary sentences: the pending sentences
    # must come out before the pieces of the long run, or the text would be reordered.
    text = "前の文です。" * 10 + "あ" * 30_000 + "。後の文。"
    pieces = list(sudachi_pieces(text))
    assert "".join(pieces) == text
    assert pieces[0].startswith("前の文です。")
    assert all(len(p.encode()) < SUDACHI_MAX_BYTES for p in pieces)


def test_pieces_cut_at_sentence_ends_when_there_are_no_lines():
    text = "これは文です。" * 4000  # 84,000 bytes on one line
    pieces = list(sudachi_pieces(text, max_bytes=20_000))
    assert len(pieces) > 1
    assert all(p.endswith("。") for p in pieces)
    assert "".join(pieces) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), ("報告".encode("shift_jis"), "UTF-8")],
)
def test_source_text_from_path_rejects_like_the_pipeline(tmp_path: Path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(CorpusError, match=message) as info:
        SourceText.from_path(path)
    assert " / " in str(info.value)
    with pytest.raises(CorpusError, match="directory"):
        SourceText.from_path(tmp_path)
