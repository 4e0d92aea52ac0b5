"""The one check of user text, shared by the HTTP routes and the CLI (no FastAPI here)."""

from __future__ import annotations

import re

from assistant import nfkc
from core import AnswerError, Settings

__all__ = ["TEXT_PATTERN", "check_question", "check_text"]

# Not text a person types: lone surrogates (JSON escapes such as \ud800, or undecodable bytes
# on a command line) cannot even be encoded as UTF-8, and control characters other than
# tab and line ends would travel on into the tokenizer, the logs and the stores.
_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
_NOT_TEXT = re.compile(f"[{_CONTROLS}\ud800-\udfff]")
# The same rule for the OpenAPI schema (JSON text cannot carry a lone surrogate anyway).
TEXT_PATTERN = f"^[^{_CONTROLS}]*$"


def check_text(text: str, label: str = "入力") -> str:
    """``text`` unchanged, or an AnswerError (→ 422) when it holds a character that is not text."""
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        raise AnswerError(
            f"{label}に使用できない文字（U+{ord(bad.group()):04X}）が含まれています。"
        )
    return text


def check_question(text: str, settings: Settings) -> str:
    """The question as the answerer gets it, or an AnswerError (→ 422) explaining why not.

    The length is counted after NFKC, the form the pipeline reads: one character such as
    「㍿」 stands for four (株式会社), so the limit bounds the work, not the keystrokes."""
    question = check_text(text, "質問").strip()
    if not question:
        raise AnswerError("質問を入力してください。")
    length = len(nfkc(question))
    if length > settings.max_question_chars:
        raise AnswerError(
            f"質問が長すぎます（{length}文字）。"
            f"{settings.max_question_chars}文字以内で入力してください。"
        )
    return question
