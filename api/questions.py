"""The one check of a user's question, shared by the HTTP routes and the CLI (no FastAPI here)."""

from __future__ import annotations

from ingest import AnswerError, Settings

__all__ = ["check_question"]


def check_question(text: str, settings: Settings) -> str:
    """The question as the answerer gets it, or an AnswerError (→ 422) explaining why not."""
    question = text.strip()
    if not question:
        raise AnswerError("質問を入力してください。")
    if len(question) > settings.max_question_chars:
        raise AnswerError(
            f"質問が長すぎます（{len(question)}文字）。"
            f"{settings.max_question_chars}文字以内で入力してください。"
        )
    return question
